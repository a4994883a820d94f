#!/usr/bin/env python3
"""Report latency with a pruner deciding, on a study that already holds 1000 trials x 100 steps.

    python3 bench/report_latency.py [--url http://localhost:8080] [--trials 1000] [--steps 100] \
        [--pruner median] [--rounds 500]

Seeds a study (pruner `median` with interval 1, so every report is judged against the ~1000 values other
trials recorded at that step) with trials x steps intermediate values over HTTP (8 connections), then measures,
on one keep-alive connection, reports of fresh trials at steps 1..steps, each interleaved with the same run's
baselines: GET /actuator/health (HTTP + Spring, no database) and a heartbeat (a lease renewal: one trial row
locked and updated, no pruning) and a report at a step no other trial reached (the whole report path, with
no peers to read). Prints p50/p95/p99 and each p50 as a ratio to the baselines. Deletes the study.
"""
import argparse
import concurrent.futures
import http.client
import json
import random
import time
import urllib.parse
import uuid


def percentile(values, q):
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Client:
    def __init__(self, url):
        self.url = url
        self.conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)

    def reconnect(self):
        self.conn.close()
        self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port or 80, timeout=60)

    def call(self, method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        start = time.perf_counter()
        self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status >= 400:
            raise SystemExit(f"{method} {path} -> {response.status}: {data[:300]!r}")
        return elapsed, (json.loads(data) if data else None)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--trials", type=int, default=1000)
    parser.add_argument("--steps", type=int, default=100)
    parser.add_argument("--pruner", default="median")
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--study", help="reuse a study seeded by an earlier run with --keep (skips seeding)")
    parser.add_argument("--keep", action="store_true", help="do not delete the study at the end")
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.url)
    options = {"maxResource": args.steps} if args.pruner == "hyperband" else {}
    if args.pruner == "median":
        options = {"interval": 1, "warmupSteps": 0}

    main_client = Client(url)
    if args.study:
        study = f"/api/v1/studies/{args.study}"
        measure(args, url, main_client, study, options)
        return
    study = f"/api/v1/studies/report-latency-{uuid.uuid4().hex[:8]}"
    main_client.call("PUT", study, {
        "space": {"x": {"type": "float", "low": 0.0, "high": 1.0}},
        "strategy": {"name": "random", "seed": 1},
        "pruner": {"name": args.pruner, "options": options},
        "leaseSeconds": 86400,
    })

    numbers = []
    while len(numbers) < args.trials:
        count = min(100, args.trials - len(numbers))
        _, asked = main_client.call("POST", study + "/trials/ask", {"count": count})
        numbers += [t["number"] for t in asked["trials"]]

    def seed(chunk):
        client = Client(url)
        for n in chunk:
            rng = random.Random(n)
            level = rng.random()
            for step in range(1, args.steps + 1):
                client.call("POST", f"{study}/trials/{n}/report",
                            {"step": step, "value": level + 1.0 / step + 0.01 * rng.random()})
        return len(chunk)

    started = time.perf_counter()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(seed, [numbers[i::8] for i in range(8)]))
    print(f"seeded {args.trials} trials x {args.steps} steps in {time.perf_counter() - started:.0f} s ({study})")
    measure(args, url, main_client, study, options)


def measure(args, url, main_client, study, options):

    # Fresh trials that report every step, as a worker would; warm up first. (The server closed the idle
    # keep-alive connection while seeding.)
    main_client.reconnect()
    _, asked = main_client.call("POST", study + "/trials/ask", {"count": 100})
    fresh = [t["number"] for t in asked["trials"]]
    _, asked = main_client.call("POST", study + "/trials/ask", {"count": 100})
    alone = [t["number"] for t in asked["trials"]]
    health, heartbeats, lonely, reports, pruned = [], [], [], [], 0
    i = 0
    for round_ in range(50 + args.rounds):
        n = fresh[i // args.steps]
        step = i % args.steps + 1
        i += 1
        h, _ = main_client.call("GET", "/actuator/health")
        b, _ = main_client.call("POST", f"{study}/trials/{n}/heartbeat")
        r, answer = main_client.call("POST", f"{study}/trials/{n}/report",
                                     {"step": step, "value": random.random() + 1.0 / step})
        # The same report where no other trial has been: judged, but against no peers.
        a, _ = main_client.call("POST", f"{study}/trials/{alone[(i - 1) // args.steps]}/report",
                                {"step": 10 ** 6 + step, "value": random.random()})
        if round_ >= 50:
            health.append(h)
            heartbeats.append(b)
            lonely.append(a)
            reports.append(r)
            pruned += answer["prune"]
    if not args.keep:
        main_client.call("DELETE", study)

    base = percentile(health, .5)
    beat = percentile(heartbeats, .5)
    print(f"pruner={args.pruner} {json.dumps(options)}; {args.trials} trials x {args.steps} steps recorded; "
          f"{args.rounds} measured reports ({pruned} answered prune), after 50 warm-up rounds")
    print("| request | p50 ms | p95 ms | p99 ms | p50 / health p50 | p50 / heartbeat p50 |")
    print("|---|---|---|---|---|---|")
    for name, values in [("GET /actuator/health (baseline)", health), ("heartbeat (baseline)", heartbeats),
                         ("report at a step no other trial reached (baseline)", lonely),
                         (f"report judged against the ~{args.trials} values at its step", reports)]:
        p50 = percentile(values, .5)
        print(f"| {name} | {p50:.2f} | {percentile(values, .95):.2f} | {percentile(values, .99):.2f} | "
              f"{p50 / base:.1f}x | {p50 / beat:.1f}x |")


if __name__ == "__main__":
    main()
