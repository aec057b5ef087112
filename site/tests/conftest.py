import copy
import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from drills.common import free_port as free_port_now


@pytest.fixture(autouse=True)
def _own_cache_prefix(settings):
    """A fresh cache key prefix per test: never FLUSHDB a Redis shared with the broker."""
    caches = copy.deepcopy(settings.CACHES)
    for config in caches.values():
        config["KEY_PREFIX"] = f"{config.get('KEY_PREFIX', '')}:test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def free_port() -> int:
    return free_port_now()


@pytest.fixture(scope="module")
def module_free_port() -> int:
    return free_port_now()


@pytest.fixture
def process_env(tmp_path) -> Iterator[dict[str, str]]:
    with own_database_env(tmp_path) as env:
        yield env


@pytest.fixture(scope="module")
def module_process_env(tmp_path_factory) -> Iterator[dict[str, str]]:
    with own_database_env(tmp_path_factory.mktemp("proc")) as env:
        yield env


@contextmanager
def own_database_env(folder) -> Iterator[dict[str, str]]:
    """Environment for a child `rota` process with its own throwaway database: a fresh
    SQLite file under ``folder``, or a new PostgreSQL database when DATABASE_URL is set."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["ROTA_VAR_DIR"] = str(folder / "var")
    env["CELERY_QUEUE"] = f"rota-proc-{uuid.uuid4().hex[:12]}"  # its worker, its tasks
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres"):
        yield env
        return
    import psycopg

    name = f"rota_proc_{uuid.uuid4().hex[:10]}"
    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = database_url.rsplit("/", 1)[0] + "/" + name
    try:
        yield env
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def check_api_docs_served_locally(base_url: str) -> None:
    """/api/docs/ of a running server loads Swagger UI from that server's static files (the
    drf-spectacular-sidecar assets, served by WhiteNoise), nothing from another host."""
    import re

    import httpx

    docs = httpx.get(f"{base_url}/api/docs/", timeout=10)
    assert docs.status_code == 200
    assets = re.findall(r'(?:src|href)="([^"]+)"', docs.text)
    assert any(a.endswith("/swagger-ui-bundle.js") for a in assets), assets
    assert all(a.startswith("/static/") for a in assets), assets  # no CDN
    for asset in assets:
        response = httpx.get(f"{base_url}{asset}", timeout=10)
        assert response.status_code == 200, asset


@pytest.fixture
def api_docs_served_locally():
    return check_api_docs_served_locally
