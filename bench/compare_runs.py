#!/usr/bin/env python3
"""Ours next to Optuna from per-run JSON lines: median regret per (problem, workers), and how sure the order is.

Reads the `--out` files of QualityBenchmark (ours) and bench/optuna_compare.py (Optuna): one JSON line per run with
problem, sampler, workers, seed and regret. For each (problem, workers) both sides have, over the seeds in
[--first-seed, --last-seed]: both medians, their ratio (ours / Optuna), a 90% bootstrap interval of that ratio
(2,000 resamples of each side's seeds, fixed stream) and the share of resamples where our median is at or below
Optuna's. A ratio whose interval spans 1 is a tie within the noise of that many seeds.

    python3 bench/compare_runs.py --ours ours.jsonl --optuna bench/optuna5-runs.jsonl --first-seed 0 --last-seed 29

`--mean-log` adds each side's mean log10 regret (floored at 1e-12, as QualityBenchmark prints it) and their
difference (negative: ours lower), which weighs every run and not only the middle one.
"""
import argparse
import collections
import glob
import json
import math
import random
import statistics


def load(patterns, sampler=None):
    runs = collections.defaultdict(dict)
    for pattern in patterns.split(","):
        for path in glob.glob(pattern):
            with open(path) as f:
                for line in f:
                    r = json.loads(line)
                    if sampler is None or r["sampler"] == sampler:
                        runs[(r["problem"], r["workers"])][r["seed"]] = r["regret"]
    return runs


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--ours", required=True, help="comma-separated files or globs")
    ap.add_argument("--ours-sampler", default=None, help="only lines of this sampler (e.g. tpe)")
    ap.add_argument("--optuna", required=True)
    ap.add_argument("--optuna-sampler", default=None, help="e.g. optuna-tpe")
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--last-seed", type=int, default=10**9)
    ap.add_argument("--mean-log", action="store_true", help="add mean log10 regret of both sides")
    args = ap.parse_args()
    ours = load(args.ours, args.ours_sampler)
    optuna = load(args.optuna, args.optuna_sampler)
    rng = random.Random(1)
    extra = " mean log10 ours / Optuna (difference) |" if args.mean_log else ""
    print("| problem | workers | seeds (ours / Optuna) | ours | Optuna | ratio | 90% interval | P(ours ≤ Optuna) |" + extra)
    print("|---|---|---|---|---|---|---|---|" + ("---|" if args.mean_log else ""))
    for key in sorted(set(ours) & set(optuna)):
        a = [v for s, v in sorted(ours[key].items()) if args.first_seed <= s <= args.last_seed]
        b = [v for s, v in sorted(optuna[key].items()) if args.first_seed <= s <= args.last_seed]
        if not a or not b:
            continue
        ratios = []
        for _ in range(2000):
            ma = statistics.median(rng.choice(a) for _ in a)
            mb = statistics.median(rng.choice(b) for _ in b)
            ratios.append(ma / mb if mb > 0 else float("inf"))
        ratios.sort()
        at_or_below = sum(r <= 1 for r in ratios) / len(ratios)
        ma, mb = statistics.median(a), statistics.median(b)
        cell = ""
        if args.mean_log:
            la = sum(math.log10(max(v, 1e-12)) for v in a) / len(a)
            lb = sum(math.log10(max(v, 1e-12)) for v in b) / len(b)
            cell = f" {la:.3f} / {lb:.3f} ({la - lb:+.3f}) |"
        print(f"| {key[0]} | {key[1]} | {len(a)} / {len(b)} | {ma:.4g} | {mb:.4g} | {ma / mb:.2f} | "
              f"{ratios[100]:.2f} – {ratios[1899]:.2f} | {at_or_below:.2f} |" + cell)


if __name__ == "__main__":
    main()
