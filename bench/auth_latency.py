#!/usr/bin/env python3
"""Ask+tell latency with keys required vs auth off, measured in one run, interleaved.

    ./mvnw -q -B package -DskipTests && python3 bench/auth_latency.py [--rounds 2000] [--db jdbc:postgresql://127.0.0.1:5432/postgres]

Starts two Tellus processes from target/tellus-*.jar on the same PostgreSQL (user postgres, trust auth as on
our machines): one with TELLUS_AUTH=off, one with TELLUS_AUTH=required (an operator key, a project and a write
key made over HTTP). One keep-alive connection to each; rounds alternate between the two so machine noise
hits both alike. Prints p50/p95/p99 of ask+tell per mode and the ratio required/off. Standard library only.
"""
import argparse
import glob
import http.client
import json
import os
import statistics
import subprocess
import sys
import time
import uuid

OPERATOR = "bench-operator-key-" + uuid.uuid4().hex


def percentile(values, q):
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Client:
    def __init__(self, port, key=None):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.key = key

    def call(self, method, path, body=None, key=None):
        headers = {"Content-Type": "application/json"}
        if key or self.key:
            headers["Authorization"] = "Bearer " + (key or self.key)
        self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
        response = self.conn.getresponse()
        data = response.read()
        if response.status >= 300:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return json.loads(data) if data else None


def start(jar, port, db, env_extra):
    env = dict(os.environ, SERVER_PORT=str(port), SPRING_DATASOURCE_URL=db, SPRING_DATASOURCE_USERNAME="postgres",
               SPRING_DATASOURCE_PASSWORD="", **env_extra)
    java = os.path.join(os.environ.get("JAVA_HOME", "/usr"), "bin", "java")
    log = open(f"target/auth-latency-{port}.log", "w")
    process = subprocess.Popen([java, "-jar", jar], env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.time() + 600  # start-up is slow on a loaded machine
    while time.time() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            c.request("GET", "/actuator/health")
            if c.getresponse().status == 200:
                return process
        except OSError:
            pass
        if process.poll() is not None:
            sys.exit(f"Tellus on port {port} exited; see target/auth-latency-{port}.log")
        time.sleep(0.5)
    process.kill()
    sys.exit(f"Tellus on port {port} did not start; see target/auth-latency-{port}.log")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--db", default="jdbc:postgresql://127.0.0.1:5432/postgres")
    parser.add_argument("--jar", default=None)
    args = parser.parse_args()
    jar = args.jar or sorted(glob.glob("target/tellus-*.jar"))[-1]

    off = start(jar, 8091, args.db, {"TELLUS_AUTH": "off"})
    on = start(jar, 8092, args.db, {"TELLUS_AUTH": "required", "TELLUS_ADMIN_KEY": OPERATOR})
    try:
        project = "bench-" + uuid.uuid4().hex[:8]
        admin = Client(8092)
        admin.call("POST", "/api/v1/projects", {"name": project}, key=OPERATOR)
        key = admin.call("POST", f"/api/v1/projects/{project}/keys", {"name": "bench", "role": "admin"}, key=OPERATOR)["key"]
        clients = {"off": Client(8091), "required": Client(8092, key)}
        study = "auth-latency-" + uuid.uuid4().hex[:8]
        definition = {"space": {"x": {"type": "float", "low": 0, "high": 1}}, "strategy": {"name": "random"}}
        for c in clients.values():
            c.call("PUT", f"/api/v1/studies/{study}", definition)
        times = {"off": [], "required": []}
        for i in range(args.rounds + 100):
            for mode in (("off", "required") if i % 2 == 0 else ("required", "off")):
                c = clients[mode]
                t0 = time.perf_counter()
                trial = c.call("POST", f"/api/v1/studies/{study}/trials/ask", {"worker": "bench"})["trials"][0]
                c.call("POST", f"/api/v1/studies/{study}/trials/{trial['number']}/tell", {"value": trial["params"]["x"]})
                if i >= 100:  # warm-up
                    times[mode].append((time.perf_counter() - t0) * 1000)
        print(f"ask+tell over HTTP, {args.rounds} rounds per mode, interleaved, one keep-alive connection each\n")
        print("| mode | p50 ms | p95 ms | p99 ms | mean ms |")
        print("|---|---|---|---|---|")
        for mode, values in times.items():
            print(f"| auth {mode} | {percentile(values, .5):.2f} | {percentile(values, .95):.2f} | "
                  f"{percentile(values, .99):.2f} | {statistics.mean(values):.2f} |")
        ratio = percentile(times["required"], .5) / percentile(times["off"], .5)
        print(f"\nratio required/off at p50: {ratio:.3f}; at p95: "
              f"{percentile(times['required'], .95) / percentile(times['off'], .95):.3f}")
        try:
            for mode, port in (("off", 8091), ("required", 8092)):
                Client(port, clients[mode].key).call("DELETE", f"/api/v1/studies/{study}")
            Client(8092).call("DELETE", f"/api/v1/projects/{project}", key=OPERATOR)
        except (OSError, RuntimeError) as e:
            print(f"(clean-up failed: {e})")
    finally:
        off.terminate()
        on.terminate()
        off.wait()
        on.wait()


if __name__ == "__main__":
    main()
