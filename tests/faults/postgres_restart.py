#!/usr/bin/env python3
"""Fault test: PostgreSQL restarted under load. Checks that requests during the outage get only 503
(problem+json, with Retry-After), never 500 or a dropped connection, that Tellus recovers by itself
without a restart, and that no trial number is handed out twice.

    ./mvnw -q package -DskipTests && python3 tests/faults/postgres_restart.py [--restart-command "..."]

By default it restarts this machine's PostgreSQL 15 cluster with pg_ctlcluster (root needed).
"""
import argparse
import collections
import os
import shlex
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tellus_processes import Client, fresh_database, start  # noqa: E402

THREADS = 8


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--stop-command", default="pg_ctlcluster --skip-systemctl-redirect 15 main stop -m fast")
    parser.add_argument("--start-command", default="pg_ctlcluster --skip-systemctl-redirect 15 main start")
    parser.add_argument("--outage-seconds", type=float, default=5)
    args = parser.parse_args()

    jdbc, user = fresh_database(args.admin_url, "tellus_fault_restart")
    port = 18083
    process = start(port, jdbc, user, f"/tmp/tellus-{port}.log")
    studies = [f"/api/v1/studies/restart-{i}" for i in range(4)]
    for s in studies:
        Client(port).call("PUT", s, {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"}})

    statuses = collections.Counter()
    bad = []
    numbers = collections.defaultdict(list)
    phase = {"name": "before"}
    by_phase = collections.defaultdict(collections.Counter)
    stop = threading.Event()
    lock = threading.Lock()

    def worker(w):
        client = Client(port)
        study = studies[w % len(studies)]
        while not stop.is_set():
            try:
                status, answer = client.call("POST", study + "/trials/ask", {"worker": f"w{w}"})
            except OSError as e:
                with lock:
                    bad.append(f"connection error: {e}")
                continue
            with lock:
                statuses[status] += 1
                by_phase[phase["name"]][status] += 1
            if status == 200:
                for t in answer["trials"]:
                    with lock:
                        numbers[study].append(t["number"])
                    client.call("POST", f"{study}/trials/{t['number']}/tell", {"value": 0.5})
            elif status == 503:
                if not isinstance(answer, dict) or answer.get("status") != 503:
                    with lock:
                        bad.append(f"503 without problem+json: {answer!r}")
                time.sleep(0.2)
            else:
                with lock:
                    bad.append(f"{status}: {answer!r}")

    threads = [threading.Thread(target=worker, args=(w,)) for w in range(THREADS)]
    for t in threads:
        t.start()
    time.sleep(4)
    phase["name"] = "outage"
    print("stopping PostgreSQL")
    subprocess.run(shlex.split(args.stop_command), check=True)
    time.sleep(args.outage_seconds)
    subprocess.run(shlex.split(args.start_command), check=True)
    print("PostgreSQL started again")
    restarted = time.time()
    # Recovery: the first 200 after the restart, with no restart of Tellus.
    recovered_after = None
    while time.time() - restarted < 60:
        if by_phase["outage"][200] and recovered_after is None:
            pass
        with lock:
            snapshot = sum(statuses.values())
        time.sleep(0.2)
        try:
            status, _ = Client(port).call("GET", studies[0])
            if status == 200:
                recovered_after = time.time() - restarted
                break
        except OSError:
            pass
    phase["name"] = "after"
    time.sleep(4)
    stop.set()
    for t in threads:
        t.join()

    duplicates = sum(len(v) - len(set(v)) for v in numbers.values())
    db_ok = True
    for s in studies:
        _, summary = Client(port).call("GET", s)
        db_ok &= sum(summary["counts"].values()) >= len(set(numbers[s]))
    process.terminate()

    print("| phase | 200 | 503 | other |\n|---|---|---|---|")
    for name in ("before", "outage", "after"):
        c = by_phase[name]
        print(f"| {name} | {c[200]} | {c[503]} | {sum(v for k, v in c.items() if k not in (200, 503))} |")
    print(f"recovered {recovered_after:.1f} s after PostgreSQL came back" if recovered_after is not None else "did not recover")
    checks = {
        "only 200 and 503 answers, 503s as problem+json": not bad,
        "503s seen during the outage": by_phase["outage"][503] > 0,
        "recovered without restarting Tellus": recovered_after is not None and by_phase["after"][200] > 0,
        "no trial number handed out twice": duplicates == 0 and db_ok,
    }
    for line in bad[:5]:
        print("  ", line)
    for name, ok in checks.items():
        print(f"{'PASS' if ok else 'FAIL'}: {name}")
    sys.exit(0 if all(checks.values()) else 1)


if __name__ == "__main__":
    main()
