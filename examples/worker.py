#!/usr/bin/env python3
"""A Tellus training worker in plain Python (standard library only): create-or-join a study, then
ask -> train -> tell until the study says done. Start several at once to search in parallel.

    python3 examples/worker.py --url http://localhost:8080 --study demo --worker "$(hostname)-$$"
    python3 examples/worker.py --study demo-asha --pruner asha   # report every epoch, stop when told

The "training" here is a stand-in objective; replace train() with your own run.
"""
import argparse
import json
import math
import time
import urllib.error
import urllib.request

SPACE = {
    "lr": {"type": "float", "low": 1e-5, "high": 1e-1, "log": True},
    "layers": {"type": "int", "low": 1, "high": 8},
    "dropout": {"type": "float", "low": 0.0, "high": 0.5, "step": 0.05},
    "optimizer": {"type": "categorical", "choices": ["adam", "sgd"]},
    "momentum": {"type": "float", "low": 0.5, "high": 0.99, "when": {"optimizer": ["sgd"]}},
}


def call(base, method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"} if data else {})
    for attempt in range(5):
        try:
            with urllib.request.urlopen(request, timeout=30) as response:
                text = response.read()
                return json.loads(text) if text else None
        except urllib.error.HTTPError as e:
            if e.code == 503:  # database restarting: wait as told, then retry
                time.sleep(int(e.headers.get("Retry-After", "2")))
                continue
            raise SystemExit(f"{method} {path}: {e.code} {e.read().decode()}")
        except urllib.error.URLError:
            time.sleep(2 ** attempt)
    raise SystemExit(f"{method} {path}: Tellus is unreachable")


def train(params):
    """Stand-in for a training run: returns a validation loss (may diverge to NaN for a huge lr)."""
    time.sleep(0.05)
    loss = (math.log10(params["lr"]) + 3) ** 2 + 0.1 * (params["layers"] - 5) ** 2 + params["dropout"]
    if params["optimizer"] == "sgd":
        loss += 4 * (params["momentum"] - 0.9) ** 2
    return float("nan") if params["lr"] > 0.09 else loss


def train_with_reports(base, study, trial, epochs=20):
    """Stand-in for a run that reports its validation loss every epoch and stops when the pruner says so.
    Returns the final loss, or None when the trial was pruned."""
    final = train(trial["params"])
    if math.isnan(final):
        return final
    for epoch in range(1, epochs + 1):
        # Decays from final + 1 towards final: a learning curve.
        loss = final + math.exp(-epoch / 4)
        answer = call(base, "POST", f"{study}/trials/{trial['number']}/report", {"step": epoch, "value": loss})
        if answer["prune"]:
            return None
    return loss


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--url", default="http://localhost:8080")
    parser.add_argument("--study", default="demo")
    parser.add_argument("--worker", default="worker-1")
    parser.add_argument("--max-trials", type=int, default=60)
    parser.add_argument("--pruner", default="none", help="none, median, percentile, asha or hyperband")
    args = parser.parse_args()

    study = f"/api/v1/studies/{args.study}"
    pruner = {"name": args.pruner}
    if args.pruner == "hyperband":
        pruner["options"] = {"maxResource": 20}
    # Idempotent: every worker may send the same definition at start-up.
    call(args.url, "PUT", study, {"space": SPACE, "maxTrials": args.max_trials, "pruner": pruner})
    while True:
        answer = call(args.url, "POST", study + "/trials/ask", {"worker": args.worker})
        if not answer["trials"]:
            if answer["done"]:
                break
            time.sleep(answer.get("retryAfterSeconds", 5))
            continue
        trial = answer["trials"][0]
        loss = train(trial["params"]) if args.pruner == "none" else train_with_reports(args.url, study, trial)
        if loss is None:
            call(args.url, "POST", f"{study}/trials/{trial['number']}/tell", {"state": "PRUNED"})
            print(f"{args.worker}: trial {trial['number']} pruned")
            continue
        # json.dumps writes NaN as a bare word, which Tellus records as a FAILED trial.
        call(args.url, "POST", f"{study}/trials/{trial['number']}/tell", {"value": loss})
        print(f"{args.worker}: trial {trial['number']} loss={loss:.4f} params={trial['params']}")
    best = call(args.url, "GET", study + "/best")["trials"]
    if best:
        print(f"best: trial {best[0]['number']} loss={best[0]['values'][0]:.4f} params={best[0]['params']}")


if __name__ == "__main__":
    main()
