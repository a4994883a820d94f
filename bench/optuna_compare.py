#!/work/venv-optuna/bin/python
"""Optuna 5.0's samplers on Tellus's benchmark suites, side by side with QualityBenchmark on the same seeds.

Same problems, bounds and budgets as src/bench/java/dev/tellus/bench/Problems.java: `--suite bayes` (the Java
harness's default suite), `rotated` (the same problems under a fixed random rotation with the optimum moved off
the centre; the matrices come from the same SplitMix64 stream and Gram-Schmidt as Problems.rotation()),
`conditional` (mixed-4d and the two-family space `families-5d`) and `evo` (the default). Seeds first-seed..first-seed+N-1 are
Optuna's own seeding (a seed number is not the same random stream as ours). The table has the shape of
QualityBenchmark's (median and interquartile simple regret over seeds); `--out FILE` appends one JSON line per run,
so a long run can be stopped and its finished rows kept.

Samplers, each at Optuna 5.0's defaults: `tpe` (TPESampler(seed): multivariate, constant liar, what
create_study uses when no sampler is given), `gp` (GPSampler(seed)), `cmaes` (CmaEsSampler(seed)), `random`.
Parallel mode: `--mode batch` (default) asks W trials, then tells all W, like QualityBenchmark's `--parallel batch`;
`--mode async` like its `--parallel async`.

Setup (a local pip mirror serves the wheels):
    python3 -m venv /work/venv-optuna && /work/venv-optuna/bin/pip install optuna==5.0.0 torch scipy
Examples:
    /work/venv-optuna/bin/python bench/optuna_compare.py --suite bayes --samplers tpe,gp --seeds 10 --workers 1
    /work/venv-optuna/bin/python bench/optuna_compare.py --suite rotated --samplers tpe,gp --workers 4
    PYTHONPATH=/work/o5-15/pylib /work/venv-optuna/bin/python bench/optuna_compare.py --suite evo --samplers cmaes
    (CmaEsSampler: see _cmaes_shim; /work/o5-15/pylib holds a symlink to Debian's cmaes 0.9.1 package only)
"""
import argparse
import json
import math
import sys
import time
import warnings

import numpy as np
import optuna

try:
    import torch

    torch.set_num_threads(1)  # the machine is shared: one core per benchmark process
except ImportError:
    pass


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


class Box:
    """A continuous problem on a box: the objective takes the list x0..x{d-1}."""

    def __init__(self, f, bounds, optimum, budget):
        self.f, self.bounds, self.optimum, self.budget = f, bounds, optimum, budget

    def run(self, study, workers, mode, trials):
        dists = {f"x{i}": optuna.distributions.FloatDistribution(lo, hi) for i, (lo, hi) in enumerate(self.bounds)}
        return drive(study, lambda: study.ask(dists),
                     lambda t: self.f([t.params[f"x{i}"] for i in range(len(self.bounds))]), workers, mode, trials)


def drive(study, ask, evaluate, workers, mode, trials):
    """Asks and tells as QualityBenchmark.Study does; returns the best value."""
    best = math.inf

    def finish(t):
        nonlocal best
        value = evaluate(t)
        best = min(best, value)
        study.tell(t, value)

    if mode == "async":
        running, asked = [], 0
        while asked < trials or running:
            while len(running) < workers and asked < trials:
                running.append(ask())
                asked += 1
            finish(running.pop(0))
    else:
        done = 0
        while done < trials:
            batch = [ask() for _ in range(min(workers, trials - done))]
            for t in batch:
                finish(t)
                done += 1
    return best


# ---- rotated variants: identical to Problems.rotated() in the Java harness ----

_MASK = (1 << 64) - 1


