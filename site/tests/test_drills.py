"""The fault drills of drills/ (see drills/README.md), each run for real: its own throwaway
database, its own Redis, gunicorn and Celery processes, one injected fault.

With DATABASE_URL pointing at PostgreSQL every drill runs on a new PostgreSQL database on that
server. Without it, the worker-kill and Redis-outage drills run on a throwaway SQLite file (the
embedded default) and the database-drop drill is skipped: it terminates PostgreSQL sessions.
"""

import os
import shutil

import pytest

from drills import db_drop, redis_outage, worker_kill
from drills.common import is_postgres

pytestmark = [
    pytest.mark.slow,
    pytest.mark.postgres,
    pytest.mark.skipif(shutil.which("redis-server") is None, reason="needs redis-server"),
]

ON_POSTGRES = is_postgres(os.environ.get("DATABASE_URL"))


def _passed(report) -> None:
    print()
    print(report.text())
    assert report.ok, report.text()


def test_worker_killed_mid_sweep_leaves_no_half_rotated_rota(tmp_path):
    _passed(worker_kill.run(workdir=tmp_path))


def test_redis_outage_keeps_the_api_up_and_delivers_exactly_once_after(tmp_path):
    _passed(redis_outage.run(workdir=tmp_path))


def test_database_connections_dropped_under_load_recover_without_restart(tmp_path):
    if not ON_POSTGRES:
        pytest.skip(
            "db_drop terminates PostgreSQL sessions (pg_terminate_backend); DATABASE_URL is not "
            "PostgreSQL, and SQLite has no server connections to drop"
        )
    _passed(db_drop.run(workdir=tmp_path))
