"""Client, Study and Trial: the Python face of the Tellus HTTP API (``/api/v1``)."""
from __future__ import annotations

import io
import multiprocessing
import os
import socket
import threading
import time
import traceback
import urllib.parse
import uuid
from typing import Any, Callable, Dict, Iterable, List, Optional, Sequence, Union

from . import errors
from ._http import Transport

__all__ = ["Client", "Study", "Trial", "DEFAULT_URL"]

DEFAULT_URL = "http://localhost:8080"
_PAGE = 1000  # the server's largest page

Number = Union[int, float]
Values = Union[Number, Sequence[Number]]


def default_worker() -> str:
    """This process's worker name: host name and process id."""
    return "%s-%d" % (socket.gethostname(), os.getpid())


class Client:
    """A connection to one Tellus server.

    >>> client = tellus.Client()                       # TELLUS_URL, TELLUS_API_KEY, else localhost:8080
    >>> study = client.study("mnist", space={"lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": True}})

    Every request is retried with exponential backoff on connection errors and ``503`` (up to ``retries``
    times); asks and tells carry an ``Idempotency-Key``, so a retry never makes a second trial.
    ``api_key`` is sent as ``Authorization: Bearer <key>``.
    """

    def __init__(self, url: Optional[str] = None, api_key: Optional[str] = None, *, timeout: float = 30.0,
                 retries: int = 8, backoff: float = 0.25):
        self.url = (url or os.environ.get("TELLUS_URL") or DEFAULT_URL).rstrip("/")
        self.api_key = api_key if api_key is not None else os.environ.get("TELLUS_API_KEY") or None
        self.timeout = timeout
        self.retries = retries
        self.backoff = backoff
        self._transport = Transport(self.url, self.api_key, timeout, retries, backoff)

    def __repr__(self) -> str:
        return "Client(%r)" % self.url

    def _request(self, method: str, path: str, body: Any = None, **kwargs: Any) -> Any:
        return self._transport.request(method, "/api/v1" + path, body, **kwargs)[1]

    def study(self, name: str, space: Optional[Dict[str, Any]] = None, objectives: Any = None,
              strategy: Union[str, Dict[str, Any], None] = None, pruner: Union[str, Dict[str, Any], None] = None,
              max_trials: Optional[int] = None, **more: Any) -> "Study":
        """Creates the study, or joins it when one of this name has the same definition (``PUT``).

        Every worker may call this at start-up. A study of this name with a different definition raises
        :class:`~tellus.Conflict`. Without ``space``, joins an existing study (``GET``) instead.

        ``objectives``: ``"minimize"``/``"maximize"``, a list of those, ``{"loss": "minimize", ...}`` or the
        API's list of ``{"name", "direction"}``; default: one objective ``value`` minimised.
        ``strategy`` and ``pruner``: a name (``"tpe"``) or the API's object (``{"name": "tpe", "seed": 1}``).
        ``**more``: other definition fields, in snake_case or camelCase (``lease_seconds=60``,
        ``maxRetries=2``, ``metadata={...}``).
        """
        if space is None:
            if objectives is not None or strategy is not None or pruner is not None or max_trials is not None or more:
                raise TypeError("a study definition needs a space")
            return self.get_study(name)
        definition: Dict[str, Any] = {"space": space}
        if objectives is not None:
            definition["objectives"] = _objectives(objectives)
        if strategy is not None:
            definition["strategy"] = _named(strategy)
        if pruner is not None:
            definition["pruner"] = _named(pruner)
        if max_trials is not None:
            definition["maxTrials"] = max_trials
        for key, value in more.items():
            definition[_camel(key)] = value
        return self.create_study(name, definition)

    def create_study(self, name: str, definition: Dict[str, Any]) -> "Study":
        """Creates or joins a study from a definition written as the API's JSON (``PUT /studies/{name}``)."""
        data = self._request("PUT", "/studies/" + _quote(name), definition)
        return Study(self, name, data)

    def get_study(self, name: str) -> "Study":
        """An existing study; raises :class:`~tellus.NotFound` when there is none."""
        return Study(self, name, self._request("GET", "/studies/" + _quote(name)))

    def studies(self) -> List["Study"]:
        """Every study, by name."""
        result: List[Study] = []
        after = None
        while True:
            page = self._request("GET", "/studies", params={"limit": _PAGE, "after": after})
            result.extend(Study(self, s["name"], s) for s in page["studies"])
            after = page.get("next")
            if not after:
                return result

    def delete_study(self, name: str) -> None:
        """Deletes a study with its trials; raises :class:`~tellus.NotFound` when there is none."""
        self._request("DELETE", "/studies/" + _quote(name))


