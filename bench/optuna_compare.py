#!/usr/bin/python3
"""Optuna's samplers on the evolutionary benchmark suite, for the side-by-side with Tellus's harness.

Same problems, bounds, budgets and seeds (0..N-1) as `Problems.evo()` in src/test/java/dev/tellus/bench, and
the same markdown table shape as QualityBenchmark (median and interquartile simple regret over seeds).
Parallel mode mirrors the harness: ask W trials, then tell all W, repeat.

    apt-get install -y python3-optuna python3-cmaes
    /usr/bin/python3 bench/optuna_compare.py --samplers cmaes,tpe --seeds 10 --workers 1
"""
import argparse
import math
import sys
import time
import warnings

import numpy as np
import optuna


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


def rastrigin(x):
    return 10 * len(x) + sum(v * v - 10 * math.cos(2 * math.pi * v) for v in x)


def ackley(x):
    d = len(x)
    sq = sum(v * v for v in x)
    cs = sum(math.cos(2 * math.pi * v) for v in x)
    return -20 * math.exp(-0.2 * math.sqrt(sq / d)) - math.exp(cs / d) + 20 + math.e


def styblinski_tang(x):
    return sum(v ** 4 - 16 * v * v + 5 * v for v in x) / 2


def ellipsoid(x):
    d = len(x)
    return sum(10 ** (6.0 * i / (d - 1)) * (x[i] - 1) ** 2 for i in range(d))


def problems():
    # name: (function, dimensions, low, high, optimum, budget) -- as Problems.evo() defines them.
    out = {}
    for d, budget in ((10, 300), (5, 100)):
        out[f"rosenbrock-{d}d"] = (rosenbrock, d, -5, 10, 0.0, budget)
        out[f"rastrigin-{d}d"] = (rastrigin, d, -5.12, 5.12, 0.0, budget)
        out[f"ackley-{d}d"] = (ackley, d, -32.768, 32.768, 0.0, budget)
        if d == 5:
            out["styblinski-tang-5d"] = (styblinski_tang, 5, -5, 5, -39.16616570377142 * 5, budget)
        out[f"ellipsoid-{d}d"] = (ellipsoid, d, -5, 5, 0.0, budget)
    order = ["rosenbrock-10d", "rastrigin-10d", "ackley-10d", "ellipsoid-10d",
             "rosenbrock-5d", "rastrigin-5d", "ackley-5d", "styblinski-tang-5d", "ellipsoid-5d"]
    return {k: out[k] for k in order}


def sampler(name, seed):
    if name == "cmaes":
        return optuna.samplers.CmaEsSampler(seed=seed)
    if name == "cmaes-ipop":
        return optuna.samplers.CmaEsSampler(seed=seed, restart_strategy="ipop")
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name}")


def run_once(name, problem, seed, trials, workers):
    f, d, low, high, optimum, _ = problem
    study = optuna.create_study(sampler=sampler(name, seed), direction="minimize")
    dists = {f"x{i}": optuna.distributions.FloatDistribution(low, high) for i in range(d)}
    best = math.inf
    done = 0
    while done < trials:
        batch = [study.ask(dists) for _ in range(min(workers, trials - done))]
        for t in batch:
            value = f([t.params[f"x{i}"] for i in range(d)])
            best = min(best, value)
            study.tell(t, value)
            done += 1
    return best - optimum


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samplers", default="cmaes")
    ap.add_argument("--problems", default=None)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--trials", type=int, default=None)
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")  # Optuna marks some CMA-ES options experimental

    all_problems = problems()
    names = args.problems.split(",") if args.problems else list(all_problems)
    rows = ["| problem | strategy | workers | trials | median regret | IQR | ms/trial |", "|---|---|---|---|---|---|---|"]
    for pname in names:
        problem = all_problems[pname]
        trials = args.trials or problem[5]
        for sname in args.samplers.split(","):
            start = time.perf_counter()
            regrets = np.array([run_once(sname, problem, seed, trials, args.workers) for seed in range(args.seeds)])
            ms = (time.perf_counter() - start) * 1000 / (args.seeds * trials)
            q1, med, q3 = np.quantile(regrets, [0.25, 0.5, 0.75])
            rows.append(f"| {pname} | optuna-{sname} | {args.workers} | {trials} | {med:.4g} | {q1:.4g} – {q3:.4g} | {ms:.2f} |")
            print(f"optuna-{sname} on {pname}: median regret {med:.4g}", flush=True, file=sys.stderr)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
