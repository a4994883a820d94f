#!/usr/bin/env python3
"""Optuna 5's samplers on Tellus's multi-objective suite, for the side-by-side with `QualityBenchmark --suite multi`.

Same problems, bounds, reference points and budget (150 trials) as `Problems.multi()` in src/bench/java/dev/tellus/bench:
ZDT1 and ZDT2 (6 variables), DTLZ2 (3 objectives, 6 variables), Binh–Korn (2 constraints). The score of a run is the
hypervolume of its feasible non-dominated points against the problem's reference point (higher is better); the table
gives the median and interquartile range over seeds first-seed..first-seed+N-1 (Optuna's own seeding).

    python3 -m venv /work/venv-optuna && /work/venv-optuna/bin/pip install optuna==5.0.0 torch scipy
    nice -n 10 /work/venv-optuna/bin/python bench/optuna_multi.py --samplers tpe,nsga2,random --seeds 10
    nice -n 10 /work/venv-optuna/bin/python bench/optuna_multi.py --samplers gp --seeds 5

--out FILE appends one JSON line per finished seed (sampler, problem, seed, trials, hypervolume, seconds) and skips
the (sampler, problem, seed) triples already in it, so a slow run (GP) can be cut short and resumed.
"""
import argparse
import json
import math
import os
import sys
import time
import warnings

import numpy as np
import optuna


def zdt1(x):
    f1 = x[0]
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return [f1, g * (1 - math.sqrt(f1 / g))], []


def zdt2(x):
    f1 = x[0]
    g = 1 + 9 * sum(x[1:]) / (len(x) - 1)
    return [f1, g * (1 - (f1 / g) ** 2)], []


def dtlz2(x):
    m = 3
    g = sum((v - 0.5) ** 2 for v in x[m - 1:])
    f = []
    for i in range(m):
        v = 1 + g
        for j in range(m - 1 - i):
            v *= math.cos(x[j] * math.pi / 2)
        if i > 0:
            v *= math.sin(x[m - 1 - i] * math.pi / 2)
        f.append(v)
    return f, []


def binh_korn(x):
    a, b = x
    f1 = 4 * a * a + 4 * b * b
    f2 = (a - 5) ** 2 + (b - 5) ** 2
    c1 = (a - 5) ** 2 + b * b - 25
    c2 = 7.7 - (a - 8) ** 2 - (b + 3) ** 2
    return [f1, f2], [c1, c2]


# name -> (function, bounds, reference point)
PROBLEMS = {
    "zdt1": (zdt1, [(0.0, 1.0)] * 6, [1.1, 11.0]),
    "zdt2": (zdt2, [(0.0, 1.0)] * 6, [1.1, 11.0]),
    "dtlz2": (dtlz2, [(0.0, 1.0)] * 6, [2.2, 2.2, 2.2]),
    "binh-korn": (binh_korn, [(0.0, 5.0), (0.0, 3.0)], [140.0, 50.0]),
}


def hypervolume(points, reference):
    """Exact hypervolume of minimised points against the reference (points not dominating it count nothing)."""
    pts = np.array([p for p in points if all(v < r for v, r in zip(p, reference))], dtype=float)
    if len(pts) == 0:
        return 0.0
    from optuna._hypervolume import compute_hypervolume
    return float(compute_hypervolume(pts, np.array(reference, dtype=float)))


def sampler(name, seed, constrained):
    constraints = (lambda t: t.user_attrs["constraints"]) if constrained else None
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed, constraints_func=constraints)
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed, constraints_func=constraints)
    if name == "nsga2":
        return optuna.samplers.NSGAIISampler(seed=seed, constraints_func=constraints)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    raise SystemExit("unknown sampler " + name)


def run(name, problem, seed, trials):
    fn, bounds, reference = PROBLEMS[problem]
    probe = fn([lo for lo, _ in bounds])
    constrained = len(probe[1]) > 0
    study = optuna.create_study(directions=["minimize"] * len(probe[0]), sampler=sampler(name, seed, constrained))
    points = []

    def objective(trial):
        x = [trial.suggest_float("x%d" % i, lo, hi) for i, (lo, hi) in enumerate(bounds)]
        f, c = fn(x)
        trial.set_user_attr("constraints", c)
        if all(v <= 0 for v in c):
            points.append(f)
        return f

    study.optimize(objective, n_trials=trials)
    return hypervolume(points, reference)


def quantile(values, q):
    return float(np.quantile(np.array(values), q))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--samplers", default="tpe,nsga2,random")
    parser.add_argument("--problems", default=",".join(PROBLEMS))
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0)
    parser.add_argument("--trials", type=int, default=150)
    parser.add_argument("--out", help="append one JSON line per finished seed; resume from the lines already there")
    args = parser.parse_args()
    done = {}
    if args.out and os.path.exists(args.out):
        with open(args.out) as f:
            for line in f:
                if line.strip():
                    r = json.loads(line)
                    if r["trials"] == args.trials:
                        done[(r["sampler"], r["problem"], r["seed"])] = r["hypervolume"]
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore")
    rows = []
    for problem in args.problems.split(","):
        for name in args.samplers.split(","):
            start = time.time()
            hv = []
            for s in range(args.seeds):
                seed = args.first_seed + s
                if (name, problem, seed) in done:
                    hv.append(done[(name, problem, seed)])
                    continue
                t0 = time.time()
                hv.append(run(name, problem, seed, args.trials))
                if args.out:
                    with open(args.out, "a") as f:
                        f.write(json.dumps({"sampler": name, "problem": problem, "seed": seed, "trials": args.trials,
                                            "hypervolume": hv[-1], "seconds": round(time.time() - t0, 1),
                                            "optuna": optuna.__version__}) + "\n")
                # Slow samplers (GP): every seed as it finishes, so a cut-short run still tells something.
                print("  %s on %s, seed %d: %.6g" % (name, problem, args.first_seed + s, hv[-1]), file=sys.stderr, flush=True)
            ms = (time.time() - start) * 1000 / (args.seeds * args.trials)
            print("%s on %s: median hypervolume %.4g %s" % (name, problem, quantile(hv, 0.5), hv), file=sys.stderr, flush=True)
            rows.append((problem, name, quantile(hv, 0.5), quantile(hv, 0.25), quantile(hv, 0.75), ms))
    print("| problem | sampler | trials | median hypervolume | IQR | ms/trial |")
    print("|---|---|---|---|---|---|")
    for problem, name, med, q1, q3, ms in rows:
        print("| %s | optuna-%s | %d | %.4g | %.4g – %.4g | %.1f |" % (problem, name, args.trials, med, q1, q3, ms))


if __name__ == "__main__":
    main()
