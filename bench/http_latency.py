#!/usr/bin/env python3
"""Ask+tell round-trip latency over real HTTP against a running Tellus, with a baseline from the same run.

    python3 bench/http_latency.py [--url http://localhost:8080] [--rounds 500] [--strategy random] [--prefill 1000]

Prints p50/p95/p99 of: a trivial GET /actuator/health (the baseline: HTTP + Spring, no database work),
one ask, one tell, and the ask+tell round trip; and each as a ratio to the baseline's p50. One keep-alive
connection, sequential, like a single worker. Creates (and deletes) its own study; --prefill N first imports N
finished trials (random params, a synthetic loss) so asks are measured deep into a study.
"""
import argparse
import http.client
import json
import math
import statistics
import time
import urllib.parse
import uuid


def percentile(values, q):
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--rounds", type=int, default=500)
    parser.add_argument("--strategy", default="random")
    parser.add_argument("--prefill", type=int, default=0)
    args = parser.parse_args()

    url = urllib.parse.urlparse(args.url)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=30)

    def call(method, path, body=None):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        start = time.perf_counter()
        conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = conn.getresponse()
        data = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        if response.status >= 400:
            raise SystemExit(f"{method} {path} -> {response.status}: {data[:300]!r}")
        return elapsed, (json.loads(data) if data else None)

    study = f"/api/v1/studies/latency-{uuid.uuid4().hex[:8]}"
    call("PUT", study, {
        "space": {
            "lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": True},
            "layers": {"type": "int", "low": 1, "high": 8},
            "dropout": {"type": "float", "low": 0.0, "high": 0.5, "step": 0.05},
            "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
            "momentum": {"type": "float", "low": 0.5, "high": 0.99, "when": {"optimizer": ["sgd"]}},
        },
        "strategy": {"name": args.strategy, "seed": 1},
    })

    import random
    rng = random.Random(1)
    for _ in range(args.prefill):
        opt = rng.choice(["adam", "sgd"])
        params = {"lr": 10 ** rng.uniform(-5, -1), "layers": rng.randint(1, 8),
                  "dropout": round(rng.randint(0, 10) * 0.05, 2), "optimizer": opt}
        if opt == "sgd":
            params["momentum"] = rng.uniform(0.5, 0.99)
        loss = (math.log10(params["lr"]) + 3) ** 2 + 0.1 * (params["layers"] - 5) ** 2 + params["dropout"]
        call("POST", study + "/trials", {"params": params, "value": loss})

    # Warm up the JIT and the connection pool, then measure.
    for _ in range(50):
        call("GET", "/actuator/health")
        _, asked = call("POST", study + "/trials/ask", {})
        n = asked["trials"][0]["number"]
        call("POST", f"{study}/trials/{n}/tell", {"value": 1.0})

    baseline, asks, tells, rounds = [], [], [], []
    for i in range(args.rounds):
        baseline.append(call("GET", "/actuator/health")[0])
        a, asked = call("POST", study + "/trials/ask", {"worker": "latency"})
        n = asked["trials"][0]["number"]
        t, _ = call("POST", f"{study}/trials/{n}/tell", {"value": float(i % 17)})
        asks.append(a)
        tells.append(t)
        rounds.append(a + t)
    call("DELETE", study)

    base = statistics.median(baseline)
    print(f"strategy={args.strategy} prefill={args.prefill} rounds={args.rounds} (after 50 warm-up rounds)")
    print("| request | p50 ms | p95 ms | p99 ms | p50 / baseline p50 |")
    print("|---|---|---|---|---|")
    for name, values in [("GET /actuator/health (baseline)", baseline), ("ask", asks), ("tell", tells),
                         ("ask + tell round trip", rounds)]:
        print(f"| {name} | {percentile(values, .5):.2f} | {percentile(values, .95):.2f} | "
              f"{percentile(values, .99):.2f} | {percentile(values, .5) / base:.1f}x |")


if __name__ == "__main__":
    main()