class Study:
    """One study: ask for trials, run them, and read the results."""

    def __init__(self, client: Client, name: str, data: Optional[Dict[str, Any]] = None):
        self.client = client
        self.name = name
        self.data: Dict[str, Any] = data or {}
        self._path = "/studies/" + _quote(name)

    def __repr__(self) -> str:
        return "Study(%r)" % self.name

    # -- reading --------------------------------------------------------------------------------------

    def info(self) -> Dict[str, Any]:
        """The study as the server has it now: definition, ``state``, ``counts``, ``best``."""
        self.data = self.client._request("GET", self._path)
        return self.data

    @property
    def state(self) -> str:
        """``ACTIVE``, ``PAUSED`` or ``COMPLETED`` (read from the server)."""
        return self.info()["state"]

    @property
    def best_trial(self) -> Optional["Trial"]:
        """The best finished trial, or ``None`` before the first result (several objectives: the first of the Pareto front)."""
        best = self.best_trials
        return best[0] if best else None

    @property
    def best_trials(self) -> List["Trial"]:
        """The best trial, or the Pareto front for several objectives."""
        return [Trial(self, t) for t in self.client._request("GET", self._path + "/best")["trials"]]

    def trials(self, state: Optional[str] = None) -> List["Trial"]:
        """Every trial in number order, or those in ``state`` (``WAITING``, ``RUNNING``, ``COMPLETED``, ``PRUNED``, ``FAILED``)."""
        result: List[Trial] = []
        after = None
        while True:
            page = self.client._request("GET", self._path + "/trials",
                                        params={"state": state, "limit": _PAGE, "after": after})
            result.extend(Trial(self, t) for t in page["trials"])
            after = page.get("next")
            if after is None:
                return result

    def trial(self, number: int) -> "Trial":
        """One trial with its intermediate values."""
        return Trial(self, self.client._request("GET", "%s/trials/%d" % (self._path, number)))

    def to_csv(self, path: Union[str, os.PathLike, io.TextIOBase, None] = None, state: Optional[str] = None) -> str:
        """The trials as CSV (one column per parameter and objective); written to ``path`` when given."""
        text = self.client._transport.request("GET", "/api/v1" + self._path + "/trials",
                                              params={"state": state}, accept="text/csv")[1] or ""
        if path is not None:
            if hasattr(path, "write"):
                path.write(text)  # type: ignore[union-attr]
            else:
                with open(path, "w", encoding="utf-8", newline="") as out:
                    out.write(text)
        return text

    # -- changing -------------------------------------------------------------------------------------

    def ask(self, worker: Optional[str] = None, *, wait: bool = True) -> Optional["Trial"]:
        """The next trial to run, or ``None`` when the study is done.

        When the study has nothing to hand out yet (paused, or the last points still running) this waits
        as long as the server says and asks again; with ``wait=False`` it returns ``None`` at once instead.
        """
        while True:
            answer = self._ask(worker or default_worker(), 1)
            if answer["trials"]:
                return Trial(self, answer["trials"][0])
            if answer["done"] or not wait:
                return None
            time.sleep(float(answer.get("retryAfterSeconds") or 1))

    def _ask(self, worker: str, count: int) -> Dict[str, Any]:
        # One key per ask, kept over its retries: a retried ask whose answer was lost gets the same trials.
        return self.client._request("POST", self._path + "/trials/ask", {"worker": worker, "count": count},
                                    headers={"Idempotency-Key": uuid.uuid4().hex})

    def enqueue(self, params: Dict[str, Any]) -> "Trial":
        """Adds a ``WAITING`` trial with these params; the next ask hands it out (e.g. a known-good baseline)."""
        return Trial(self, self.client._request("POST", self._path + "/trials", {"params": params},
                                                retry_connection_errors=False))

    def add_trial(self, params: Dict[str, Any], value: Optional[Values] = None, **more: Any) -> "Trial":
        """Imports a finished result the strategy learns from (a warm start from earlier runs)."""
        body: Dict[str, Any] = {"params": params}
        body.update(_outcome(value))
        body.update({_camel(k): v for k, v in more.items()})
        return Trial(self, self.client._request("POST", self._path + "/trials", body, retry_connection_errors=False))

    def pause(self) -> None:
        """Asks answer nothing (and ``done: false``) until :meth:`resume`."""
        self.data = self.client._request("PATCH", self._path, {"state": "PAUSED"})

    def resume(self) -> None:
        """Back to ``ACTIVE`` after :meth:`pause`."""
        self.data = self.client._request("PATCH", self._path, {"state": "ACTIVE"})

    def complete(self) -> None:
        """Ends the study: asks answer ``done``."""
        self.data = self.client._request("PATCH", self._path, {"state": "COMPLETED"})

    def delete(self) -> None:
        """Deletes the study with its trials."""
        self.client.delete_study(self.name)

    # -- running ---------------------------------------------------------------------------------------

    def optimize(self, objective: Callable[["Trial"], Any], n_trials: Optional[int] = None, n_workers: int = 1, *,
                 processes: bool = False, worker: Optional[str] = None,
                 catch: Iterable[type] = ()) -> int:
        """Runs ``objective(trial)`` on asked trials until the study is done or ``n_trials`` ran; returns how many ran.

        ``objective`` returns the value (or a list of values, one per objective), may call
        ``trial.report(step, value)`` and raise :class:`~tellus.TrialPruned` when it returns ``True``.
        An exception ends its trial ``FAILED`` with the exception's text; it stops ``optimize`` and is
        raised again unless it is an instance of one of ``catch``.

        ``n_workers`` run at once: threads by default (good when the objective releases the GIL: numpy,
        scikit-learn, PyTorch, a subprocess), or processes with ``processes=True`` (pure-Python objectives;
        the objective must then be picklable, i.e. a module-level function, where the start method is not
        ``fork``). ``n_trials`` counts trials over all workers.
        """
        catch = tuple(catch)
        budget = _Budget(n_trials)
        name = worker or default_worker()
        if processes and n_workers > 1:
            return _run_processes(self, objective, budget, n_workers, name, catch)
        failures: List[BaseException] = []
        stop = threading.Event()

        def loop(index: int) -> None:
            try:
                _worker_loop(self, objective, budget, name if n_workers == 1 else "%s-%d" % (name, index),
                             catch, stop)
            except BaseException as e:  # noqa: B902 - handed to the caller's thread below
                failures.append(e)
                stop.set()

        if n_workers <= 1:
            _worker_loop(self, objective, budget, name, catch, stop)
        else:
            threads = [threading.Thread(target=loop, args=(i,), name="tellus-worker-%d" % i, daemon=True)
                       for i in range(n_workers)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            if failures:
                raise failures[0]
        return budget.used


class Trial:
    """One trial: its ``number`` and ``params``, and the calls that report on it and finish it.

    Used as a context manager, it heartbeats in a background thread while the block runs (so a long
    epoch does not lose the lease), tells ``FAILED`` with the exception's text if the block raises, and
    ``PRUNED`` on :class:`~tellus.TrialPruned` (which it then swallows)::

        with study.ask() as trial:
            trial.tell(train(**trial.params))
    """

    def __init__(self, study: Study, data: Dict[str, Any]):
        self.study = study
        self.data: Dict[str, Any] = data
        self._path = "%s/trials/%d" % (study._path, data["number"])
        self._stop_heartbeat = threading.Event()
        self._heartbeat_thread: Optional[threading.Thread] = None
        self._lost = threading.Event()

    def __repr__(self) -> str:
        return "Trial(number=%d, state=%s, params=%r, values=%r)" % (self.number, self.state, self.params, self.values)

    @property
    def number(self) -> int:
        """The trial's number in its study, from 0, never reused."""
        return self.data["number"]

    @property
    def params(self) -> Dict[str, Any]:
        """The parameter values to run, in the order of the study's space (inactive conditional ones absent)."""
        return self.data.get("params") or {}

    @property
    def state(self) -> str:
        """``WAITING``, ``RUNNING``, ``COMPLETED``, ``PRUNED`` or ``FAILED``, as last seen."""
        return self.data.get("state")

    @property
    def values(self) -> Optional[List[float]]:
        """The told values, one per objective, or ``None``."""
        return self.data.get("values")

    @property
    def value(self) -> Optional[float]:
        """The first told value, or ``None``."""
        values = self.values
        return values[0] if values else None

    @property
    def reason(self) -> Optional[str]:
        """Why the trial failed, if it did."""
        return self.data.get("reason")

    @property
    def worker(self) -> Optional[str]:
        return self.data.get("worker")

    @property
    def intermediate(self) -> List[Dict[str, Any]]:
        """Reported ``{"step", "value"}`` pairs (present on trials read one by one)."""
        return self.data.get("intermediate") or []

    @property
    def attributes(self) -> Dict[str, Any]:
        return self.data.get("attributes") or {}

    @property
    def finished(self) -> bool:
        """Whether the trial has an outcome (``COMPLETED``, ``PRUNED`` or ``FAILED``)."""
        return self.state in ("COMPLETED", "PRUNED", "FAILED")

    @property
    def lost(self) -> bool:
        """Whether a heartbeat found the trial no longer running (its lease ran out): stop working on it."""
        return self._lost.is_set()

    def report(self, step: int, value: Number) -> bool:
        """Stores an intermediate value (renewing the lease) and returns ``True`` when the pruner says stop."""
        answer = self.study.client._request("POST", self._path + "/report", {"step": step, "value": value})
        return bool(answer["prune"])

    def heartbeat(self) -> bool:
        """Renews the lease; ``False`` when the trial is no longer running (the worker should stop)."""
        try:
            self.study.client._request("POST", self._path + "/heartbeat")
            return True
        except errors.Conflict:
            self._lost.set()
            return False

    def tell(self, value: Optional[Values] = None, *, values: Optional[Sequence[Number]] = None,
             constraints: Optional[Sequence[Number]] = None, attributes: Optional[Dict[str, Any]] = None) -> "Trial":
        """Finishes the trial with its value (or a list of values, one per objective).

        A non-finite value (a diverged run) ends the trial ``FAILED`` on the server, as the API says.
        """
        body = _outcome(values if values is not None else value)
        if constraints is not None:
            body["constraints"] = list(constraints)
        return self._finish(body, attributes)

    def fail(self, reason: str = "failed", *, attributes: Optional[Dict[str, Any]] = None) -> "Trial":
        """Finishes the trial ``FAILED`` with a reason (failed trials do not count against ``max_trials``)."""
        return self._finish({"state": "FAILED", "reason": reason}, attributes)

    def prune(self) -> "Trial":
        """Finishes the trial ``PRUNED`` (after :meth:`report` returned ``True``)."""
        return self._finish({"state": "PRUNED"}, None)

    def _finish(self, body: Dict[str, Any], attributes: Optional[Dict[str, Any]]) -> "Trial":
        if attributes is not None:
            body["attributes"] = attributes
        self.data = self.study.client._request("POST", self._path + "/tell", body,
                                               headers={"Idempotency-Key": uuid.uuid4().hex})
        self._stop_heartbeat.set()
        return self

    # -- context manager -------------------------------------------------------------------------------

    def __enter__(self) -> "Trial":
        interval = _heartbeat_interval(self.study)
        self._heartbeat_thread = threading.Thread(target=self._beat, args=(interval,),
                                                  name="tellus-heartbeat-%d" % self.number, daemon=True)
        self._heartbeat_thread.start()
        return self

    def _beat(self, interval: float) -> None:
        while not self._stop_heartbeat.wait(interval):
            try:
                if not self.heartbeat():
                    return
            except errors.NotFound:
                return
            except errors.TellusError:
                continue  # unreachable for now: the next beat tries again

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> bool:
        self._stop_heartbeat.set()
        if self._heartbeat_thread is not None:
            self._heartbeat_thread.join()
        if self.finished:
            return isinstance(exc, errors.TrialPruned)
        if self.lost:
            return False  # the server failed it when its lease ran out (and may have handed its params out again)
        if exc is None:
            self.fail("the trial's block ended without telling a result")
            return False
        try:
            if isinstance(exc, errors.TrialPruned):
                self.prune()
                return True
            self.fail(_describe(exc))
        except errors.TellusError:
            if isinstance(exc, errors.TrialPruned):
                raise
            # The original exception says more than the failed tell; the lease reaps the trial anyway.
        return False


# -- helpers ------------------------------------------------------------------------------------------

class _Budget:
    """How many more trials optimize may start, shared by its workers."""

    def __init__(self, limit: Optional[int]):
        self.limit = limit
        self.used = 0
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.limit is not None and self.used >= self.limit:
                return False
            self.used += 1
            return True

    def give_back(self) -> None:
        with self._lock:
            self.used -= 1


def _worker_loop(study: Study, objective: Callable[[Trial], Any], budget: Any, worker: str,
                 catch: tuple, stop: threading.Event) -> None:
    while not stop.is_set() and budget.take():
        trial = study.ask(worker)
        if trial is None:
            budget.give_back()
            return
        try:
            with trial:
                result = objective(trial)
                if not trial.finished:
                    if result is None:
                        raise TypeError("the objective returned None: return the value to tell")
                    trial.tell(result)
        except errors.TrialPruned:
            continue
        except BaseException as e:
            if catch and isinstance(e, catch):
                continue
            raise


class _SharedBudget:
    """_Budget across processes."""

    def __init__(self, limit: Optional[int], ctx: Any):
        self.limit = -1 if limit is None else limit
        self._used = ctx.Value("i", 0)

    @property
    def used(self) -> int:
        return self._used.value

    def take(self) -> bool:
        with self._used.get_lock():
            if 0 <= self.limit <= self._used.value:
                return False
            self._used.value += 1
            return True

    def give_back(self) -> None:
        with self._used.get_lock():
            self._used.value -= 1


def _process_main(url: str, api_key: Optional[str], name: str, objective: Callable[[Trial], Any],
                  budget: _SharedBudget, worker: str, catch: tuple, timeout: float, retries: int,
                  backoff: float, errors_out: Any) -> None:
    study = Study(Client(url, api_key, timeout=timeout, retries=retries, backoff=backoff), name)
    try:
        _worker_loop(study, objective, budget, worker, catch, threading.Event())
    except BaseException as e:
        errors_out.put("%s: %s" % (type(e).__name__, e))
        raise SystemExit(1)


def _run_processes(study: Study, objective: Callable[[Trial], Any], budget: _Budget, n_workers: int,
                   name: str, catch: tuple) -> int:
    ctx = multiprocessing.get_context()
    shared = _SharedBudget(budget.limit, ctx)
    failures = ctx.Queue()
    client = study.client
    procs = [ctx.Process(target=_process_main, name="tellus-worker-%d" % i,
                         args=(client.url, client.api_key, study.name, objective, shared, "%s-%d" % (name, i),
                               catch, client.timeout, client.retries, client.backoff, failures))
             for i in range(n_workers)]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    if any(p.exitcode != 0 for p in procs):
        messages = []
        while not failures.empty():
            messages.append(failures.get())
        raise RuntimeError("a worker process failed: " + ("; ".join(messages) or "exit codes %s"
                                                          % [p.exitcode for p in procs]))
    return shared.used


def _heartbeat_interval(study: Study) -> float:
    lease = study.data.get("leaseSeconds")
    if lease is None:
        try:
            lease = study.info().get("leaseSeconds")
        except errors.TellusError:
            lease = None
    # A third of the lease: two beats may be lost before it runs out.
    return max(0.2, min(60.0, float(lease or 600) / 3))


def _describe(exc: BaseException) -> str:
    text = "".join(traceback.format_exception_only(type(exc), exc)).strip()
    return text[-2000:]


def _outcome(value: Optional[Values]) -> Dict[str, Any]:
    if value is None:
        raise TypeError("a value is needed (or a list of values, one per objective)")
    if isinstance(value, (list, tuple)):
        return {"values": [float(v) for v in value]}
    return {"value": float(value)}


def _named(spec: Union[str, Dict[str, Any]]) -> Dict[str, Any]:
    return {"name": spec} if isinstance(spec, str) else dict(spec)


def _objectives(spec: Any) -> List[Dict[str, Any]]:
    if isinstance(spec, str):
        return [{"name": "value", "direction": spec}]
    if isinstance(spec, dict):
        return [{"name": k, "direction": v} for k, v in spec.items()]
    items = list(spec)
    result = []
    for i, item in enumerate(items):
        if isinstance(item, str):
            result.append({"name": "value" if len(items) == 1 else "value%d" % i, "direction": item})
        else:
            result.append(dict(item))
    return result


def _camel(key: str) -> str:
    head, *rest = key.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def _quote(name: str) -> str:
    return urllib.parse.quote(name, safe="")
