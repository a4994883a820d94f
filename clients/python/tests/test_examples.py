"""The examples in examples/, each run against the live server as its documentation says."""
import re
import subprocess
import sys

import pytest

from conftest import REPO

EXAMPLES = REPO / "examples"


def run(env, *args, timeout=180):
    result = subprocess.run([sys.executable, *map(str, args)], env=env, capture_output=True, text=True,
                            timeout=timeout, cwd=REPO)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def test_sklearn_worker(client, name, env):
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (apt-get install python3-sklearn)")
    result = run(env, EXAMPLES / "sklearn_worker.py", "--study", name, "--trials", "4", "--workers", "2")
    study = client.get_study(name)
    completed = study.trials(state="COMPLETED")
    assert len(completed) == 4 and all(0 < t.value <= 1 for t in completed)
    assert study.best_trial.value == max(t.value for t in completed)
    assert "best accuracy %.4f" % study.best_trial.value in result.stdout


def test_pruning_worker_reports_every_epoch_and_gets_pruned(client, name, env):
    pytest.importorskip("sklearn", reason="scikit-learn is not installed (apt-get install python3-sklearn)")
    result = run(env, EXAMPLES / "pruning_worker.py", "--study", name, "--trials", "10")
    study = client.get_study(name)
    trials = study.trials()
    states = [t.state for t in trials]
    assert len(trials) == 10 and set(states) <= {"COMPLETED", "PRUNED"}
    assert "PRUNED" in states, "the median pruner stopped nothing in 10 trials"
    first = study.trial(0)
    assert [v["step"] for v in first.intermediate] == list(range(1, 11))  # the first trial is never pruned
    pruned = study.trial(states.index("PRUNED"))
    assert 2 <= len(pruned.intermediate) < 10  # judged from step 2 (warmupSteps), stopped before the end
    assert "pruned" in result.stdout


def test_the_agent_example_is_the_one_in_the_readme():
    """test_readme runs the README's agent command; train.sh documents the same one."""
    documented = next(line for line in (EXAMPLES / "agent" / "train.sh").read_text().splitlines()
                      if line.startswith("#   tellus agent "))
    assert documented[len("#   "):] in (REPO / "README.md").read_text()


def test_kubernetes_indexed_job_manifest_is_valid_and_its_workers_run(client, name, env, url, tmp_path):
    yaml = pytest.importorskip("yaml", reason="PyYAML is not installed (apt-get install python3-yaml)")
    docs = list(yaml.safe_load_all((EXAMPLES / "kubernetes" / "tellus-workers.yaml").read_text()))
    assert [d["kind"] for d in docs] == ["ConfigMap", "Job"]
    config, job = docs
    assert job["apiVersion"] == "batch/v1"
    spec = job["spec"]
    assert spec["completionMode"] == "Indexed" and spec["completions"] == spec["parallelism"] >= 2
    pod = spec["template"]["spec"]
    assert pod["restartPolicy"] == "Never"
    container = pod["containers"][0]
    mount = container["volumeMounts"][0]
    assert pod["volumes"][0]["configMap"]["name"] == config["metadata"]["name"]
    assert mount["name"] == pod["volumes"][0]["name"]
    assert container["command"][:2] == ["tellus", "agent"]

    # Run the pods' command here, as Kubernetes would: $(VAR) expanded from the container's env, the ConfigMap's
    # files where it is mounted. Smaller budget, fresh study name, this server.
    mounted = tmp_path / "etc-tellus"
    mounted.mkdir()
    for file, text in config["data"].items():
        (mounted / file).write_text(text.replace('"maxTrials": 60', '"maxTrials": 8'))
    variables = {e["name"]: e.get("value", "") for e in container["env"]}
    variables.update({"TELLUS_STUDY": name, "TELLUS_URL": url, "TELLUS_API_KEY": ""})
    command = [re.sub(r"\$\((\w+)\)", lambda m: variables[m.group(1)], part).replace(mount["mountPath"], str(mounted))
               for part in container["command"]]
    pods = []
    for index in range(spec["completions"]):
        pod_env = dict(env, **variables, JOB_COMPLETION_INDEX=str(index))
        pods.append(subprocess.Popen([sys.executable, "-m", "tellus", *command[1:]], env=pod_env,
                                     stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True))
    outputs = [p.communicate(timeout=180)[0] for p in pods]
    assert [p.returncode for p in pods] == [0] * len(pods), outputs
    study = client.get_study(name)
    assert study.info()["counts"]["COMPLETED"] == 8
    assert study.data["leaseSeconds"] == 120 and study.data["maxRetries"] == 2
