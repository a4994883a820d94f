"""The ``tellus`` command: look at studies, and ``tellus agent`` to run any training command as a worker.

    tellus studies
    tellus trials mnist --state COMPLETED --csv > mnist.csv
    tellus agent mnist --workers 2 -- python train.py --lr {lr} --layers {layers}
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
from collections import deque
from typing import Any, Deque, Dict, List, Optional, Sequence

from . import errors
from .client import Client, Study, Trial, default_worker

__all__ = ["main", "last_number", "substitute"]

_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_.\-]*)\}")
# A number standing on its own: not the "50" of "resnet50" nor the "1" of "v1.2" (but "loss=0.23" is 0.23).
_NUMBER = re.compile(r"(?<![\w.])[-+]?(?:(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|nan|inf(?:inity)?)(?![\w.])",
                     re.IGNORECASE)
_STDERR_TAIL = 2000


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Runs the command line; returns the exit status."""
    args = list(sys.argv[1:] if argv is None else argv)
    command: List[str] = []
    if "--" in args:
        at = args.index("--")
        args, command = args[:at], args[at + 1:]
    parser = _parser()
    ns = parser.parse_args(args)
    if ns.command is None:
        parser.print_help(sys.stderr)
        return 2
    if command and ns.command != "agent":
        parser.error("only 'agent' takes a command after --")
    if ns.command == "agent" and not command:
        parser.error("agent needs the command to run after --, e.g. tellus agent NAME -- python train.py --lr {lr}")
    client = Client(ns.url, ns.api_key)
    try:
        return ns.run(client, ns, command)
    except errors.TellusError as e:
        print("tellus: %s" % e, file=sys.stderr)
        for field, message in e.errors:
            print("  %s: %s" % (field, message), file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="tellus", description="Tellus: hyperparameter optimisation as a service.")
    parser.add_argument("--url", help="the server (default: TELLUS_URL, else http://localhost:8080)")
    parser.add_argument("--api-key", help="sent as Authorization: Bearer (default: TELLUS_API_KEY)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("studies", help="list the studies")
    p.set_defaults(run=_studies)
    p = sub.add_parser("show", help="a study as JSON: definition, state, counts, best")
    p.add_argument("name")
    p.set_defaults(run=_show)
    p = sub.add_parser("best", help="the best trial (the Pareto front for several objectives) as JSON")
    p.add_argument("name")
    p.set_defaults(run=_best)
    p = sub.add_parser("trials", help="a study's trials as a table, or CSV")
    p.add_argument("name")
    p.add_argument("--state", type=str.upper, choices=["WAITING", "RUNNING", "COMPLETED", "PRUNED", "FAILED"])
    p.add_argument("--csv", action="store_true", help="CSV: one column per parameter and objective")
    p.set_defaults(run=_trials)
    p = sub.add_parser("create", help="create a study (or match an existing one) from a JSON definition")
    p.add_argument("name")
    p.add_argument("--definition", required=True, metavar="FILE", help="the API's study JSON; - reads stdin")
    p.set_defaults(run=_create)
    p = sub.add_parser("delete", help="delete a study and its trials")
    p.add_argument("name")
    p.set_defaults(run=_delete)

    p = sub.add_parser(
        "agent", help="run a command for each trial until the study is done",
        description="Asks for a trial, runs the command after -- with {param} replaced by the trial's values "
                    "(also given as TELLUS_PARAM_<NAME> variables and a JSON file named by TELLUS_PARAMS_FILE), "
                    "heartbeats while it runs, tells the last number it printed (or the number in "
                    "--metric-file), and repeats until the study is done. A non-zero exit tells FAILED "
                    "with the tail of its standard error.")
    p.add_argument("name")
    p.add_argument("--definition", metavar="FILE", help="create or join the study with this JSON definition first")
    p.add_argument("--workers", type=int, default=1, help="commands run at once (default 1)")
    p.add_argument("--metric-file", metavar="PATH",
                   help="read the objective from this file the command writes (placeholders allowed, "
                        "e.g. out/{trial}.txt) instead of its output")
    p.add_argument("--max-trials", type=int, help="stop after this many trials of this agent")
    p.add_argument("--max-failures", type=int, default=5,
                   help="stop when this many trials in a row failed (default 5): a broken command does not "
                        "burn the study")
    p.add_argument("--worker", help="worker name (default: host-pid)")
    p.set_defaults(run=_agent)
    return parser


def _studies(client: Client, ns: argparse.Namespace, command: List[str]) -> int:
    rows = [("NAME", "STATE", "TRIALS", "COMPLETED", "BEST")]
    for study in client.studies():
        s = study.data
        counts = s.get("counts") or {}
        best = s.get("best") or {}
        rows.append((s["name"], s.get("state", ""), str(sum(counts.values())), str(counts.get("COMPLETED", 0)),
                     _values(best.get("values")) if best else ""))
    _table(rows)
    return 0


def _show(client: Client, ns: argparse.Namespace, command: List[str]) -> int:
    _json(client.get_study(ns.name).data)
    return 0


def _best(client: Client, ns: argparse.Namespace, command: List[str]) -> int:
    _json({"trials": [t.data for t in client.get_study(ns.name).best_trials]})
    return 0


def _trials(client: Client, ns: argparse.Namespace, command: List[str]) -> int:
    study = Study(client, ns.name)
    if ns.csv:
        sys.stdout.write(study.to_csv(state=ns.state))
        return 0
    rows = [("NUMBER", "STATE", "VALUES", "PARAMS", "REASON")]
    for t in study.trials(state=ns.state):
        rows.append((str(t.number), t.state, _values(t.values),
                     " ".join("%s=%s" % kv for kv in t.params.items()), t.reason or ""))
    _table(rows)
    return 0


def _create(client: Client, ns: argparse.Namespace, command: List[str]) -> int:
    _json(client.create_study(ns.name, _read_definition(ns.definition)).data)
    return 0


def _delete(client: Client, ns: argparse.Namespace, command: List[str]) -> int:
    client.delete_study(ns.name)
    print("deleted %s" % ns.name, file=sys.stderr)
    return 0


# -- agent --------------------------------------------------------------------------------------------

def substitute(text: str, params: Dict[str, Any], number: int) -> str:
    """``text`` with ``{name}`` replaced by the trial's param (``{trial}``: the trial number).

    An inactive conditional parameter becomes the empty string; braces naming no parameter stay as they are.
    """

    def one(match: "re.Match[str]") -> str:
        key = match.group(1)
        if key in params:
            return _format(params[key])
        if key == "trial":
            return str(number)
        return match.group(0)

    return _PLACEHOLDER.sub(one, text)


def last_number(text: str) -> Optional[float]:
    """The last number in ``text`` that stands on its own (``nan`` and ``inf`` included), or ``None``."""
    found = _NUMBER.findall(text)
    return float(found[-1]) if found else None


class _Agent:
    def __init__(self, study: Study, ns: argparse.Namespace, command: List[str], space: Dict[str, Any]):
        self.study = study
        self.command = command
        self.space = space
        self.metric_file = ns.metric_file
        self.worker = ns.worker or default_worker()
        self.workers = max(1, ns.workers)
        self.remaining = ns.max_trials
        self.max_failures = ns.max_failures
        self.failures_in_a_row = 0
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.broken: Optional[str] = None
        self.children: Dict[int, subprocess.Popen] = {}
        self.ran = 0
        self.done = False  # the study said done (rather than --max-trials or an interrupt ending the run)

    def run(self) -> int:
        threads = [threading.Thread(target=self._loop, args=(i,), daemon=True) for i in range(self.workers)]
        for t in threads:
            t.start()
        try:
            for t in threads:
                while t.is_alive():
                    t.join(0.2)
        except KeyboardInterrupt:
            self.stop.set()
            with self.lock:
                for child in self.children.values():
                    child.terminate()
            for t in threads:
                t.join(30)
            print("tellus: interrupted; running trials told FAILED", file=sys.stderr)
            return 130
        if self.broken:
            print("tellus: stopped: %s" % self.broken, file=sys.stderr)
            return 1
        print("tellus: %d trials run; %s" % (self.ran, "study %s is done" % self.study.name if self.done
                                              else "stopped at --max-trials"), file=sys.stderr)
        return 0

    def _take(self) -> bool:
        with self.lock:
            if self.stop.is_set():
                return False
            if self.remaining is not None:
                if self.remaining <= 0:
                    return False
                self.remaining -= 1
            return True

    def _loop(self, index: int) -> None:
        worker = self.worker if self.workers == 1 else "%s-%d" % (self.worker, index)
        while self._take():
            trial = self.study.ask(worker)
            if trial is None:
                self.done = True
                return
            ok = self._run(trial)
            with self.lock:
                self.ran += 1
                self.failures_in_a_row = 0 if ok else self.failures_in_a_row + 1
                if self.failures_in_a_row >= self.max_failures and not self.broken:
                    self.broken = "%d trials in a row failed (--max-failures); the last: %s" % (
                        self.failures_in_a_row, trial.reason)
                    self.stop.set()

    def _run(self, trial: Trial) -> bool:
        """Runs one trial's command; whether it completed."""
        params = trial.params
        argv = [substitute(arg, params, trial.number) for arg in self.command]
        metric_file = substitute(self.metric_file, params, trial.number) if self.metric_file else None
        fd, params_file = tempfile.mkstemp(prefix="tellus-trial-%d-" % trial.number, suffix=".json")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            json.dump(params, f)
        env = dict(os.environ)
        for name in self.space:
            env.pop(_env_name(name), None)  # an inactive parameter is absent, not left from the agent's env
        env.update({_env_name(k): _format(v) for k, v in params.items()})
        env.update({"TELLUS_STUDY": self.study.name, "TELLUS_TRIAL_NUMBER": str(trial.number),
                    "TELLUS_PARAMS_FILE": params_file})
        if metric_file:
            env["TELLUS_METRIC_FILE"] = metric_file
            if os.path.exists(metric_file):
                os.remove(metric_file)  # a stale metric from an earlier run must not be told
        prefix = "[trial %d] " % trial.number if self.workers > 1 else ""
        try:
            with trial:
                outcome = self._execute(trial, argv, env, prefix, metric_file)
        finally:
            os.remove(params_file)
        shown = " ".join("%s=%s" % (k, _format(v)) for k, v in params.items())
        if trial.state == "COMPLETED":
            print("tellus: trial %d COMPLETED %s (%s)" % (trial.number, _values(trial.values), shown), file=sys.stderr)
        else:
            print("tellus: trial %d %s: %s (%s)" % (trial.number, trial.state, trial.reason or outcome, shown),
                  file=sys.stderr)
        return trial.state == "COMPLETED"

    def _execute(self, trial: Trial, argv: List[str], env: Dict[str, str], prefix: str,
                 metric_file: Optional[str]) -> str:
        try:
            child = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                     stdin=subprocess.DEVNULL, start_new_session=True)
        except OSError as e:
            trial.fail("cannot run %s: %s" % (argv[0], e))
            return "not run"
        with self.lock:
            self.children[trial.number] = child
        out: Deque[str] = deque(maxlen=200)
        err: Deque[str] = deque(maxlen=200)
        readers = [threading.Thread(target=_pump, args=(child.stdout, sys.stdout, prefix, out), daemon=True),
                   threading.Thread(target=_pump, args=(child.stderr, sys.stderr, prefix, err), daemon=True)]
        for r in readers:
            r.start()
        while True:
            try:
                code = child.wait(timeout=0.5)
                break
            except subprocess.TimeoutExpired:
                if trial.lost or self.stop.is_set() and self.broken is None:
                    _terminate(child)
        for r in readers:
            r.join()
        with self.lock:
            del self.children[trial.number]
        if trial.lost:
            return "lease lost"  # the server failed it already; its params may go out again
        if code != 0:
            tail = "".join(err)[-_STDERR_TAIL:].strip()
            reason = "exit code %d" % code if code > 0 else "killed by signal %d" % -code
            trial.fail(reason + (": " + tail if tail else ""))
            return reason
        if metric_file:
            try:
                with open(metric_file, encoding="utf-8") as f:
                    value = last_number(f.read())
            except OSError as e:
                trial.fail("no metric file %s: %s" % (metric_file, e))
                return "no metric file"
        else:
            value = last_number("".join(out))
        if value is None:
            trial.fail("the command printed no number" if not metric_file else "no number in %s" % metric_file)
            return "no number"
        trial.tell(value)  # a non-finite value (a diverged run) ends the trial FAILED on the server
        return "told"


