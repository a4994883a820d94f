"""The client's surface against a live Tellus."""
import csv
import io
import math
import threading
import time

import pytest

import tellus
from conftest import SPACE


def objective(trial):
    return (trial.params["x"] - 1) ** 2 + trial.params["n"]


def test_study_is_created_then_matched_and_a_different_definition_conflicts(client, name):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 3}, max_trials=5,
                         lease_seconds=30, maxRetries=1, metadata={"owner": "tests"})
    assert study.data["state"] == "ACTIVE"
    assert study.data["leaseSeconds"] == 30 and study.data["maxRetries"] == 1 and study.data["maxTrials"] == 5
    assert study.data["strategy"]["name"] == "random" and study.data["strategy"]["seed"] == 3

    again = client.study(name, space=SPACE, strategy={"name": "random", "seed": 3}, max_trials=5,
                         lease_seconds=30, maxRetries=1, metadata={"owner": "tests"})
    assert again.data["createdAt"] == study.data["createdAt"]

    with pytest.raises(tellus.Conflict) as conflict:
        client.study(name, space=SPACE, strategy="random", max_trials=6)
    assert conflict.value.status == 409 and "different definition" in str(conflict.value)

    joined = client.study(name)
    assert joined.info()["name"] == name
    assert name in [s.name for s in client.studies()]


def test_strategy_pruner_and_objectives_take_names_or_objects(client, name):
    study = client.study(name, space=SPACE, objectives={"accuracy": "maximize"}, strategy="tpe",
                         pruner={"name": "median", "options": {"startupTrials": 2}})
    assert study.data["objectives"] == [{"name": "accuracy", "direction": "maximize"}]
    assert study.data["strategy"]["name"] == "tpe"
    assert study.data["pruner"]["name"] == "median" and study.data["pruner"]["options"]["startupTrials"] == 2
    two = client.study(name + "-2", space=SPACE, objectives=["minimize", "maximize"])
    assert [o["direction"] for o in two.data["objectives"]] == ["minimize", "maximize"]


def test_invalid_definition_raises_invalid_request_with_every_field_error(client, name):
    with pytest.raises(tellus.InvalidRequest) as e:
        client.study(name, space={"lr": {"type": "float", "low": 0.0, "high": 1.0, "log": True},
                                  "n": {"type": "int", "low": 5, "high": 1}}, max_trials=0)
    fields = {f.field for f in e.value.errors}
    assert {"space.lr.low", "space.n.high", "maxTrials"} <= fields, e.value.errors
    assert e.value.status == 400 and e.value.type.endswith("/invalid-request")
    assert all(isinstance(f, tellus.FieldError) and f.message for f in e.value.errors)


def test_unknown_study_raises_not_found(client, name):
    with pytest.raises(tellus.NotFound):
        client.study(name)
    with pytest.raises(tellus.NotFound):
        client.delete_study(name)


def test_ask_tell_and_read_back(client, name):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 1}, max_trials=3)
    trial = study.ask(worker="w1")
    assert trial.number == 0 and trial.state == "RUNNING" and trial.worker == "w1"
    assert set(trial.params) == {"x", "n", "kind"}
    trial.tell(0.5)
    assert trial.state == "COMPLETED" and trial.value == 0.5 and trial.finished

    second = study.ask()
    second.tell([0.25])  # a list: one value per objective
    third = study.ask()
    third.fail("out of memory")
    assert third.state == "FAILED" and third.reason == "out of memory"

    assert study.best_trial.number == 1 and study.best_trial.value == 0.25
    assert [t.number for t in study.trials()] == [0, 1, 2]
    assert [t.number for t in study.trials(state="COMPLETED")] == [0, 1]
    assert study.trial(2).reason == "out of memory"
    assert study.info()["counts"]["COMPLETED"] == 2


def test_nan_is_told_and_the_server_fails_the_trial(client, name):
    study = client.study(name, space=SPACE)
    trial = study.ask().tell(float("nan"))
    assert trial.state == "FAILED" and trial.reason == "non-finite objective value"


def test_context_manager_tells_failed_with_the_exception_text_and_reraises(client, name):
    study = client.study(name, space=SPACE)
    with pytest.raises(ZeroDivisionError):
        with study.ask() as trial:
            1 / 0
    failed = study.trial(trial.number)
    assert failed.state == "FAILED" and "ZeroDivisionError" in failed.reason and "division by zero" in failed.reason


def test_context_manager_tells_pruned_on_trial_pruned_and_swallows_it(client, name):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 2},
                         pruner={"name": "median", "options": {"startupTrials": 1}})
    with study.ask() as good:
        assert good.report(1, 0.1) is False
        good.tell(0.1)
    with study.ask() as bad:
        if bad.report(1, 10.0):
            raise tellus.TrialPruned()
        pytest.fail("the median pruner should have stopped a trial ten times worse than the only other one")
    assert study.trial(bad.number).state == "PRUNED"
    assert study.trial(bad.number).intermediate == [{"step": 1, "value": 10.0}]


def test_block_without_a_result_fails_the_trial(client, name):
    study = client.study(name, space=SPACE)
    with study.ask() as trial:
        pass
    assert study.trial(trial.number).state == "FAILED"


def test_heartbeat_thread_keeps_a_long_block_alive_past_its_lease(client, name):
    study = client.study(name, space=SPACE, lease_seconds=1)
    with study.ask() as trial:
        time.sleep(3)  # three leases: without heartbeats the reaper fails it
        assert not trial.lost
        trial.tell(1.0)
    assert study.trial(trial.number).state == "COMPLETED"


