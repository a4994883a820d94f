#!/usr/bin/env python3
"""Fault test: two Tellus processes on one database, 8 workers on a 300-point grid, one process killed
with SIGKILL mid-run. Checks that every grid point ends COMPLETED exactly once, every acknowledged tell is
kept, and the surviving process finishes the study.

    ./mvnw -q package -DskipTests && python3 tests/faults/two_instances.py [--admin-url postgresql://postgres@127.0.0.1:5432]
    python3 tests/faults/two_instances.py --strategy cmaes    # the same with a 300-trial CMA-ES study

With --strategy other than grid, the study is a 4-parameter continuous space with maxTrials 300, and the
checks are: 300 trials COMPLETED, every acknowledged tell kept, the survivor finishes the study.

Needs a PostgreSQL it may create a database in (default: the local one, user postgres, trust auth).
"""
import argparse
import os
import signal
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tellus_processes import Client, fresh_database, start  # noqa: E402

WORKERS = 8
POINTS = 300


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--kill-after", type=int, default=100, help="completed trials before the kill")
    parser.add_argument("--strategy", default="grid")
    args = parser.parse_args()
    grid = args.strategy == "grid"

    jdbc, user = fresh_database(args.admin_url, "tellus_fault_two")
    ports = [18081, 18082]
    processes = {p: start(p, jdbc, user, f"/tmp/tellus-{p}.log") for p in ports}
    print(f"started Tellus on ports {ports} (logs /tmp/tellus-<port>.log)")

    study = f"/api/v1/studies/fault-{args.strategy}"
    if grid:
        definition = {"space": {"a": {"type": "int", "low": 1, "high": 15}, "b": {"type": "int", "low": 1, "high": 20}},
                      "strategy": {"name": "grid"}, "leaseSeconds": 3, "maxRetries": 5}
    else:
        definition = {"space": {"a": {"type": "int", "low": 1, "high": 15}, "b": {"type": "int", "low": 1, "high": 20},
                                "x": {"type": "float", "low": -3, "high": 3}, "y": {"type": "float", "low": -3, "high": 3}},
                      "strategy": {"name": args.strategy, "seed": 7}, "maxTrials": POINTS, "leaseSeconds": 3,
                      "maxRetries": 5}
    status, _ = Client(ports[0]).call("PUT", study, definition)
    assert status == 201, status

    acknowledged = {}  # trial number -> value, for every tell answered 200
    lock = threading.Lock()
    stats = {"failovers": 0, "completed": 0, "5xx": 0}
    alive = set(ports)

    def call(worker, method, path, body=None):
        """Tries the worker's preferred instance, then the other; retries until one answers."""
        order = ports if worker % 2 == 0 else ports[::-1]
        while True:
            for port in order:
                if port not in alive:
                    continue
                try:
                    status, answer = Client(port).call(method, path, body)
                except OSError:
                    with lock:
                        stats["failovers"] += 1
                    continue
                if status >= 500:
                    with lock:
                        stats["5xx"] += 1
                    time.sleep(0.2)
                    continue
                return status, answer
            time.sleep(0.2)

    def worker(w):
        while True:
            status, answer = call(w, "POST", study + "/trials/ask", {"worker": f"w{w}"})
            assert status == 200, (status, answer)
            if not answer["trials"]:
                if answer["done"]:
                    return
                time.sleep(answer.get("retryAfterSeconds", 1) / 5)
                continue
            trial = answer["trials"][0]
            time.sleep(0.02)  # "training"
            p = trial["params"]
            value = p["a"] * 100 + p["b"] if grid else (p["a"] - 4) ** 2 + (p["b"] - 9) ** 2 + (p["x"] - 1) ** 2 + p["y"] ** 2
            status, told = call(w, "POST", f"{study}/trials/{trial['number']}/tell", {"value": value})
            assert status == 200, (status, told)
            with lock:
                acknowledged[trial["number"]] = value
                stats["completed"] += 1

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(WORKERS)]
    started = time.time()
    for t in threads:
        t.start()
    while stats["completed"] < args.kill_after:
        time.sleep(0.05)
    victim = ports[0]
    alive.discard(victim)
    processes[victim].send_signal(signal.SIGKILL)
    print(f"killed Tellus on port {victim} (SIGKILL) after {stats['completed']} completed trials")
    for t in threads:
        t.join()
    elapsed = time.time() - started

    survivor = Client(ports[1])
    trials, after = [], -1
    while True:
        _, page = survivor.call("GET", f"{study}/trials?limit=1000&after={after}")
        trials += page["trials"]
        if page["next"] is None:
            break
        after = page["next"]
    _, summary = survivor.call("GET", study)
    processes[ports[1]].terminate()

    completed_by_point = {}
    for t in trials:
        if t["state"] == "COMPLETED":
            point = (t["params"]["a"], t["params"]["b"])
            completed_by_point[point] = completed_by_point.get(point, 0) + 1
    missing = POINTS - len(completed_by_point)
    duplicated = sum(1 for c in completed_by_point.values() if c > 1)
    by_number = {t["number"]: t for t in trials}
    lost = [n for n, v in acknowledged.items()
            if by_number[n]["state"] != "COMPLETED" or by_number[n]["values"][0] != v]
    reaped = sum(1 for t in trials if t["reason"] == "lease expired")
    completed = sum(1 for t in trials if t["state"] == "COMPLETED")
    checks = {
        "every grid point COMPLETED": missing == 0,
        "no grid point COMPLETED twice": duplicated == 0,
    } if grid else {f"{POINTS} trials COMPLETED": completed == POINTS}
    checks |= {
        "every acknowledged tell kept": not lost,
        "survivor finished the study": summary["state"] == "COMPLETED",
    }
    print(f"| figure | value |\n|---|---|")
    print(f"| trials in the database | {len(trials)} |")
    if grid:
        print(f"| grid points COMPLETED | {len(completed_by_point)} of {POINTS} |")
    else:
        best = min(t["values"][0] for t in trials if t["state"] == "COMPLETED")
        print(f"| trials COMPLETED | {completed} of {POINTS} (best value {best:.4g}, optimum 0) |")
    print(f"| trials failed by lease expiry (asks lost in the kill) | {reaped} |")
    print(f"| acknowledged tells | {len(acknowledged)}, lost: {len(lost)} |")
    print(f"| worker failovers / 5xx answers | {stats['failovers']} / {stats['5xx']} |")
    print(f"| wall time | {elapsed:.1f} s |")
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}: {name}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
