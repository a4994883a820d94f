#!/usr/bin/env python3
"""Early stopping with Tellus: train a linear classifier epoch by epoch, report the validation error after each
epoch, and stop when the study's pruner says the run will not win.

    pip install ./clients/python scikit-learn     # or Debian's python3-sklearn
    python3 examples/pruning_worker.py --study digits-sgd --trials 30

Pruned trials end PRUNED; the strategy still learns from their last reported value.
"""
import argparse

import numpy as np
from sklearn.datasets import load_digits
from sklearn.linear_model import SGDClassifier
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler

import tellus

SPACE = {
    "alpha": {"type": "float", "low": 1e-6, "high": 1.0, "log": True},
    "eta0": {"type": "float", "low": 1e-4, "high": 1.0, "log": True},
    "loss": {"type": "categorical", "choices": ["hinge", "log_loss", "modified_huber"]},
}
EPOCHS = 10

X, y = load_digits(return_X_y=True)
X_train, X_valid, y_train, y_valid = train_test_split(StandardScaler().fit_transform(X), y, test_size=0.3,
                                                      random_state=0)


def objective(trial: tellus.Trial) -> float:
    """Validation error after the last epoch; raises TrialPruned when the pruner stops the run."""
    model = SGDClassifier(alpha=trial.params["alpha"], eta0=trial.params["eta0"], loss=trial.params["loss"],
                          learning_rate="constant", random_state=0)
    error = 1.0
    for epoch in range(1, EPOCHS + 1):
        model.partial_fit(X_train, y_train, classes=np.unique(y))
        error = 1.0 - model.score(X_valid, y_valid)
        if trial.report(epoch, error):  # True: the pruner says stop
            raise tellus.TrialPruned()
    return error


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", help="Tellus (default: TELLUS_URL, else http://localhost:8080)")
    parser.add_argument("--study", default="digits-sgd")
    parser.add_argument("--trials", type=int, default=30)
    args = parser.parse_args()

    study = tellus.Client(args.url).study(
        args.study, space=SPACE, objectives={"error": "minimize"}, strategy={"name": "tpe", "seed": 1},
        pruner={"name": "median", "options": {"startupTrials": 3, "warmupSteps": 2}}, max_trials=args.trials)
    study.optimize(objective)
    counts = study.info()["counts"]
    print("%d completed, %d pruned; best validation error %.4f with %s"
          % (counts["COMPLETED"], counts["PRUNED"], study.best_trial.value, study.best_trial.params))


if __name__ == "__main__":
    main()