def _agent(client: Client, ns: argparse.Namespace, command: List[str]) -> int:
    if ns.definition:
        study = client.create_study(ns.name, _read_definition(ns.definition))
    else:
        try:
            study = client.get_study(ns.name)
        except errors.NotFound:
            print("tellus: no study %s: create it first (tellus create %s --definition FILE, or agent --definition)"
                  % (ns.name, ns.name), file=sys.stderr)
            return 1
    return _Agent(study, ns, command, study.data.get("space") or {}).run()


def _pump(stream: Any, echo: Any, prefix: str, keep: Deque[str]) -> None:
    for raw in iter(stream.readline, b""):
        line = raw.decode("utf-8", errors="replace")
        keep.append(line)
        echo.write(prefix + line if prefix else line)
        echo.flush()
    stream.close()


def _terminate(child: subprocess.Popen) -> None:
    try:
        os.killpg(child.pid, signal.SIGTERM)  # the command's whole process group: a shell's children too
    except OSError:
        pass


def _env_name(param: str) -> str:
    return "TELLUS_PARAM_" + re.sub(r"[^A-Za-z0-9]", "_", param).upper()


def _format(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


# -- output -------------------------------------------------------------------------------------------

def _read_definition(path: str) -> Dict[str, Any]:
    try:
        if path == "-":
            return json.load(sys.stdin)
        with open(path, encoding="utf-8") as f:
            return json.load(f)
    except (OSError, ValueError) as e:
        raise SystemExit("tellus: cannot read the definition %s: %s" % (path, e))


def _values(values: Optional[List[float]]) -> str:
    if not values:
        return ""
    return ",".join("%.6g" % v for v in values)


def _json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2)
    sys.stdout.write("\n")


def _table(rows: List[Sequence[str]]) -> None:
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        print("  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip())
