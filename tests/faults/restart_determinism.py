#!/usr/bin/env python3
"""Fault test: a seeded study proposes the same sequence with or without a server restart in the middle.

For each strategy, two studies with the same definition and seed are fed the same results one trial at a
time: the first on one Tellus process throughout; the second on a process that is killed with SIGKILL
halfway and replaced by a fresh one (new JVM: no in-memory caches, strategy state only from PostgreSQL).

    ./mvnw -q package -DskipTests && python3 tests/faults/restart_determinism.py [--strategies tpe,gp,cmaes,genetic,random]
"""
import argparse
import math
import os
import signal
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from tellus_processes import Client, fresh_database, start  # noqa: E402

SPACE = {
    "lr": {"type": "float", "low": 1e-5, "high": 1.0, "log": True},
    "layers": {"type": "int", "low": 1, "high": 8},
    "x": {"type": "float", "low": -2.0, "high": 2.0},
    "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
    "momentum": {"type": "float", "low": 0.0, "high": 1.0, "when": {"optimizer": ["sgd"]}},
}


def loss(p):
    value = (math.log10(p["lr"]) + 3) ** 2 + 0.1 * (p["layers"] - 5) ** 2 + (p["x"] - 0.5) ** 2
    return value + (4 * (p["momentum"] - 0.9) ** 2 if p["optimizer"] == "sgd" else 0.5)


def run(client, study, trials):
    sequence = []
    for _ in range(trials):
        status, answer = client.call("POST", study + "/trials/ask", {})
        assert status == 200, (status, answer)
        trial = answer["trials"][0]
        sequence.append(trial["params"])
        status, _ = client.call("POST", f"{study}/trials/{trial['number']}/tell", {"value": loss(trial["params"])})
        assert status == 200
    return sequence


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--admin-url", default="postgresql://postgres@127.0.0.1:5432")
    parser.add_argument("--strategies", default="random,tpe,gp,cmaes,genetic")
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()

    jdbc, user = fresh_database(args.admin_url, "tellus_fault_determinism")
    first, second = 18084, 18085
    steady = start(first, jdbc, user, f"/tmp/tellus-{first}.log")
    client = Client(first)
    half = args.trials // 2
    results = {}
    for strategy in args.strategies.split(","):
        definition = {"space": SPACE, "strategy": {"name": strategy, "seed": 2024}}
        a, b = f"/api/v1/studies/straight-{strategy}", f"/api/v1/studies/restarted-{strategy}"
        for s in (a, b):
            assert client.call("PUT", s, definition)[0] == 201
        straight = run(client, a, args.trials)
        # The second study: half its trials on a process that then dies, the rest on a new one.
        victim_port = second
        victim = start(victim_port, jdbc, user, f"/tmp/tellus-{victim_port}.log")
        before = run(Client(victim_port), b, half)
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        fresh = start(victim_port, jdbc, user, f"/tmp/tellus-{victim_port}-after.log")
        after = run(Client(victim_port), b, args.trials - half)
        fresh.terminate()
        fresh.wait()
        restarted = before + after
        diverged = next((i for i, (x, y) in enumerate(zip(straight, restarted)) if x != y), None)
        results[strategy] = diverged
        print(f"{strategy}: {'identical' if diverged is None else f'diverged at trial {diverged}'} "
              f"over {args.trials} trials (kill -9 and a new process after trial {half - 1})")
    steady.terminate()
    ok = all(v is None for v in results.values())
    print(f"{'PASS' if ok else 'FAIL'}: same sequence with and without a restart for {', '.join(results)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
