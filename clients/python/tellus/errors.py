"""Exceptions raised by the Tellus client, one per thing that went wrong.

Every error answer of the server is ``application/problem+json`` (RFC 9457); the client turns it into the
exception named for its status, keeping the problem's ``type``, ``title``, ``detail`` and, for invalid
input, every field error.
"""
from __future__ import annotations

from typing import Any, Dict, List, NamedTuple, Optional


class FieldError(NamedTuple):
    """One rejected field of a request, e.g. ``FieldError("space.lr.low", "must be > 0 when log is true")``."""

    field: str
    message: str


class TellusError(Exception):
    """Base of every error the client raises for an answer of the server or for not reaching it."""

    def __init__(self, message: str, *, status: Optional[int] = None, type: Optional[str] = None,
                 title: Optional[str] = None, detail: Optional[str] = None,
                 errors: Optional[List[FieldError]] = None, problem: Optional[Dict[str, Any]] = None):
        super().__init__(message)
        self.status = status
        self.type = type
        self.title = title
        self.detail = detail
        self.errors: List[FieldError] = list(errors or [])
        self.problem: Dict[str, Any] = dict(problem or {})


class InvalidRequest(TellusError):
    """400: the request was refused as bad input; ``errors`` names every bad field."""


class Unauthorized(TellusError):
    """401: no API key, or one that is unknown, revoked or expired."""


class Forbidden(TellusError):
    """403: the API key's role does not allow this request."""


class NotFound(TellusError):
    """404: no such study (in the key's project) or no such trial."""


class Conflict(TellusError):
    """409: e.g. a study of this name with another definition, or another outcome for a finished trial."""


class RequestTooLarge(TellusError):
    """413: the request body is larger than the server accepts."""


class UnsupportedMediaType(TellusError):
    """415: the request's content type is not JSON."""


class IdempotencyKeyReused(TellusError):
    """422: an ``Idempotency-Key`` was used before with a different request."""


class QuotaExceeded(TellusError):
    """429: a rate or quota limit of the project; ``retry_after`` says when to try again, if known."""

    retry_after: Optional[float] = None


class ServiceUnavailable(TellusError):
    """503 (after the client's retries): the server or its database is unavailable."""


class ServerError(TellusError):
    """Any other 5xx answer."""


class TellusUnreachable(TellusError, ConnectionError):
    """The server could not be reached (connection refused, reset or timed out) after every retry."""


class TrialPruned(Exception):
    """Raise inside a trial's ``with`` block (or an objective) to end the trial ``PRUNED``.

    ``Trial.report`` returns ``True`` when the study's pruner says stop; raising this is the usual answer.
    """


_BY_STATUS = {
    400: InvalidRequest,
    401: Unauthorized,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    413: RequestTooLarge,
    415: UnsupportedMediaType,
    422: IdempotencyKeyReused,
    429: QuotaExceeded,
    503: ServiceUnavailable,
}


def from_problem(status: int, body: Any, method: str, path: str) -> TellusError:
    """The exception for an error answer, from its problem+json body (or whatever body came)."""
    problem = body if isinstance(body, dict) else {}
    errors = [FieldError(str(e.get("field")), str(e.get("message")))
              for e in problem.get("errors") or [] if isinstance(e, dict)]
    title = problem.get("title")
    detail = problem.get("detail")
    text = detail or title or (body if isinstance(body, str) and body else "HTTP %d" % status)
    message = "%s %s: %d %s" % (method, path, status, text)
    if errors and not detail:
        message += " (" + "; ".join("%s: %s" % e for e in errors) + ")"
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else TellusError)
    return cls(message, status=status, type=problem.get("type"), title=title, detail=detail,
               errors=errors, problem=problem)
