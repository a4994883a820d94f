#!/usr/bin/env python3
"""Variants of our strategies against a baseline, from QualityBenchmark's --out lines.

For each (problem, workers) cell: the baseline's median regret and mean log10 regret over the seeds in
[--first-seed, --last-seed], and for every other sampler name in the files its median and the change of mean log10
regret against the baseline (negative is better), with the change summed over the cells at the bottom. Only seeds
both sides ran count, so a variant run on fewer cells or seeds is compared on what it has.

    python3 bench/variant_delta.py --runs tune.jsonl --baseline tpe --first-seed 100 --last-seed 299
"""
import argparse
import collections
import glob
import json
import math
import statistics


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", required=True, help="comma-separated files or globs")
    ap.add_argument("--baseline", default="tpe")
    ap.add_argument("--first-seed", type=int, default=0)
    ap.add_argument("--last-seed", type=int, default=10**9)
    ap.add_argument("--mode", default=None, help="only lines of this mode (batch or async)")
    ap.add_argument("--variants", default=None, help="comma-separated sampler names to show (default: all)")
    args = ap.parse_args()
    runs = collections.defaultdict(dict)  # (sampler, problem, workers) -> seed -> regret
    for pattern in args.runs.split(","):
        for path in glob.glob(pattern):
            with open(path) as f:
                for line in f:
                    r = json.loads(line)
                    if args.mode and r.get("mode", "batch") != args.mode:
                        continue
                    if args.first_seed <= r["seed"] <= args.last_seed:
                        runs[(r["sampler"], r["problem"], r["workers"])][r["seed"]] = r["regret"]
    cells = sorted({(p, w) for (s, p, w) in runs if s == args.baseline})
    variants = sorted({s for (s, p, w) in runs if s != args.baseline})
    if args.variants:
        variants = [v for v in args.variants.split(",") if v in variants]

    def log10(v):
        return math.log10(max(v, 1e-12))

    print("| problem | workers | seeds | " + args.baseline + " median (mean log10) | "
          + " | ".join(variants) + " |")
    print("|---|---|---|---|" + "---|" * len(variants))
    total = collections.Counter()
    counted = collections.Counter()
    for cell in cells:
        base = runs[(args.baseline,) + cell]
        row = [cell[0], str(cell[1]), str(len(base)),
               f"{statistics.median(base.values()):.4g} ({statistics.mean(map(log10, base.values())):.3f})"]
        for v in variants:
            other = runs.get((v,) + cell)
            seeds = sorted(set(base) & set(other)) if other else []
            if not seeds:
                row.append("")
                continue
            delta = statistics.mean(log10(other[s]) - log10(base[s]) for s in seeds)
            total[v] += delta
            counted[v] += 1
            row.append(f"{statistics.median(other[s] for s in seeds):.4g} ({delta:+.3f})")
        print("| " + " | ".join(row) + " |")
    print("| sum of mean log10 changes | | | | " + " | ".join(
        f"{total[v]:+.3f} over {counted[v]} cells" for v in variants) + " |")


if __name__ == "__main__":
    main()
