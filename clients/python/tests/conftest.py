"""Fixtures for tests against a live Tellus at TELLUS_URL (the Java PythonClientIT starts one and sets it)."""
import os
import re
import sys
import urllib.parse
import uuid
from pathlib import Path

import pytest

CLIENT_DIR = Path(__file__).resolve().parents[1]
REPO = CLIENT_DIR.parents[1]
sys.path.insert(0, str(CLIENT_DIR))  # the package from source, installed or not
sys.path.insert(0, str(Path(__file__).resolve().parent))

import tellus  # noqa: E402
from proxy import Proxy  # noqa: E402


def pytest_collection_modifyitems(config, items):
    if not os.environ.get("TELLUS_URL"):
        skip = pytest.mark.skip(reason="TELLUS_URL is not set: these tests need a running Tellus "
                                       "(./mvnw verify runs them through PythonClientIT)")
        for item in items:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def url():
    return os.environ["TELLUS_URL"].rstrip("/")


@pytest.fixture
def client(url):
    return tellus.Client(url, retries=3, backoff=0.05)


@pytest.fixture
def name(request):
    """A study name no other test uses."""
    return "py-%s-%s" % (re.sub(r"[^A-Za-z0-9]+", "-", request.node.name)[:40].strip("-"), uuid.uuid4().hex[:8])


@pytest.fixture
def proxy(url):
    parsed = urllib.parse.urlsplit(url)
    p = Proxy(parsed.hostname, parsed.port or 80)
    yield p
    p.close()


@pytest.fixture
def env(url):
    """Environment for a child process that imports tellus from source and talks to the server."""
    e = dict(os.environ)
    e["PYTHONPATH"] = str(CLIENT_DIR) + os.pathsep + e.get("PYTHONPATH", "")
    e["TELLUS_URL"] = url
    return e


SPACE = {
    "x": {"type": "float", "low": -5.0, "high": 5.0},
    "n": {"type": "int", "low": 1, "high": 4},
    "kind": {"type": "categorical", "choices": ["a", "b"]},
}
