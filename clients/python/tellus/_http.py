"""The HTTP transport: JSON over urllib, retries with backoff, problem+json turned into exceptions."""
from __future__ import annotations

import http.client
import json
import random
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from typing import Any, Dict, Optional, Tuple

from . import errors

__all__ = ["Transport"]

# Errors that mean the request may not have reached the server, or its answer did not come back.
_CONNECTION_ERRORS = (ConnectionError, http.client.HTTPException, socket.timeout, TimeoutError, OSError)


class Transport:
    """Sends requests to one Tellus server; every request is retried on connection errors and 503."""

    def __init__(self, url: str, api_key: Optional[str], timeout: float, retries: int, backoff: float,
                 max_backoff: float = 10.0):
        self.url = url.rstrip("/")
        self.api_key = api_key
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self.max_backoff = max_backoff

    def request(self, method: str, path: str, body: Any = None, *, params: Optional[Dict[str, Any]] = None,
                headers: Optional[Dict[str, str]] = None, accept: str = "application/json",
                retry_connection_errors: bool = True) -> Tuple[int, Any, Dict[str, str]]:
        """Sends one request and returns (status, parsed body, headers) of a 2xx answer; raises otherwise.

        Connection errors, 503 answers and 429 answers with ``Retry-After`` are retried with exponential backoff and jitter (a 503's
        ``Retry-After`` is honoured), up to ``retries`` times. With ``retry_connection_errors=False`` only a
        refused connection (nothing was sent) is retried: for requests that are not safe to repeat.
        """
        query = ""
        if params:
            query = "?" + urllib.parse.urlencode({k: v for k, v in params.items() if v is not None})
        data = None
        all_headers = {"Accept": accept, "User-Agent": "tellus-client"}
        if body is not None:
            # allow_nan: a diverged run's NaN goes out as Python writes it, and the server fails the trial.
            data = json.dumps(body).encode("utf-8")
            all_headers["Content-Type"] = "application/json"
        if self.api_key:
            all_headers["Authorization"] = "Bearer " + self.api_key
        all_headers.update(headers or {})
        url = self.url + path + query

        attempt = 0
        while True:
            req = urllib.request.Request(url, data=data, method=method, headers=all_headers)
            try:
                with urllib.request.urlopen(req, timeout=self.timeout) as response:
                    return response.status, _parse(response.read(), response.headers), dict(response.headers)
            except urllib.error.HTTPError as e:
                payload = _parse(e.read(), e.headers)
                # 503: the database is restarting or busy. 429 with Retry-After: a rate limit or the running-trials
                # quota, both of which pass; without Retry-After (too many studies) waiting would not help.
                retry_after = e.headers.get("Retry-After")
                if (e.code == 503 or e.code == 429 and retry_after is not None) and attempt < self.retries:
                    self._sleep(attempt, retry_after)
                    attempt += 1
                    continue
                error = errors.from_problem(e.code, payload, method, path)
                if isinstance(error, errors.QuotaExceeded):
                    error.retry_after = _seconds(e.headers.get("Retry-After"))
                raise error from None
            except _CONNECTION_ERRORS as e:
                reason = getattr(e, "reason", e)
                refused = isinstance(reason, ConnectionRefusedError)
                if attempt < self.retries and (retry_connection_errors or refused):
                    self._sleep(attempt, None)
                    attempt += 1
                    continue
                raise errors.TellusUnreachable("%s %s: cannot reach Tellus at %s (%s)"
                                               % (method, path, self.url, reason)) from e

    def _sleep(self, attempt: int, retry_after: Optional[str]) -> None:
        delay = min(self.max_backoff, self.backoff * (2 ** attempt))
        delay = delay / 2 + random.uniform(0, delay / 2)  # jitter: workers that failed together spread out
        told = _seconds(retry_after)
        if told is not None:
            delay = max(delay, min(told, self.max_backoff))
        time.sleep(delay)


def _seconds(header: Optional[str]) -> Optional[float]:
    try:
        return float(header) if header is not None else None
    except ValueError:
        return None


def _parse(raw: bytes, headers: Any) -> Any:
    if not raw:
        return None
    text = raw.decode("utf-8", errors="replace")
    content_type = (headers.get("Content-Type") or "") if headers is not None else ""
    if "json" in content_type:
        try:
            return json.loads(text)
        except ValueError:
            return text
    return text
