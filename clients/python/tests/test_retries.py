"""Retries through a proxy that loses requests and answers: nothing is lost, nothing is made twice."""
import pytest

import tellus
from conftest import SPACE
from proxy import LOSE_ANSWER, RATE_LIMITED, RESET, UNAVAILABLE


@pytest.fixture
def flaky(proxy):
    return tellus.Client(proxy.url, retries=5, backoff=0.01)


def test_connection_reset_before_the_request_arrives_is_retried(proxy, flaky, name):
    proxy.plan(RESET, times=3)
    study = flaky.study(name, space=SPACE)
    assert study.data["name"] == name
    assert len(proxy.done(RESET)) == 3


def test_a_lost_ask_answer_is_retried_with_the_same_key_and_makes_one_trial(proxy, flaky, client, name):
    study = flaky.study(name, space=SPACE, strategy={"name": "random", "seed": 1})
    proxy.plan(LOSE_ANSWER, times=2, path="/trials/ask")
    trial = study.ask()
    lost = proxy.done(LOSE_ANSWER)
    assert len(lost) == 2
    keys = {_header(r, b"idempotency-key") for r in lost + [r for _, r in proxy.requests if b"/trials/ask" in r]}
    assert len(keys) == 1  # every attempt carried the same key
    # The server handed out the trial on the first attempt; the retries got that same trial back.
    assert trial.number == 0
    assert [t.number for t in client.get_study(name).trials()] == [0]


def test_a_lost_tell_answer_is_retried_and_the_result_kept_once(proxy, flaky, client, name):
    study = flaky.study(name, space=SPACE)
    trial = study.ask()
    proxy.plan(LOSE_ANSWER, times=2, path="/tell")
    trial.tell(0.75)
    assert trial.state == "COMPLETED" and trial.value == 0.75
    assert len(proxy.done(LOSE_ANSWER)) == 2
    assert client.get_study(name).trial(trial.number).value == 0.75


def test_503_is_retried(proxy, flaky, name):
    study = flaky.study(name, space=SPACE)
    proxy.plan(UNAVAILABLE, times=3)
    assert study.ask() is not None
    assert len(proxy.done(UNAVAILABLE)) == 3


def test_429_with_retry_after_is_retried(proxy, flaky, name):
    study = flaky.study(name, space=SPACE)
    proxy.plan(RATE_LIMITED, times=2, path="/trials/ask")
    assert study.ask() is not None
    assert len(proxy.done(RATE_LIMITED)) == 2


def test_a_worker_loop_through_a_proxy_losing_every_third_answer_loses_nothing(proxy, flaky, client, name):
    study = flaky.study(name, space=SPACE, strategy={"name": "random", "seed": 2}, max_trials=10)
    for i in range(40):
        proxy.plan(LOSE_ANSWER if i % 3 == 0 else "pass")
    study.optimize(lambda t: t.params["x"] ** 2)
    trials = client.get_study(name).trials()
    assert [t.number for t in trials] == list(range(10))  # no orphan trial from a retried ask
    assert all(t.state == "COMPLETED" for t in trials)
    assert len(proxy.done(LOSE_ANSWER)) > 3


def test_retries_give_up_with_tellus_unreachable(proxy, name):
    client = tellus.Client(proxy.url, retries=2, backoff=0.01)
    proxy.plan(RESET, times=3)
    with pytest.raises(tellus.TellusUnreachable):
        client.study(name, space=SPACE)
    assert len(proxy.done(RESET)) == 3  # the first attempt and two retries


def test_503_after_the_last_retry_raises_service_unavailable(proxy, name):
    client = tellus.Client(proxy.url, retries=1, backoff=0.01)
    proxy.plan(UNAVAILABLE, times=2)
    with pytest.raises(tellus.ServiceUnavailable) as e:
        client.study(name, space=SPACE)
    assert e.value.status == 503 and e.value.detail == "the proxy says so"


def test_nothing_listening_raises_tellus_unreachable():
    client = tellus.Client("http://127.0.0.1:9", retries=1, backoff=0.01)
    with pytest.raises(tellus.TellusUnreachable) as e:
        client.studies()
    assert isinstance(e.value, ConnectionError) and "127.0.0.1:9" in str(e.value)


def _header(request, name):
    for line in request.split(b"\r\n")[1:]:
        key, _, value = line.partition(b":")
        if key.strip().lower() == name:
            return value.strip()
    return None
