"""The README's Python and agent examples, run as written (against this server, with a fresh study name)."""
import os
import re
import shlex

from conftest import REPO
from tellus.cli import main


def block(heading, language):
    readme = (REPO / "README.md").read_text()
    section = readme.index("\n## " + heading)
    match = re.compile(r"```%s\n(.*?)```" % language, re.S).search(readme, section)
    return match.group(1)


def test_the_python_example(client, name, monkeypatch, capsys, url):
    code = block("From Python", "python")
    assert code.count("\n") <= 5
    monkeypatch.setenv("TELLUS_URL", url)
    exec(compile(code.replace('"quickstart"', repr(name)), "README.md", "exec"), {})
    study = client.get_study(name)
    assert study.info()["counts"]["COMPLETED"] == 30
    assert capsys.readouterr().out.strip() == str(study.best_trial.params)


def test_the_agent_example(client, name, capsys):
    line = next(l for l in block("Any training command", "bash").splitlines() if l.startswith("tellus agent "))
    argv = shlex.split(line)[1:]
    argv[1] = name
    os.chdir(REPO)
    assert main(argv) == 0, capsys.readouterr().err
    assert client.get_study(name).info()["counts"]["COMPLETED"] == 20
