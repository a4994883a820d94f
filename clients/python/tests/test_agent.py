"""tellus agent: runs any command per trial, with params substituted, as environment variables and in a file."""
import json

import pytest

from conftest import SPACE
from test_cli import tellus  # noqa: F401 - the fixture

# A "training script" in shell: prints the params it got three ways, then a loss as the last number.
TRAIN = ('echo "epoch 1 loss 9"; '
         'echo "args x=$1 n=$2 kind=$3"; '
         'echo "env x=$TELLUS_PARAM_X n=$TELLUS_PARAM_N trial=$TELLUS_TRIAL_NUMBER study=$TELLUS_STUDY"; '
         'echo "file $(cat "$TELLUS_PARAMS_FILE")"; '
         'echo "$1" | awk \'{ printf "final loss: %.17g\\n", ($1 - 1) ^ 2 }\'')


@pytest.fixture
def agent(tellus):
    """``tellus agent ...`` in this process (test_cli's fixture); the commands it runs are real processes."""
    return lambda *args: tellus("agent", *args, check=False)


def test_agent_runs_the_command_per_trial_and_tells_the_last_number(client, name, agent):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 1}, max_trials=4)
    result = agent(name, "--", "sh", "-c", TRAIN, "train", "{x}", "{n}", "{kind}")
    assert result.returncode == 0, result.stderr
    trials = study.trials()
    assert [t.state for t in trials] == ["COMPLETED"] * 4
    for t in trials:
        assert abs(t.value - (t.params["x"] - 1) ** 2) < 1e-9
        assert "args x=%s n=%s kind=%s" % (t.params["x"], t.params["n"], t.params["kind"]) in result.stdout
        assert "env x=%s n=%s trial=%d study=%s" % (t.params["x"], t.params["n"], t.number, name) in result.stdout
        assert "file " + json.dumps(t.params) in result.stdout
    assert "4 trials run" in result.stderr


def test_a_failing_command_tells_failed_with_the_tail_of_stderr(client, name, agent):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 2}, max_trials=3)
    fail_on_b = 'if [ "$1" = b ]; then echo "loading data" >&2; echo "CUDA out of memory" >&2; exit 3; fi; echo 0.5'
    result = agent(name, "--max-failures", "10", "--", "sh", "-c", fail_on_b, "train", "{kind}")
    assert result.returncode == 0, result.stderr
    trials = study.trials()
    failed = [t for t in trials if t.state == "FAILED"]
    assert failed, "seed 2 draws kind=b at least once"
    for t in failed:
        assert t.params["kind"] == "b"
        assert t.reason.startswith("exit code 3: ") and t.reason.endswith("loading data\nCUDA out of memory")
    # Failures do not count against maxTrials: the agent went on until three completed.
    assert len([t for t in trials if t.state == "COMPLETED"]) == 3


def test_a_broken_command_stops_the_agent_after_max_failures(client, name, agent):
    study = client.study(name, space=SPACE, max_trials=10)
    result = agent(name, "--max-failures", "2", "--", "sh", "-c", "echo boom >&2; exit 1")
    assert result.returncode == 1 and "2 trials in a row failed" in result.stderr
    assert [t.reason for t in study.trials()] == ["exit code 1: boom"] * 2


def test_no_number_and_a_missing_command_fail_the_trial(client, name, agent):
    study = client.study(name, space=SPACE, max_trials=2)
    agent(name, "--max-trials", "1", "--", "echo", "no result here")
    agent(name, "--max-trials", "1", "--", "/nonexistent/train")
    reasons = [t.reason for t in study.trials()]
    assert reasons[0] == "the command printed no number"
    assert reasons[1].startswith("cannot run /nonexistent/train")


def test_metric_file_and_several_workers(client, name, agent, tmp_path):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 3}, max_trials=6)
    metric = str(tmp_path / "metric-{trial}.txt")
    script = 'sleep 0.3; echo "step 100"; echo "$TELLUS_PARAM_N" > "$TELLUS_METRIC_FILE"'
    result = agent(name, "--workers", "3", "--metric-file", metric, "--", "sh", "-c", script)
    assert result.returncode == 0, result.stderr
    trials = study.trials()
    assert len(trials) == 6 and all(t.state == "COMPLETED" and t.value == t.params["n"] for t in trials)
    assert len({t.worker for t in trials}) > 1
    assert "[trial " in result.stdout  # output of parallel commands is labelled


def test_agent_creates_the_study_from_a_definition(name, agent, tmp_path, client):
    definition = tmp_path / "study.json"
    definition.write_text(json.dumps({"space": SPACE, "maxTrials": 2}))
    result = agent(name, "--definition", str(definition), "--", "python3", "-c", "print({x} ** 2)")
    assert result.returncode == 0, result.stderr
    assert client.get_study(name).info()["counts"]["COMPLETED"] == 2


def test_agent_on_an_unknown_study_says_how_to_create_it(name, agent):
    result = agent(name, "--", "echo", "1")
    assert result.returncode == 1 and "tellus create" in result.stderr


def test_last_number_and_substitution():
    from tellus.cli import last_number, substitute
    assert last_number("epoch 3/10 loss=0.25 acc 91.5%\n") == 91.5
    assert last_number("model resnet50 v1.2 val_loss: 1e-3\n") == 0.001
    assert last_number("loss nan") != last_number("loss nan")  # NaN: told, and the server fails the trial
    assert last_number("no numbers") is None
    assert substitute("--lr {lr} --opt={opt} {unknown} {trial}", {"lr": 0.1, "opt": True}, 7) == \
        "--lr 0.1 --opt=true {unknown} 7"
