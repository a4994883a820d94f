#!/usr/bin/env python3
"""Where a Binh–Korn run loses hypervolume, from `MultiObjectiveBenchmark --dump FILE` lines (docs/multi-objective.md).

For each run: the gap between the true front's hypervolume (reference (140, 50)) and the run's, split by f1 ranges;
how many trials are non-dominated, infeasible, or more than 0.05 above the true front. Then two yardsticks:
the best 140 and 150 points on the true front can reach (an optimal mu-distribution, by L-BFGS-B), and what a
perfect model reaches when it adds points one at a time by exact hypervolume improvement after N random trials
(greedy EHVI with no model error; --greedy N, seeds 100-105).

    python3 bench/binh_korn_gap.py runs.jsonl [--greedy 10]
"""
import argparse
import json

import numpy as np

REF = (140.0, 50.0)
BINS = [0, 1, 5, 20, 50, 100, 130, 136, 140]


def true_f2(f1):
    """The true front: x = y = t in [0, 3] (f1 = 8t², f2 = 2(5 - t)²), then y = 3, x in [3, 5]."""
    f1 = np.asarray(f1, float)
    t = np.sqrt(np.clip(f1, 0, 72) / 8)
    s = np.sqrt(np.clip((f1 - 36) / 4, 9, 25))
    return np.where(f1 <= 72, 2 * (5 - t) ** 2, (5 - s) ** 2 + 4)


GRID = np.linspace(0, REF[0], 280001)
DX = GRID[1] - GRID[0]
TRUE = np.minimum(REF[1], true_f2(GRID))


def staircase_gap(points):
    """The hypervolume the points miss against the true front, per f1 bin and in total."""
    pts = np.array(sorted(points))
    f1s, f2s = pts[:, 0], np.minimum.accumulate(pts[:, 1])
    idx = np.searchsorted(f1s, GRID, side="right") - 1
    stair = np.where(idx >= 0, np.minimum(REF[1], f2s[np.maximum(idx, 0)]), REF[1])
    gap = stair - TRUE
    return gap.sum() * DX, [gap[(GRID >= lo) & (GRID < hi)].sum() * DX for lo, hi in zip(BINS, BINS[1:])]


def hv(points):
    h, best = 0.0, REF[1]
    front = []
    for p in sorted(p for p in points if p[0] < REF[0] and p[1] < REF[1]):
        if p[1] < best:
            front.append(p)
            best = p[1]
    for i, p in enumerate(front):
        h += ((front[i + 1][0] if i + 1 < len(front) else REF[0]) - p[0]) * (REF[1] - p[1])
    return h


def optimal(mu):
    from scipy.optimize import minimize

    def on_front(a):
        a = np.sort(np.clip(a, 0, 136))
        return np.sum((np.append(a[1:], REF[0]) - a) * (REF[1] - true_f2(a)))

    density = np.sqrt(np.maximum(1e-9, -np.gradient(TRUE, DX)))
    cdf = np.cumsum(density) / density.sum()
    a0 = np.append(np.interp((np.arange(mu - 1) + 0.5) / mu, cdf, GRID), 136.0)
    res = minimize(lambda a: -on_front(a), a0, method="L-BFGS-B", bounds=[(0, 136)] * mu)
    return -res.fun


def greedy(seed, startup, total=150):
    rng = np.random.default_rng(seed)
    pts = []
    for _ in range(startup):
        x, y = rng.uniform(0, 5), rng.uniform(0, 3)
        if (x - 5) ** 2 + y * y <= 25 and (x - 8) ** 2 + (y + 3) ** 2 >= 7.7:
            pts.append((4 * x * x + 4 * y * y, (x - 5) ** 2 + (y - 5) ** 2))
    cand = [(a, float(true_f2(a))) for a in np.linspace(0, 136, 20001)]
    for _ in range(total - startup):
        base = hv(pts)
        coarse = max(range(0, len(cand), 50), key=lambda i: hv(pts + [cand[i]]))
        fine = max(range(max(0, coarse - 50), min(len(cand), coarse + 51)), key=lambda i: hv(pts + [cand[i]]))
        pts.append(cand[fine])
    return hv(pts)


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dump", nargs="*")
    parser.add_argument("--greedy", type=int, help="also simulate greedy EHVI with a perfect model after N random trials")
    args = parser.parse_args()
    print("true front hypervolume %.3f" % (TRUE.size and (REF[1] - TRUE).sum() * DX))
    for fn in args.dump:
        rows = []
        for line in open(fn):
            r = json.loads(line)
            if r["problem"] != "binh-korn":
                continue
            feasible = [t["f"] for t in r["trials"] if max(t["c"]) <= 0]
            total, per = staircase_gap(feasible)
            nd = sum(1 for p in feasible if not any(q[0] <= p[0] and q[1] <= p[1] and q != p for q in feasible))
            off = sum(1 for t in r["trials"] if max(t["c"]) > 0 or t["f"][1] - true_f2(t["f"][0]) > 0.05)
            rows.append((r["strategy"], r["seed"], hv(feasible), total, per, nd, off))
            print("%s seed %d: hypervolume %.3f gap %.2f | non-dominated %d, infeasible or > 0.05 off the front %d"
                  " | gap by f1 %s: %s" % (r["strategy"], r["seed"], hv(feasible), total, nd, off, BINS,
                                           " ".join("%.2f" % v for v in per)))
        if rows:
            print("%s: median hypervolume %.3f, gap %.2f, by f1 bin %s" % (
                fn, np.median([r[2] for r in rows]), np.median([r[3] for r in rows]),
                " ".join("%.2f" % v for v in np.median([r[4] for r in rows], axis=0))))
    if args.greedy is not None:
        print("best 140 points on the front %.3f, best 150 %.3f" % (optimal(140), optimal(150)))
        g = [greedy(s, args.greedy) for s in range(100, 106)]
        print("greedy with a perfect model after %d random trials: %s, median %.3f" % (
            args.greedy, " ".join("%.2f" % v for v in g), np.median(g)))


if __name__ == "__main__":
    main()
