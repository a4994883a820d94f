"""A worker process killed mid-trial: its lease runs out, the params go out again, nothing is lost."""
import signal
import subprocess
import sys
import textwrap
import time

from conftest import SPACE

WORKER = textwrap.dedent("""
    import sys, time, tellus
    study = tellus.Client().study(sys.argv[1])
    with study.ask(worker="doomed") as trial:
        print(trial.number, flush=True)
        time.sleep(600)  # killed here
""")


def test_killed_worker_trial_is_retried_and_the_study_completes(client, name, env):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 9}, max_trials=4,
                         lease_seconds=1, max_retries=1)
    doomed = subprocess.Popen([sys.executable, "-c", WORKER, name], env=env, stdout=subprocess.PIPE, text=True)
    try:
        number = int(doomed.stdout.readline())
        running = study.trial(number)
        assert running.state == "RUNNING"
        time.sleep(1.5)  # longer than the lease: the heartbeat thread keeps it alive
        assert study.trial(number).state == "RUNNING"
        doomed.send_signal(signal.SIGKILL)
        doomed.wait(10)
    finally:
        doomed.kill()
        doomed.stdout.close()

    # Another worker finishes the study: the killed trial's params come back as a retry, first.
    told = []

    def objective(trial):
        told.append((trial.number, trial.data.get("retryOf"), trial.params))
        return trial.params["x"] ** 2

    study.optimize(objective)
    failed = study.trial(number)
    assert failed.state == "FAILED" and failed.reason == "lease expired"
    retry = [t for t in told if t[1] == number]
    assert len(retry) == 1 and retry[0][2] == running.params
    assert study.info()["counts"]["COMPLETED"] == 4
    assert study.ask(wait=False) is None  # done: every budgeted trial has a result
