import os
import socket
import uuid
from collections.abc import Iterator

import pytest
from django.core.cache import cache


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def process_env(tmp_path) -> Iterator[dict[str, str]]:
    """Environment for a child `rota` process with its own throwaway database: a fresh
    SQLite file under tmp_path, or a new PostgreSQL database when DATABASE_URL is set."""
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["ROTA_VAR_DIR"] = str(tmp_path / "var")
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
