#!/usr/bin/env python3
"""Throughput of Tellus against Optuna's RDB storage and pgbench, measured in one run on one PostgreSQL.

    nice -n 10 python3 bench/throughput.py --jar target/tellus-0.1.0-SNAPSHOT.jar

What it does, in this order, on the PostgreSQL at --pg (default 127.0.0.1:5432, user postgres, trust):
  1. pgbench: 4 clients updating one shared row (the commit ceiling of one hot row on this machine);
  2. Optuna 5's RDB storage (from --optuna-python, a venv with optuna and psycopg2-binary), 4 worker processes
     doing ask+tell on one random-sampler study;
  3. Tellus started from --jar on a fresh database `tellus_bench`: 4 worker processes doing ask+tell over
     keep-alive HTTP on one `random` study, the same with `tpe`, 16 workers on one `random` study, 100 studies
     with one worker each, a second replica on the same database with the clients split between the two;
  4. ask latency growth: a single client's ask p50 on an empty study and on one holding --growth-trials finished
     trials (inserted with SQL, as imported trials look), for random, grid, cmaes, tpe and gp;
  5. pgbench again (also once between the load runs); its figure is the mean of the three runs.
Then it prints the figures as a markdown table, each with its ratio to pgbench / Optuna / the 4-worker rate of
the same run. Worker processes use only the standard library; only the Optuna part runs in --optuna-python.
--jfr FILE records a JDK Flight Recorder profile of the first replica (the second one into FILE-2.jfr; `jfr print --events
jdk.ExecutionSample FILE`). Nothing is left running: servers and workers are stopped at the end, the databases
are dropped unless --keep.
"""
import argparse
import http.client
import json
import math
import multiprocessing as mp
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import uuid

SPACE = {
    "lr": {"type": "float", "low": 1e-5, "high": 0.1, "log": True},
    "layers": {"type": "int", "low": 1, "high": 8},
    "dropout": {"type": "float", "low": 0.0, "high": 0.5, "step": 0.05},
    "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
    "momentum": {"type": "float", "low": 0.5, "high": 0.99, "when": {"optimizer": ["sgd"]}},
}
# Growth studies: two stepped floats (a million grid points, so grid never runs out).
GROWTH_SPACE = {
    "x": {"type": "float", "low": 0.0, "high": 1.0, "step": 0.001},
    "y": {"type": "float", "low": 0.0, "high": 1.0, "step": 0.001},
}


def percentile(values, q):
    if not values:
        return float("nan")
    values = sorted(values)
    k = (len(values) - 1) * q
    lo, hi = int(k), min(int(k) + 1, len(values) - 1)
    return values[lo] + (values[hi] - values[lo]) * (k - lo)


