"""The tellus command (python -m tellus) against a live Tellus."""
import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import SPACE
from tellus.cli import main


class Result:
    def __init__(self, returncode, stdout, stderr):
        self.returncode, self.stdout, self.stderr = returncode, stdout, stderr


@pytest.fixture
def tellus(capsys, monkeypatch):
    """Runs the command line in this process (the suite stays fast); test_python_m_tellus runs it for real."""

    def run(*args, input=None, check=True):
        capsys.readouterr()
        if input is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(input))
        try:
            code = main(list(args))
        except SystemExit as e:  # argparse's usage errors
            code = e.code
        out, err = capsys.readouterr()
        if check:
            assert code == 0, err
        return Result(code, out, err)

    return run


def test_python_m_tellus_runs_the_command_line(env, name):
    result = subprocess.run([sys.executable, "-m", "tellus", "show", name], env=env, capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 1 and "404" in result.stderr


def test_create_show_studies_trials_best_delete(client, name, tellus, tmp_path):
    definition = tmp_path / "study.json"
    definition.write_text(json.dumps({"space": SPACE, "strategy": {"name": "random", "seed": 1}, "maxTrials": 3}))
    created = json.loads(tellus("create", name, "--definition", str(definition)).stdout)
    assert created["name"] == name and created["maxTrials"] == 3
    # The same definition again matches; from stdin too.
    tellus("create", name, "--definition", "-", input=definition.read_text())

    study = client.get_study(name)
    study.optimize(lambda t: t.params["x"] ** 2)
    study.trial(0)

    listing = tellus("studies").stdout.splitlines()
    assert listing[0].split() == ["NAME", "STATE", "TRIALS", "COMPLETED", "BEST"]
    row = next(line.split() for line in listing if line.startswith(name + " "))
    assert row[1:4] == ["COMPLETED", "3", "3"]

    shown = json.loads(tellus("show", name).stdout)
    assert shown["counts"]["COMPLETED"] == 3

    best = json.loads(tellus("best", name).stdout)["trials"]
    assert best[0]["number"] == study.best_trial.number

    table = tellus("trials", name, "--state", "completed").stdout.splitlines()
    assert table[0].split()[:3] == ["NUMBER", "STATE", "VALUES"] and len(table) == 4
    rows = list(csv.DictReader(io.StringIO(tellus("trials", name, "--csv").stdout)))
    assert [r["number"] for r in rows] == ["0", "1", "2"] and "x" in rows[0]

    deleted = tellus("delete", name)
    assert "deleted" in deleted.stderr
    gone = tellus("show", name, check=False)
    assert gone.returncode == 1 and "404" in gone.stderr


def test_errors_are_one_clear_message_with_field_errors(tellus, name, tmp_path):
    definition = tmp_path / "bad.json"
    definition.write_text(json.dumps({"space": {"lr": {"type": "float", "low": 0, "high": 1, "log": True}}}))
    result = tellus("create", name, "--definition", str(definition), check=False)
    assert result.returncode == 1
    assert "400" in result.stderr and "space.lr.low" in result.stderr


def test_usage_errors_exit_2(tellus):
    assert tellus(check=False).returncode == 2
    assert tellus("trials", "x", "--state", "DONE", check=False).returncode == 2
    assert tellus("agent", "x", check=False).returncode == 2  # no command after --
    assert tellus("show", "x", "--", "echo", check=False).returncode == 2
