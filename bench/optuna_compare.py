#!/usr/bin/python3
"""Optuna's samplers on Tellus's benchmark suites, for the side-by-side with Tellus's harness.

Same problems, bounds and budgets as `Problems.evo()` (`--suite evo`, the default here) and `Problems.all()` (the
Java harness's default suite; `--suite bayes` here, without the mixed space) in src/bench/java/dev/tellus/bench;
seeds first-seed..first-seed+N-1 (Optuna's own seeding, so a seed number is not the same random stream as ours);
the same markdown table shape as QualityBenchmark (median and interquartile simple regret over seeds).
Parallel mode: `--mode batch` (default) asks W trials, then tells all W, like QualityBenchmark's `--parallel batch`;
`--mode async` like its `--parallel async`: every ask happens while the other W-1 trials are still running, and
results come back oldest first.

    apt-get install -y python3-optuna python3-cmaes
    /usr/bin/python3 bench/optuna_compare.py --samplers cmaes,tpe --seeds 10 --workers 1
    /usr/bin/python3 bench/optuna_compare.py --suite bayes --samplers tpe,tpe-mv --first-seed 10 --seeds 10
    /usr/bin/python3 bench/optuna_compare.py --suite bayes --samplers tpe-liar --workers 4 --mode async
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


def branin(x):
    b, c, t = 5.1 / (4 * math.pi ** 2), 5 / math.pi, 1 / (8 * math.pi)
    return (x[1] - b * x[0] ** 2 + c * x[0] - 6) ** 2 + 10 * (1 - t) * math.cos(x[0]) + 10


_H_ALPHA = [1.0, 1.2, 3.0, 3.2]
_H_A = [[10, 3, 17, 3.5, 1.7, 8], [0.05, 10, 17, 0.1, 8, 14], [3, 3.5, 1.7, 10, 17, 8], [17, 8, 0.05, 10, 0.1, 14]]
_H_P = [[0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886], [0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991],
        [0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650], [0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381]]


def hartmann6(x):
    return -sum(_H_ALPHA[i] * math.exp(-sum(_H_A[i][j] * (x[j] - _H_P[i][j]) ** 2 for j in range(6)))
                for i in range(4))


def bayes_problems():
    # name: (function, bounds per dimension, optimum, budget) -- as Problems.all() defines them.
    return {
        "branin-2d": (branin, [(-5, 10), (0, 15)], 0.397887357729738, 100),
        "hartmann-6d": (hartmann6, [(0, 1)] * 6, -3.32236801141551, 100),
        "rosenbrock-5d": (rosenbrock, [(-5, 10)] * 5, 0.0, 100),
        "rastrigin-5d": (rastrigin, [(-5.12, 5.12)] * 5, 0.0, 100),
        "styblinski-tang-5d": (styblinski_tang, [(-5, 5)] * 5, -39.16616570377142 * 5, 100),
        "ackley-5d": (ackley, [(-32.768, 32.768)] * 5, 0.0, 100),
    }


def problems():
    # name: (function, bounds per dimension, optimum, budget) -- as Problems.evo() defines them.
    out = {}
    for d, budget in ((10, 300), (5, 100)):
        out[f"rosenbrock-{d}d"] = (rosenbrock, [(-5, 10)] * d, 0.0, budget)
        out[f"rastrigin-{d}d"] = (rastrigin, [(-5.12, 5.12)] * d, 0.0, budget)
        out[f"ackley-{d}d"] = (ackley, [(-32.768, 32.768)] * d, 0.0, budget)
        if d == 5:
            out["styblinski-tang-5d"] = (styblinski_tang, [(-5, 5)] * 5, -39.16616570377142 * 5, budget)
        out[f"ellipsoid-{d}d"] = (ellipsoid, [(-5, 5)] * d, 0.0, budget)
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
    if name == "tpe-mv":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True)
    if name == "tpe-liar":
        return optuna.samplers.TPESampler(seed=seed, constant_liar=True)
    if name == "tpe-mv-liar":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=True)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit(f"unknown sampler {name}")


def run_once(name, problem, seed, trials, workers, mode):
    f, bounds, optimum, _ = problem
    d = len(bounds)
    study = optuna.create_study(sampler=sampler(name, seed), direction="minimize")
    dists = {f"x{i}": optuna.distributions.FloatDistribution(lo, hi) for i, (lo, hi) in enumerate(bounds)}
    best = math.inf

    def finish(t):
        nonlocal best
        value = f([t.params[f"x{i}"] for i in range(d)])
        best = min(best, value)
        study.tell(t, value)

    if mode == "async":
        running, asked = [], 0
        while asked < trials or running:
            while len(running) < workers and asked < trials:
                running.append(study.ask(dists))
                asked += 1
            finish(running.pop(0))
    else:
        done = 0
        while done < trials:
            batch = [study.ask(dists) for _ in range(min(workers, trials - done))]
            for t in batch:
                finish(t)
                done += 1
    return best - optimum


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samplers", default="cmaes")
    ap.add_argument("--problems", default=None)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--trials", type=int, default=None)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--suite", choices=["evo", "bayes"], default="evo")
    ap.add_argument("--mode", choices=["batch", "async"], default="batch")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")  # Optuna marks some CMA-ES options experimental

    all_problems = problems() if args.suite == "evo" else bayes_problems()
    names = args.problems.split(",") if args.problems else list(all_problems)
    rows = ["| problem | strategy | workers | trials | median regret | IQR | ms/trial |", "|---|---|---|---|---|---|---|"]
    for pname in names:
        problem = all_problems[pname]
        trials = args.trials or problem[3]
        for sname in args.samplers.split(","):
            start = time.perf_counter()
            regrets = np.array([run_once(sname, problem, seed, trials, args.workers, args.mode)
                                for seed in range(args.first_seed, args.first_seed + args.seeds)])
            ms = (time.perf_counter() - start) * 1000 / (args.seeds * trials)
            q1, med, q3 = np.quantile(regrets, [0.25, 0.5, 0.75])
            rows.append(f"| {pname} | optuna-{sname} | {args.workers} | {trials} | {med:.4g} | {q1:.4g} – {q3:.4g} | {ms:.2f} |")
            print(f"optuna-{sname} on {pname}: median regret {med:.4g}", flush=True, file=sys.stderr)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