class Client:
    """One keep-alive HTTP connection, as one worker holds."""

    def __init__(self, base, api_key=None):
        self.url = urllib.parse.urlparse(base)
        self.api_key = api_key
        self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port or 80, timeout=120)

    def call(self, method, path, body=None, ok=(200, 201, 204)):
        headers = {"Content-Type": "application/json"} if body is not None else {}
        if self.api_key:
            headers["Authorization"] = "Bearer " + self.api_key
        for attempt in range(3):
            try:
                self.conn.request(method, path, body=None if body is None else json.dumps(body), headers=headers)
                response = self.conn.getresponse()
                data = response.read()
                break
            except (http.client.HTTPException, ConnectionError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(self.url.hostname, self.url.port or 80, timeout=120)
                if attempt == 2:
                    raise
        if response.status not in ok:
            raise RuntimeError(f"{method} {path} -> {response.status}: {data[:300]!r}")
        return json.loads(data) if data else None


# ---------------------------------------------------------------------------------------------------------------
# PostgreSQL helpers


def pg_args(args, db):
    return ["-h", args.pg_host, "-p", str(args.pg_port), "-U", args.pg_user, "-d", db]


def psql(args, db, sql):
    out = subprocess.run(["psql", *pg_args(args, db), "-v", "ON_ERROR_STOP=1", "-qAt", "-c", sql],
                         check=True, capture_output=True, text=True)
    return out.stdout.strip()


def recreate_database(args, name):
    psql(args, "postgres", f"drop database if exists {name} with (force)")
    psql(args, "postgres", f"create database {name}")


def pgbench(args):
    # Its own schema: Flyway wants the public schema to itself.
    psql(args, args.db, "create schema if not exists pgbench; drop table if exists pgbench.bench_row;"
                        "create table pgbench.bench_row (id int primary key, n bigint);"
                        "insert into pgbench.bench_row values (1, 0)")
    with tempfile.NamedTemporaryFile("w", suffix=".sql", delete=False) as script:
        script.write("update pgbench.bench_row set n = n + 1 where id = 1;\n")
    try:
        out = subprocess.run(["pgbench", *pg_args(args, args.db), "-n", "-c", "4", "-j", "4",
                              "-T", str(max(1, round(args.seconds))), "-f", script.name], check=True, capture_output=True, text=True)
    finally:
        os.unlink(script.name)
    return float(re.search(r"tps = ([0-9.]+)", out.stdout).group(1))


# ---------------------------------------------------------------------------------------------------------------
# Tellus


def start_tellus(args, port, jfr=None):
    command = [args.java]
    if jfr:
        command.append(f"-XX:StartFlightRecording=filename={jfr},settings=profile,dumponexit=true")
    command += ["-jar", args.jar, f"--server.port={port}",
                f"--spring.datasource.url=jdbc:postgresql://{args.pg_host}:{args.pg_port}/{args.db}",
                f"--spring.datasource.username={args.pg_user}", "--spring.datasource.password="]
    command += args.tellus_arg
    log = open(f"/tmp/tellus-bench-{port}.log", "w")
    env = dict(os.environ, TELLUS_AUTH=os.environ.get("TELLUS_AUTH", "off"))
    process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=env)
    deadline = time.time() + 600  # a loaded 2-core machine at nice 10 may take minutes
    while time.time() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"Tellus on port {port} exited; see /tmp/tellus-bench-{port}.log")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/actuator/health")
            if conn.getresponse().status == 200:
                return process
        except OSError:
            pass
        time.sleep(0.5)
    process.kill()
    raise SystemExit(f"Tellus on port {port} did not start in 600 s")


def stop(process):
    if process and process.poll() is None:
        process.terminate()
        try:
            process.wait(30)
        except subprocess.TimeoutExpired:
            process.kill()


STRATEGY_OPTIONS = {}


def create_study(client, name, strategy, space=SPACE):
    body = {"name": strategy, "seed": 1}
    if STRATEGY_OPTIONS.get(strategy):
        body["options"] = STRATEGY_OPTIONS[strategy]
    client.call("PUT", f"/api/v1/studies/{name}", {"space": space, "strategy": body})


def worker_loop(base, api_key, study, ready, go, window, out):
    """Ask+tell until end; counts round trips and ask latencies from start on (before start: warm-up)."""
    client = Client(base, api_key)
    client.call("GET", "/actuator/health")
    rng = random.Random()
    path = f"/api/v1/studies/{study}/trials"
    ready.put(1)
    go.wait()
    start, end = window[0], window[1]
    done, asks, errors = 0, [], 0
    while True:
        now = time.perf_counter()
        if now >= end:
            break
        try:
            t0 = time.perf_counter()
            asked = client.call("POST", path + "/ask", {"worker": f"w{os.getpid()}"})
            t1 = time.perf_counter()
            number = asked["trials"][0]["number"]
            client.call("POST", f"{path}/{number}/tell", {"value": rng.random()})
            t2 = time.perf_counter()
        except (RuntimeError, IndexError, OSError) as error:
            errors += 1
            if errors <= 3:
                print(f"worker error: {error}", file=sys.stderr)
            time.sleep(0.05)
            continue
        if t0 >= start and t2 <= end:
            done += 1
            asks.append((t1 - t0) * 1000)
    out.put((done, asks, errors, base))


