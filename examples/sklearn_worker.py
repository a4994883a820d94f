#!/usr/bin/env python3
"""Tune a support vector machine on scikit-learn's digits with Tellus. Every copy of this script is a worker:
start it on as many machines (or terminals) as you like, they share the study.

    pip install ./clients/python scikit-learn     # or Debian's python3-sklearn
    python3 examples/sklearn_worker.py --study digits-svm --trials 40 --workers 2

TELLUS_URL (default http://localhost:8080) and TELLUS_API_KEY say where Tellus is.
"""
import argparse

from sklearn.datasets import load_digits
from sklearn.model_selection import cross_val_score
from sklearn.svm import SVC

import tellus

SPACE = {
    "C": {"type": "float", "low": 1e-2, "high": 1e3, "log": True},
    "gamma": {"type": "float", "low": 1e-5, "high": 1e-2, "log": True},
    "shrinking": {"type": "categorical", "choices": [True, False]},
}
X, y = load_digits(return_X_y=True)


def objective(trial: tellus.Trial) -> float:
    """Mean 3-fold cross-validated accuracy of one configuration."""
    model = SVC(C=trial.params["C"], gamma=trial.params["gamma"], shrinking=trial.params["shrinking"])
    return cross_val_score(model, X, y, cv=3, n_jobs=1).mean()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="Tellus (default: TELLUS_URL, else http://localhost:8080)")
    parser.add_argument("--study", default="digits-svm")
    parser.add_argument("--trials", type=int, default=40, help="the study's budget (maxTrials)")
    parser.add_argument("--workers", type=int, default=1, help="trials run at once by this process (threads)")
    args = parser.parse_args()

    study = tellus.Client(args.url).study(args.study, space=SPACE, objectives={"accuracy": "maximize"},
                                          strategy="auto", max_trials=args.trials)
    study.optimize(objective, n_workers=args.workers)  # until the study is done
    best = study.best_trial
    print("best accuracy %.4f with %s (trial %d)" % (best.value, best.params, best.number))


if __name__ == "__main__":
    main()