class SplitMix64:
    def __init__(self, seed):
        self.state = seed & _MASK

    def next_long(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & _MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
        return z ^ (z >> 31)

    def next_double(self):
        return (self.next_long() >> 11) * 2.0 ** -53

    def gaussian(self):
        u1, u2 = self.next_double(), self.next_double()
        return math.sqrt(-2 * math.log(1 - u1)) * math.cos(2 * math.pi * u2)


def rotation(d, seed):
    """A d x d orthogonal matrix (modified Gram-Schmidt on Gaussian columns) and an off-centre point c in [0,1]^d."""
    rng = SplitMix64(seed)
    cols = [[rng.gaussian() for _ in range(d)] for _ in range(d)]
    for j in range(d):
        for k in range(j):
            dot = sum(cols[j][i] * cols[k][i] for i in range(d))
            for i in range(d):
                cols[j][i] -= dot * cols[k][i]
        norm = math.sqrt(sum(v * v for v in cols[j]))
        for i in range(d):
            cols[j][i] /= norm
    centre = []
    for _ in range(d):
        offset = 0.15 + 0.2 * rng.next_double()
        centre.append(0.5 + offset if rng.next_double() < 0.5 else 0.5 - offset)
    q = [[cols[j][i] for j in range(d)] for i in range(d)]  # q[i][j]: row i, column j
    return q, centre


def rotated(f, bounds, at, optimum, seed):
    """f under a rotation in the unit cube: u -> lo + (hi-lo) * (u* + Q (u - c)); optimum value unchanged, at u = c."""
    d = len(bounds)
    q, c = rotation(d, seed)
    ustar = [(at[i] - bounds[i][0]) / (bounds[i][1] - bounds[i][0]) for i in range(d)]

    def g(u):
        z = [u[i] - c[i] for i in range(d)]
        x = [bounds[i][0] + (bounds[i][1] - bounds[i][0]) * (ustar[i] + sum(q[i][j] * z[j] for j in range(d)))
             for i in range(d)]
        return f(x)

    return Box(g, [(0.0, 1.0)] * d, optimum, 100)


# ---- conditional spaces: identical to Problems.mixed() and Problems.families() ----

class Mixed:
    optimum, budget = 0.0, 100

    def run(self, study, workers, mode, trials):
        def ask():
            t = study.ask()
            t.suggest_float("lr", 1e-5, 1.0, log=True)
            t.suggest_int("layers", 1, 8)
            if t.suggest_categorical("optimizer", ["adam", "sgd", "rmsprop"]) == "sgd":
                t.suggest_float("momentum", 0.0, 1.0)
            return t

        def evaluate(t):
            p = t.params
            base = (math.log10(p["lr"]) + 3) ** 2 + 0.1 * (p["layers"] - 5) ** 2
            return base + {"sgd": lambda: 4 * (p["momentum"] - 0.9) ** 2, "adam": lambda: 0.5,
                           "rmsprop": lambda: 1.0}[p["optimizer"]]()

        return drive(study, ask, evaluate, workers, mode, trials)


def families_loss(p):
    """Two model families. svm: a tilted valley in (log C, log gamma) reaching 0; forest: a broad bowl that
    never goes below 0.1 but beats most svm settings, so a sampler that gives up on svm early stops at 0.1."""
    if p["family"] == "svm":
        a = (math.log10(p["C"]) + 3) / 6 - 0.7
        b = (math.log10(p["gamma"]) + 4) / 5 - 0.35
        q = (a + b) ** 2 + 0.25 * (a - b) ** 2
        return 1 - math.exp(-q / 0.1)
    return 0.1 + 0.2 * ((p["depth"] - 10) / 15) ** 2 + 0.2 * (p["features"] - 0.4) ** 2


class Families:
    optimum, budget = 0.0, 100

    def run(self, study, workers, mode, trials):
        def ask():
            t = study.ask()
            if t.suggest_categorical("family", ["svm", "forest"]) == "svm":
                t.suggest_float("C", 1e-3, 1e3, log=True)
                t.suggest_float("gamma", 1e-4, 10.0, log=True)
            else:
                t.suggest_int("depth", 1, 16)
                t.suggest_float("features", 0.05, 1.0)
            return t

        return drive(study, ask, lambda t: families_loss(t.params), workers, mode, trials)


_BRANIN_AT = [math.pi, 2.275]
_HARTMANN_AT = [0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]
_ST_AT = -2.903534018185960


def bayes_problems():
    # name: problem -- as Problems.all() defines them.
    return {
        "branin-2d": Box(branin, [(-5, 10), (0, 15)], 0.397887357729738, 100),
        "hartmann-6d": Box(hartmann6, [(0, 1)] * 6, -3.32236801141551, 100),
        "rosenbrock-5d": Box(rosenbrock, [(-5, 10)] * 5, 0.0, 100),
        "rastrigin-5d": Box(rastrigin, [(-5.12, 5.12)] * 5, 0.0, 100),
        "styblinski-tang-5d": Box(styblinski_tang, [(-5, 5)] * 5, -39.16616570377142 * 5, 100),
        "ackley-5d": Box(ackley, [(-32.768, 32.768)] * 5, 0.0, 100),
        "mixed-4d": Mixed(),
    }


def rotated_problems():
    # As Problems.rotated(): the rotation seed is 1000 + the problem's index in the suite.
    return {
        "rot-branin-2d": rotated(branin, [(-5, 10), (0, 15)], _BRANIN_AT, 0.397887357729738, 1001),
        "rot-hartmann-6d": rotated(hartmann6, [(0, 1)] * 6, _HARTMANN_AT, -3.32236801141551, 1002),
        "rot-rosenbrock-5d": rotated(rosenbrock, [(-5, 10)] * 5, [1.0] * 5, 0.0, 1003),
        "rot-rastrigin-5d": rotated(rastrigin, [(-5.12, 5.12)] * 5, [0.0] * 5, 0.0, 1004),
        "rot-styblinski-tang-5d": rotated(styblinski_tang, [(-5, 5)] * 5, [_ST_AT] * 5, -39.16616570377142 * 5, 1005),
        "rot-ackley-5d": rotated(ackley, [(-32.768, 32.768)] * 5, [0.0] * 5, 0.0, 1006),
    }


def conditional_problems():
    return {"mixed-4d": Mixed(), "families-5d": Families()}


def evo_problems():
    # As Problems.evo().
    out = {}
    for d, budget in ((10, 300), (5, 100)):
        out[f"rosenbrock-{d}d"] = Box(rosenbrock, [(-5, 10)] * d, 0.0, budget)
        out[f"rastrigin-{d}d"] = Box(rastrigin, [(-5.12, 5.12)] * d, 0.0, budget)
        out[f"ackley-{d}d"] = Box(ackley, [(-32.768, 32.768)] * d, 0.0, budget)
        if d == 5:
            out["styblinski-tang-5d"] = Box(styblinski_tang, [(-5, 5)] * 5, -39.16616570377142 * 5, budget)
        out[f"ellipsoid-{d}d"] = Box(ellipsoid, [(-5, 5)] * d, 0.0, budget)
    order = ["rosenbrock-10d", "rastrigin-10d", "ackley-10d", "ellipsoid-10d",
             "rosenbrock-5d", "rastrigin-5d", "ackley-5d", "styblinski-tang-5d", "ellipsoid-5d"]
    return {k: out[k] for k in order}


SUITES = {"bayes": bayes_problems, "rotated": rotated_problems, "conditional": conditional_problems,
          "evo": evo_problems}


def _cmaes_shim():
    """Optuna 5's CmaEsSampler needs the `cmaes` library (>= 0.10), which the local pip mirror lacks; Debian ships
    0.9.1 (apt-get install python3-cmaes; PYTHONPATH pointing at a folder holding only its `cmaes` package). 0.9.1's
    CMA has no `lr_adapt` argument, which Optuna passes as False by default (= 0.9.1's behaviour): drop it."""
    import cmaes

    if getattr(cmaes, "__version__", "").startswith("0.9") and cmaes.CMA is not _CMA091:
        _CMA091.base = cmaes.CMA
        cmaes.CMA = _CMA091


class _CMA091:
    """Builds a cmaes 0.9.1 CMA, minus the lr_adapt argument (a factory, so Optuna can pickle the optimizer)."""
    base = None

    def __new__(cls, *args, lr_adapt=False, **kwargs):
        if lr_adapt:
            raise SystemExit("lr_adapt needs cmaes >= 0.10")
        return cls.base(*args, **kwargs)


def sampler(name, seed):
    if name == "tpe":
        return optuna.samplers.TPESampler(seed=seed)
    if name == "gp":
        return optuna.samplers.GPSampler(seed=seed)
    if name == "cmaes":
        _cmaes_shim()
        return optuna.samplers.CmaEsSampler(seed=seed)
    if name == "random":
        return optuna.samplers.RandomSampler(seed=seed)
    # Variants the earlier tables (bench/BAYESIAN.md, bench/EVOLUTIONARY.md; Optuna 3.1) used.
    if name == "cmaes-ipop":
        _cmaes_shim()
        return optuna.samplers.CmaEsSampler(seed=seed, restart_strategy="ipop")
    if name == "tpe-mv":
        return optuna.samplers.TPESampler(seed=seed, multivariate=True, constant_liar=False)
    if name == "tpe-liar":
        return optuna.samplers.TPESampler(seed=seed, multivariate=False, constant_liar=True)
    if name == "tpe-uni":
        return optuna.samplers.TPESampler(seed=seed, multivariate=False, constant_liar=False)
    raise SystemExit(f"unknown sampler {name}")


def run_once(name, problem, seed, trials, workers, mode):
    study = optuna.create_study(sampler=sampler(name, seed), direction="minimize")
    return problem.run(study, workers, mode, trials) - problem.optimum


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--samplers", default="tpe")
    ap.add_argument("--problems", default=None)
    ap.add_argument("--seeds", type=int, default=10)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--trials", type=int, default=None)
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--suite", choices=list(SUITES), default="evo")
    ap.add_argument("--mode", choices=["batch", "async"], default="batch")
    ap.add_argument("--out", default=None, help="append one JSON line per run to this file")
    args = ap.parse_args()
    optuna.logging.set_verbosity(optuna.logging.ERROR)
    warnings.simplefilter("ignore")  # experimental-feature and independent-sampling warnings

    all_problems = SUITES[args.suite]()
    names = args.problems.split(",") if args.problems else list(all_problems)
    rows = ["| problem | strategy | workers | trials | median regret | IQR | ms/trial |", "|---|---|---|---|---|---|---|"]
    for pname in names:
        problem = all_problems[pname]
        trials = args.trials or problem.budget
        for sname in args.samplers.split(","):
            regrets = []
            start = time.perf_counter()
            for seed in range(args.first_seed, args.first_seed + args.seeds):
                t0 = time.perf_counter()
                regret = run_once(sname, problem, seed, trials, args.workers, args.mode)
                regrets.append(regret)
                if args.out:
                    with open(args.out, "a") as out:
                        out.write(json.dumps({"problem": pname, "sampler": "optuna-" + sname, "workers": args.workers,
                                              "mode": args.mode, "trials": trials, "seed": seed, "regret": regret,
                                              "seconds": time.perf_counter() - t0}) + "\n")
            ms = (time.perf_counter() - start) * 1000 / (args.seeds * trials)
            q1, med, q3 = np.quantile(np.array(regrets), [0.25, 0.5, 0.75])
            rows.append(f"| {pname} | optuna-{sname} | {args.workers} | {trials} | {med:.4g} | {q1:.4g} – {q3:.4g} | {ms:.2f} |")
            print(f"optuna-{sname} on {pname}, {args.workers} worker(s): median regret {med:.4g}", flush=True,
                  file=sys.stderr)
    print("\n".join(rows))


if __name__ == "__main__":
    main()