def start_together(ready, go, window, workers, warmup, seconds):
    """Every worker has started and connected (imports done) before the clock starts: slow forks cost no window."""
    for _ in range(workers):
        ready.get()
    window[0] = time.perf_counter() + warmup
    window[1] = window[0] + seconds
    go.set()


def cpu_seconds(pids, system_only=False):
    """User + system CPU seconds the processes used so far (Linux /proc): what a trial costs, whatever the load.
    With system_only, the kernel's share alone (system calls, scheduling: what waking threads costs)."""
    total = 0
    for pid in pids:
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        total += int(fields[12]) + (0 if system_only else int(fields[11]))
    return total / os.sysconf("SC_CLK_TCK")


def commits(args):
    return int(psql(args, "postgres", f"select xact_commit from pg_stat_database where datname = '{args.db}'"))


def machine_busy():
    """(busy, total) CPU ticks of the whole machine so far (/proc/stat): how many cores the run kept busy."""
    with open("/proc/stat") as f:
        ticks = [int(x) for x in f.readline().split()[1:]]
    idle = ticks[3] + ticks[4]
    return sum(ticks) - idle, sum(ticks)


def postgres_cpu_seconds():
    """User + system CPU seconds of every postgres process now running (backends of this run included)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/comm") as f:
                    if f.read().strip() in ("postgres", "postmaster"):
                        pids.append(int(entry))
            except OSError:
                pass
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds([pid])
        except OSError:
            pass
    return total


def sample_window(args, window, pids):
    """CPU of the Tellus JVMs and the database's commit count at the start and end of the measured window; the
    machine's busy cores and PostgreSQL's CPU go to the log, to tell a CPU-bound run from a latency-bound one."""
    time.sleep(max(0.0, window[0] - time.perf_counter()))
    before = cpu_seconds(pids), commits(args), machine_busy(), postgres_cpu_seconds(), cpu_seconds(pids, True)
    time.sleep(max(0.0, window[1] - time.perf_counter()))
    after = cpu_seconds(pids), commits(args), machine_busy(), postgres_cpu_seconds(), cpu_seconds(pids, True)
    busy = (after[2][0] - before[2][0]) / max(1, after[2][1] - before[2][1]) * os.cpu_count()
    print(f"  window {time.strftime('%H:%M:%S', time.gmtime(time.time() - args.seconds))}-{time.strftime('%H:%M:%S', time.gmtime())} UTC:"
          f" machine busy {busy:.2f} of {os.cpu_count()} cores; Tellus {(after[0] - before[0]) / args.seconds:.2f}"
          f" cores ({(after[4] - before[4]) / args.seconds:.2f} of them in the kernel), PostgreSQL"
          f" {(after[3] - before[3]) / args.seconds:.2f} cores", file=sys.stderr)
    return after[0] - before[0], after[1] - before[1]


def load(bases, api_key, studies, workers, args, pids=()):
    """workers processes, worker i on studies[i % len] through bases[i % len]; trials/s, ask p50, ask p99, errors."""
    out, ready, go, window = mp.Queue(), mp.Queue(), mp.Event(), mp.Array("d", 2)
    processes = [mp.Process(target=worker_loop,
                            args=(bases[i % len(bases)], api_key, studies[i % len(studies)], ready, go, window, out))
                 for i in range(workers)]
    for p in processes:
        p.start()
    start_together(ready, go, window, workers, args.warmup, args.seconds)
    cpu, commit_count = sample_window(args, window, pids) if pids else (None, None)
    results = [out.get() for _ in processes]
    for p in processes:
        p.join()
    done = sum(r[0] for r in results)
    asks = [a for r in results for a in r[1]]
    per_base = {}
    for r in results:
        per_base[r[3]] = per_base.get(r[3], 0) + r[0] / args.seconds
    return {"rate": done / args.seconds, "per_replica": list(per_base.values()) if len(bases) > 1 else None, "p50": percentile(asks, .5), "p99": percentile(asks, .99),
            "errors": sum(r[2] for r in results),
            "cpu_ms": 1000 * cpu / done if cpu is not None and done else None,
            "commits": commit_count / done if commit_count is not None and done else None}


def warm_up(args, client, bases, run, pids):
    """A freshly started JVM interprets and compiles for minutes on a slow machine: load it (the random and the TPE
    paths, ask and tell) before measuring anything, as a service that has been up for a while is. Rounds of
    --jvm-warmup / 2 seconds of each strategy, until the JVM's CPU per random trial stops falling (within 10% of the
    round before), at least --jvm-warmup seconds and at most --jvm-warmup-max. A second replica is warmed the same
    way, so the two-replica figure compares warm JVMs with a warm JVM."""
    saved = args.seconds, args.warmup
    args.seconds, args.warmup = args.jvm_warmup / 2, 0
    started = time.time()
    previous = None
    try:
        for round_ in range(1000):
            costs = {}
            for strategy in ["random", "tpe"]:
                name = f"tp-warmup-{strategy}-{run}-{round_}"
                create_study(client, name, strategy)
                costs[strategy] = load(bases, args.api_key, [name], 4, args, pids)["cpu_ms"]
            print(f"  warm-up round {round_}: CPU ms per trial {costs}", file=sys.stderr)
            spent = time.time() - started
            settled = previous is not None and costs["random"] > 0.9 * previous
            if spent >= args.jvm_warmup_max or (spent >= args.jvm_warmup and settled):
                break
            previous = costs["random"]
    finally:
        args.seconds, args.warmup = saved


def sequential_asks(client, study, rounds, warmup, max_seconds):
    path = f"/api/v1/studies/{study}/trials"
    rng = random.Random(1)
    times = []
    started = time.perf_counter()
    for i in range(warmup + rounds):
        t0 = time.perf_counter()
        asked = client.call("POST", path + "/ask", {"worker": "growth"})
        elapsed = (time.perf_counter() - t0) * 1000
        client.call("POST", f"{path}/{asked['trials'][0]['number']}/tell", {"value": rng.random()})
        if i >= warmup:
            times.append(elapsed)
            if time.perf_counter() - started > max_seconds and len(times) >= 20:
                break
    return percentile(times, .5), len(times)


def prefill(args, study, trials):
    """Finished trials inserted directly (an HTTP import of 50,000 would take minutes), shaped as imports."""
    psql(args, args.db, f"""
        insert into trial (study_id, number, state, params, objective_values, created_at, started_at, finished_at)
        select s.id, g, 'COMPLETED',
               jsonb_build_object('x', round(random()::numeric, 3), 'y', round(random()::numeric, 3)),
               array[random()], now(), now(), now()
        from study s, generate_series(0, {trials - 1}) g where s.name = '{study}';
        update study set next_number = {trials} where name = '{study}';
        analyze trial;""")


# ---------------------------------------------------------------------------------------------------------------
# Optuna (runs inside --optuna-python)


def optuna_worker(storage, study_name, ready, go, window, out):
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=optuna.samplers.RandomSampler())
    ready.put(1)
    go.wait()
    start, end = window[0], window[1]
    distributions = {
        "lr": optuna.distributions.FloatDistribution(1e-5, 0.1, log=True),
        "layers": optuna.distributions.IntDistribution(1, 8),
        "dropout": optuna.distributions.FloatDistribution(0.0, 0.5, step=0.05),
        "optimizer": optuna.distributions.CategoricalDistribution(["adam", "sgd"]),
    }
    rng = random.Random()
    done = 0
    while time.perf_counter() < end:
        t0 = time.perf_counter()
        trial = study.ask(distributions)
        study.tell(trial, rng.random())
        if t0 >= start and time.perf_counter() <= end:
            done += 1
    out.put(done)


def optuna_main(argv):
    parser = argparse.ArgumentParser()
    parser.add_argument("--storage")
    parser.add_argument("--workers", type=int)
    parser.add_argument("--seconds", type=float)
    parser.add_argument("--warmup", type=float)
    a = parser.parse_args(argv)
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    name = f"bench-{uuid.uuid4().hex[:8]}"
    optuna.create_study(study_name=name, storage=a.storage, sampler=optuna.samplers.RandomSampler())
    out, ready, go, window = mp.Queue(), mp.Queue(), mp.Event(), mp.Array("d", 2)
    processes = [mp.Process(target=optuna_worker, args=(a.storage, name, ready, go, window, out))
                 for _ in range(a.workers)]
    for p in processes:
        p.start()
    start_together(ready, go, window, a.workers, a.warmup, a.seconds)
    done = sum(out.get() for _ in processes)
    for p in processes:
        p.join()
    print(json.dumps({"rate": done / a.seconds}))


def optuna_rate(args):
    db = args.db + "_optuna"
    recreate_database(args, db)
    storage = f"postgresql+psycopg2://{args.pg_user}@{args.pg_host}:{args.pg_port}/{db}"
    try:
        out = subprocess.run([args.optuna_python, os.path.abspath(__file__), "--optuna-load", "--storage", storage,
                              "--workers", "4", "--seconds", str(args.seconds), "--warmup", str(args.warmup)],
                             check=True, capture_output=True, text=True)
        return json.loads(out.stdout.strip().splitlines()[-1])["rate"]
    finally:
        if not args.keep:
            psql(args, "postgres", f"drop database if exists {db} with (force)")


# ---------------------------------------------------------------------------------------------------------------


def main():
    if len(sys.argv) > 1 and sys.argv[1] == "--optuna-load":
        optuna_main(sys.argv[2:])
        return
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--jar", default="target/tellus-0.1.0-SNAPSHOT.jar")
    parser.add_argument("--java", default=os.path.join(os.environ["JAVA_HOME"], "bin", "java")
                        if os.environ.get("JAVA_HOME") else "java", help="a Java 21+ runtime (default: $JAVA_HOME)")
    parser.add_argument("--port", type=int, default=8013)
    parser.add_argument("--port2", type=int, default=18013, help="the second replica's port")
    parser.add_argument("--pg-host", default="127.0.0.1")
    parser.add_argument("--pg-port", type=int, default=5432)
    parser.add_argument("--pg-user", default="postgres")
    parser.add_argument("--db", default="tellus_bench")
    parser.add_argument("--optuna-python", default="/work/venv-optuna/bin/python")
    parser.add_argument("--seconds", type=float, default=10, help="measured seconds per load run")
    parser.add_argument("--warmup", type=float, default=3, help="warm-up seconds before each measured run")
    parser.add_argument("--jvm-warmup", type=float, default=60,
                        help="at least this many seconds of 4-worker load on throwaway studies after each start (JIT, "
                             "pools), more until the CPU per trial settles (see warm_up)")
    parser.add_argument("--jvm-warmup-max", type=float, default=600, help="at most this many seconds of warm-up")
    parser.add_argument("--growth-trials", type=int, default=50000)
    parser.add_argument("--growth-rounds", type=int, default=200)
    parser.add_argument("--growth-strategies", default="random,grid,cmaes,tpe,gp",
                        help="comma-separated strategies for the growth figures")
    parser.add_argument("--studies", type=int, default=100)
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of the one-study figures (pgbench, then random and tpe with 4 workers: the ratio "
                             "is the median of the rounds' ratios, each to its own pgbench run) and of the "
                             "many-studies and two-replica figures (one study x 4 workers on one replica, then the "
                             "figure, back to back; the median of the rounds' ratios)")
    parser.add_argument("--only", default="", help="comma-separated subset: pgbench,optuna,random4,tpe4,random16,"
                                                   "studies,growth,replicas")
    parser.add_argument("--strategy-options", default="{}",
                        help='options per strategy for every study the run creates, as JSON, e.g. {"tpe": {"coordinateMoves": 0}}')
    parser.add_argument("--jfr", help="record a JFR profile of the first replica into this file")
    parser.add_argument("--tellus-arg", action="append", default=[], help="extra argument for the jar (repeatable)")
    parser.add_argument("--api-key", default=os.environ.get("TELLUS_API_KEY"))
    parser.add_argument("--keep", action="store_true", help="keep the benchmark databases")
    args = parser.parse_args()
    only = set(filter(None, args.only.split(",")))
    STRATEGY_OPTIONS.update(json.loads(args.strategy_options))

    def wanted(part):
        return not only or part in only

    rows = []
    results = {}
    servers = []
    try:
        recreate_database(args, args.db)
        if wanted("pgbench"):
            results["pgbench"] = [pgbench(args)]
            print(f"pgbench shared row, 4 clients: {results['pgbench'][0]:.0f} tps", file=sys.stderr)
        if wanted("optuna"):
            results["optuna"] = optuna_rate(args)
            print(f"Optuna RDB random, 4 workers: {results['optuna']:.1f} trials/s", file=sys.stderr)

        servers.append(start_tellus(args, args.port, args.jfr))
        base = f"http://127.0.0.1:{args.port}"
        client = Client(base, args.api_key)
        run = uuid.uuid4().hex[:6]
        warm_up(args, client, [base], run, [servers[0].pid])

        def one_study(strategy, workers, bases=(base,)):
            name = f"tp-{strategy}-{workers}-{run}-{uuid.uuid4().hex[:6]}"
            create_study(client, name, strategy)
            r = load(list(bases), args.api_key, [name], workers, args, [s.pid for s in servers])
            print(f"{strategy} {workers} workers on {len(bases)} replica(s): {r}", file=sys.stderr)
            return r

        # One study with 4 workers, random and tpe: in rounds, each next to its own pgbench run; the ratio to pgbench
        # is the median of the rounds' ratios (the machine's speed drifts by 10-40% between runs minutes apart).
        one = {"random4": [], "tpe4": []}
        if wanted("random4") or wanted("tpe4"):
            for _ in range(args.rounds):
                pg_now = pgbench(args) if wanted("pgbench") else None
                if pg_now:
                    results["pgbench"].append(pg_now)
                    print(f"pgbench (round): {pg_now:.0f} tps", file=sys.stderr)
                for key, strategy in [("random4", "random"), ("tpe4", "tpe")]:
                    if wanted(key):
                        one[key].append((pg_now, one_study(strategy, 4)))
        for key, rounds in one.items():
            if rounds:
                ratios = [x["rate"] / pg if pg else float("nan") for pg, x in rounds]
                middle = sorted(range(len(rounds)), key=lambda i: (ratios[i], rounds[i][1]["rate"]))[len(rounds) // 2]
                results[key] = dict(rounds[middle][1], pg_ratio=statistics.median(ratios) if rounds[0][0] else None,
                                    rounds=[(round(pg or 0), round(x["rate"], 1)) for pg, x in rounds])
        if wanted("random16"):
            results["random16"] = one_study("random", 16)
        if wanted("pgbench"):
            results["pgbench"].append(pgbench(args))
            print(f"pgbench again: {results['pgbench'][-1]:.0f} tps", file=sys.stderr)
        def paired(key, figure):
            """Rounds of the baseline (one study, 4 workers, one replica) and the figure, back to back: the machine's
            speed drifts by 10-25% within minutes, so each figure is compared with a baseline taken next to it."""
            rounds = []
            for _ in range(args.rounds):
                baseline = one_study("random", 4)
                rounds.append((baseline["rate"], figure()))
            ratios = [x["rate"] / b for b, x in rounds]
            middle = sorted(range(len(rounds)), key=lambda i: ratios[i])[len(rounds) // 2]
            results[key] = dict(rounds[middle][1], ratio=statistics.median(ratios),
                                rounds=[(round(b, 1), round(x["rate"], 1)) for b, x in rounds])

        if wanted("studies"):
            def many():
                names = [f"tp-many-{run}-{uuid.uuid4().hex[:6]}-{i}" for i in range(args.studies)]
                for name in names:
                    create_study(client, name, "random")
                x = load([base], args.api_key, names, args.studies, args, [s.pid for s in servers])
                print(f"{args.studies} studies x 1 worker: {x}", file=sys.stderr)
                return x
            paired("studies", many)
        if wanted("growth"):
            growth = {}
            for strategy in filter(None, args.growth_strategies.split(",")):
                empty = f"tp-growth-{strategy}-empty-{run}"
                full = f"tp-growth-{strategy}-full-{run}"
                create_study(client, empty, strategy, GROWTH_SPACE)
                create_study(client, full, strategy, GROWTH_SPACE)
                prefill(args, full, args.growth_trials)
                e, _ = sequential_asks(client, empty, args.growth_rounds, 20, 60)
                f, n = sequential_asks(client, full, args.growth_rounds, 20, 60)
                growth[strategy] = (e, f, n)
                print(f"growth {strategy}: empty {e:.2f} ms, {args.growth_trials} trials {f:.2f} ms ({n} asks)",
                      file=sys.stderr)
            results["growth"] = growth
        if wanted("replicas"):
            second = f"http://127.0.0.1:{args.port2}"
            servers.append(start_tellus(args, args.port2, re.sub(r"(\.jfr)?$", "-2.jfr", args.jfr, count=1) if args.jfr else None))
            warm_up(args, client, [second], run + "-2", [servers[1].pid])
            paired("replicas", lambda: one_study("random", 4, (base, second)))
        if wanted("pgbench"):
            results["pgbench"].append(pgbench(args))
            print(f"pgbench again: {results['pgbench'][-1]:.0f} tps", file=sys.stderr)
    finally:
        for server in servers:
            stop(server)
        if not args.keep:
            psql(args, "postgres", f"drop database if exists {args.db} with (force)")

    report(args, results)


def report(args, r):
    pg = statistics.mean(r["pgbench"]) if "pgbench" in r else None
    optuna = r.get("optuna")
    four = r.get("random4", {}).get("rate")

    def ratio(value, against, fmt="{:.3g}x"):
        return fmt.format(value / against) if value is not None and against else "–"

    load = os.getloadavg()[0]
    print(f"\nTellus throughput, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} cores, "
          f"load average {load:.1f}; {args.seconds:.0f} s measured per run after {args.warmup:.0f} s warm-up.")
    if pg:
        print(f"pgbench, 4 clients updating one shared row: {', '.join(f'{x:.0f}' for x in r['pgbench'])} tps "
              f"(mean {pg:.0f}); Optuna 5 RDB storage, random sampler, 4 worker processes: "
              f"{optuna:.1f} trials/s." if optuna else "")
    print()
    print("| figure | Tellus | ratio | target | met |")
    print("|---|---|---|---|---|")

    def row(figure, value, ratio_text, target, met):
        print(f"| {figure} | {value} | {ratio_text} | {target} | {'yes' if met else 'no'} |")

    def vs_pgbench(x):
        # The median of the rounds' ratios, each to the pgbench run next to it; else to the mean of the run's pgbench.
        return x.get("pg_ratio") if x.get("pg_ratio") is not None else (x["rate"] / pg if pg else None)

    def rounds_text(x):
        if len(x.get("rounds", [])) < 2:
            return ""
        return " (median of rounds, pgbench tps / trials/s: " + ", ".join(f"{p}/{v:.0f}" for p, v in x["rounds"]) + ")"

    if "random4" in r:
        x = r["random4"]
        q = vs_pgbench(x)
        row("`random`, 1 study, 4 workers: trials/s", f"{x['rate']:.1f}",
            (f"{q:.3g}x" if q else "–") + f" pgbench{rounds_text(x)}, {ratio(x['rate'], optuna, '{:.1f}x')} Optuna",
            "≥ 0.25x pgbench and ≥ 15x Optuna",
            bool(q and optuna and q >= 0.25 and x["rate"] >= 15 * optuna))
        row("`random`, 4 workers: ask p50 / p99 ms", f"{x['p50']:.2f} / {x['p99']:.2f}", "", "p50 ≤ 5 ms",
            x["p50"] <= 5)
    for key, label in [("random4", "`random` 4 workers"), ("tpe4", "`tpe` 4 workers"),
                       ("random16", "`random` 16 workers"), ("studies", f"{args.studies} studies"),
                       ("replicas", "two replicas")]:
        x = r.get(key)
        if x and x.get("cpu_ms") is not None:
            print(f"| {label}: Tellus CPU ms per trial; database commits per trial | {x['cpu_ms']:.2f}; "
                  f"{x['commits']:.2f} | | (cost, independent of the machine's load) | |")
    if "tpe4" in r:
        x = r["tpe4"]
        q = vs_pgbench(x)
        row("`tpe`, 1 study, 4 workers: trials/s", f"{x['rate']:.1f}", (f"{q:.3g}x" if q else "–") + " pgbench"
            + rounds_text(x), "≥ 0.125x pgbench", bool(q and q >= 0.125))
    if "random16" in r:
        x = r["random16"]
        row("`random`, 1 study, 16 workers: trials/s (ask p50 / p99 ms)",
            f"{x['rate']:.1f} ({x['p50']:.1f} / {x['p99']:.1f})", f"{ratio(x['rate'], four)} 4 workers",
            "≥ 1x 4 workers", four and x["rate"] >= four)
    if "studies" in r:
        x = r["studies"]
        row(f"{args.studies} `random` studies × 1 worker: trials/s (ask p50 / p99 ms)",
            f"{x['rate']:.1f} ({x['p50']:.1f} / {x['p99']:.1f})",
            f"{x['ratio']:.3g}x 1 study × 4 (median of rounds, 1 study / {args.studies}: "
            + ", ".join(f"{b:.0f}/{v:.0f}" for b, v in x["rounds"]) + ")",
            "≥ 1x 1 study × 4", x["ratio"] >= 1)
    if "replicas" in r:
        x = r["replicas"]
        row("two replicas, 1 `random` study, 4 workers split: trials/s", f"{x['rate']:.1f}",
            f"{x['ratio']:.3g}x one replica (median of rounds, one / two: "
            + ", ".join(f"{b:.0f}/{v:.0f}" for b, v in x["rounds"]) + ")",
            "≥ 1x one replica", x["ratio"] >= 1)
    for strategy, (empty, full, n) in r.get("growth", {}).items():
        figure = f"`{strategy}` ask p50 ms, empty → {args.growth_trials:,} finished"
        value = f"{empty:.2f} → {full:.2f}"
        if strategy in ("random", "grid", "cmaes"):
            row(figure, value, ratio(full, empty), "≤ 1.5x empty", full <= 1.5 * empty)
        elif strategy == "tpe":
            row(figure, value, ratio(full, empty), "≤ 25 ms", full <= 25)
        else:
            row(figure, value, ratio(full, empty), "≤ 250 ms (gp's documented ask cap)", full <= 250)
    errors = sum(x.get("errors", 0) for x in r.values() if isinstance(x, dict))
    if errors:
        print(f"\n{errors} requests failed during the load runs (see stderr).")


if __name__ == "__main__":
    main()
