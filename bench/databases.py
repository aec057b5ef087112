"""Throwaway databases: one migrated template per run, one clone of it per benchmark.

On PostgreSQL (``DATABASE_URL`` set) each database is ``bench_<run>_<name>`` on the same
server, cloned with ``CREATE DATABASE ... TEMPLATE`` and dropped afterwards; on SQLite each is
a file in the run's temporary folder, cloned with SQLite's backup API.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

from drills.common import is_postgres, with_database

PREFIX = "bench_"


def server_url() -> str | None:
    """The PostgreSQL server to create throwaway databases on, or None for SQLite."""
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return None
    if urlsplit(url).scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"bench: DATABASE_URL must be PostgreSQL or unset (SQLite), got {url!r}")
    return url


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def scope_of(url: str) -> str:
    """A short name of the database, unique within the run (its label and random suffix)."""
    name = database_name(url) if is_postgres(url) else sqlite_path(url).stem
    return name.rsplit("_", 2)[-2] + "-" + name.rsplit("_", 1)[-1]


def sqlite_path(url: str) -> Path:
    return Path(urlsplit(url).path)


def _admin(url: str):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def _quote(name: str) -> str:
    if not name.replace("_", "").isalnum():
        raise ValueError(f"unexpected database name {name!r}")
    return f'"{name}"'


def migrate(url: str, *, env: dict[str, str]) -> None:
    """``rota migrate`` on ``url`` (the site's own command, in a child process)."""
    subprocess.run(
        [sys.executable, "-m", "rota_site.manage", "migrate", "--verbosity", "0"],
        env={**env, "DATABASE_URL": url},
        check=True,
    )


def create_template(*, run_id: str, workdir: Path, env: dict[str, str]) -> str:
    """A freshly migrated database the benchmarks clone; returns its URL."""
    server = server_url()
    if server is None:
        url = f"sqlite:///{workdir / 'template.sqlite3'}"
    else:
        url = with_database(server, f"{PREFIX}{run_id}_template")
        with _admin(server) as admin:
            admin.execute(f"CREATE DATABASE {_quote(database_name(url))}")
    migrate(url, env=env)
    return url


def clone(template: str, label: str) -> str:
    """A new database with the schema and rows of ``template`` (the run's template or any
    database of the run, not in use); returns its URL."""
    suffix = f"{label}_{secrets.token_hex(3)}"
    if is_postgres(template):
        url = with_database(template, f"{PREFIX}{os.environ['BENCH_RUN_ID']}_{suffix}")
        with _admin(template) as admin:
            admin.execute(
                f"CREATE DATABASE {_quote(database_name(url))} "
                f"TEMPLATE {_quote(database_name(template))}"
            )
        return url
    source_path = sqlite_path(template)
    target = source_path.with_name(f"{suffix}.sqlite3")
    source, copy = sqlite3.connect(source_path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        source.close()
        copy.close()
    return f"sqlite:///{target}"


def drop(url: str) -> None:
    if is_postgres(url):
        with _admin(url) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {_quote(database_name(url))} WITH (FORCE)")
        return
    path = sqlite_path(url)
    for extra in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{extra}").unlink(missing_ok=True)


def drop_run(run_id: str) -> list[str]:
    """Drop every database this run created (a crashed benchmark may leave one behind)."""
    server = server_url()
    if server is None:
        return []
    with _admin(server) as admin:
        names = [
            row[0]
            for row in admin.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                (f"{PREFIX}{run_id}\\_%",),
            )
        ]
        for name in names:
            admin.execute(f"DROP DATABASE IF EXISTS {_quote(name)} WITH (FORCE)")
    return names


def connect(url: str):
    """A DB-API connection (psycopg or sqlite3) to ``url``, for hand-written SQL."""
    if is_postgres(url):
        import psycopg

        return psycopg.connect(url)
    return sqlite3.connect(sqlite_path(url), isolation_level=None, timeout=30)