def test_without_heartbeats_the_lease_runs_out_and_the_trial_knows_it(client, name):
    study = client.study(name, space=SPACE, lease_seconds=1)
    trial = study.ask()
    deadline = time.time() + 15
    while study.trial(trial.number).state == "RUNNING" and time.time() < deadline:
        time.sleep(0.2)
    assert trial.heartbeat() is False and trial.lost
    assert study.trial(trial.number).reason == "lease expired"


def test_optimize_with_threads_runs_to_the_budget_and_stops_at_done(client, name):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 4}, max_trials=12)
    seen = set()
    lock = threading.Lock()

    def tracked(trial):
        with lock:
            seen.add(threading.current_thread().name)
        return objective(trial)

    ran = study.optimize(tracked, n_workers=3)
    assert ran == 12
    assert len(seen) > 1  # several threads ran trials
    assert study.info()["counts"]["COMPLETED"] == 12
    assert study.ask(wait=False) is None  # done
    assert study.optimize(objective) == 0


def test_optimize_n_trials_counts_over_all_workers(client, name):
    study = client.study(name, space=SPACE)
    assert study.optimize(objective, n_trials=5, n_workers=2) == 5
    assert len(study.trials(state="COMPLETED")) == 5


def test_optimize_with_processes(client, name):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 5}, max_trials=6)
    assert study.optimize(objective, n_workers=2, processes=True) == 6
    workers = {t.worker for t in study.trials()}
    assert len(workers) == 2 and study.info()["counts"]["COMPLETED"] == 6


def test_optimize_reraises_an_objective_error_after_telling_failed_unless_caught(client, name):
    study = client.study(name, space=SPACE)

    def broken(trial):
        raise ValueError("bad batch")

    with pytest.raises(ValueError):
        study.optimize(broken, n_trials=3)
    assert [t.state for t in study.trials()] == ["FAILED"]
    assert study.optimize(broken, n_trials=2, catch=(ValueError,)) == 2
    assert all("bad batch" in t.reason for t in study.trials())


def test_optimize_with_pruning(client, name):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 6}, max_trials=10,
                         pruner={"name": "median", "options": {"startupTrials": 1}})

    def curve(trial):
        final = objective(trial)
        for step in range(1, 6):
            if trial.report(step, final + 1.0 / step):
                raise tellus.TrialPruned()
        return final

    study.optimize(curve)
    counts = study.info()["counts"]
    assert counts["COMPLETED"] + counts["PRUNED"] == 10 and counts["PRUNED"] > 0


def test_enqueue_and_import(client, name):
    study = client.study(name, space=SPACE)
    baseline = study.enqueue({"x": 1.0, "n": 1, "kind": "a"})
    assert baseline.state == "WAITING"
    imported = study.add_trial({"x": 0.0, "n": 2, "kind": "b"}, value=3.0)
    assert imported.state == "COMPLETED"
    trial = study.ask()
    assert trial.number == baseline.number and trial.params == {"x": 1.0, "n": 1, "kind": "a"}
    with pytest.raises(tellus.InvalidRequest) as e:
        study.enqueue({"x": 99.0, "n": 1, "kind": "a"})
    assert e.value.errors[0].field.startswith("params.x")


def test_to_csv_writes_a_file_with_a_column_per_parameter(client, name, tmp_path):
    study = client.study(name, space=SPACE, strategy={"name": "random", "seed": 7}, max_trials=4)
    study.optimize(objective)
    path = tmp_path / "trials.csv"
    text = study.to_csv(path)
    with open(path, newline="") as f:
        assert f.read() == text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 4 and {"number", "state", "x", "n", "kind", "value"} <= set(rows[0])
    assert math.isclose(float(rows[0]["value"]), study.trial(0).value)
    assert len(list(csv.DictReader(io.StringIO(study.to_csv(state="FAILED"))))) == 0


def test_pause_resume_complete_delete(client, name):
    study = client.study(name, space=SPACE)
    study.pause()
    assert study.ask(wait=False) is None and study.state == "PAUSED"
    study.resume()
    study.ask().tell(1.0)
    study.complete()
    assert study.ask() is None  # done: returns at once
    study.delete()
    with pytest.raises(tellus.NotFound):
        study.info()


def test_several_objectives_give_a_pareto_front(client, name):
    study = client.study(name, space=SPACE, objectives=["minimize", "minimize"],
                         strategy={"name": "random", "seed": 8}, max_trials=6)
    study.optimize(lambda t: [t.params["x"], -t.params["x"]])
    assert len(study.best_trials) == 6  # x and -x: nobody dominates anybody
    assert study.best_trial is not None


def test_client_defaults_come_from_the_environment(monkeypatch, url):
    monkeypatch.setenv("TELLUS_URL", url + "/")
    monkeypatch.setenv("TELLUS_API_KEY", "tls_from_env")
    c = tellus.Client()
    assert c.url == url and c.api_key == "tls_from_env"
    monkeypatch.delenv("TELLUS_URL")
    monkeypatch.delenv("TELLUS_API_KEY")
    assert tellus.Client().url == tellus.DEFAULT_URL and tellus.Client().api_key is None


def test_api_key_goes_out_as_a_bearer_token_and_asks_and_tells_carry_idempotency_keys(proxy, name):
    client = tellus.Client(proxy.url, api_key="tls_secret_for_test")
    study = client.study(name, space=SPACE)
    study.ask().tell(1.0)
    sent = [r.lower() for _, r in proxy.requests]
    assert sent and all(b"\r\nauthorization: bearer tls_secret_for_test\r\n" in r for r in sent)
    asks = [r for r in sent if b"/trials/ask " in r]
    tells = [r for r in sent if b"/tell " in r]
    assert len(asks) == 1 and b"\r\nidempotency-key: " in asks[0]
    assert len(tells) == 1 and b"\r\nidempotency-key: " in tells[0]
