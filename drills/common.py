"""Shared helpers of the drills: a throwaway database, an own Redis, child processes, HTTP.

Everything a drill starts it registers on an ``ExitStack`` and stops in its ``finally``: only
the processes it started (each in its own session, stopped by its own process group), only the
database it created. The machine's PostgreSQL and Redis services are never stopped.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/postgres"
LOCAL = "127.0.0.1"


class DrillError(RuntimeError):
    """The drill could not set itself up or inject its fault (not a finding about the site)."""


# --- Report ----------------------------------------------------------------------------------


@dataclass
class Check:
    name: str
    ok: bool
    detail: str = ""


@dataclass
class Report:
    drill: str
    database: str = ""
    checks: list[Check] = field(default_factory=list)
    numbers: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    seconds: float = 0.0
    workdir: str = ""

    def check(self, name: str, ok: bool, detail: Any = "") -> bool:
        self.checks.append(Check(name, bool(ok), str(detail)))
        return bool(ok)

    def note(self, text: str) -> None:
        self.notes.append(text)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def failures(self) -> list[Check]:
        return [c for c in self.checks if not c.ok]

    def text(self) -> str:
        lines = [
            f"drill {self.drill} on {self.database or '?'}: "
            f"{'PASS' if self.ok else 'FAIL'} in {self.seconds:.1f} s"
        ]
        for c in self.checks:
            detail = c.detail if len(c.detail) <= 400 or not c.ok else c.detail[:400] + "…"
            lines.append(
                f"  [{'ok' if c.ok else 'FAIL'}] {c.name}" + (f": {detail}" if detail else "")
            )
        for key, value in self.numbers.items():
            shown = f"{value:.3f}" if isinstance(value, float) else value
            lines.append(f"  {key} = {shown}")
        lines.extend(f"  note: {n}" for n in self.notes)
        if self.workdir:
            lines.append(f"  logs: {self.workdir}")
        return "\n".join(lines)

    def to_json(self) -> str:
        return json.dumps({**asdict(self), "ok": self.ok}, indent=2, default=str)


@contextlib.contextmanager
def drill_run(
    name: str, workdir: Path | None, *, keep: bool = False
) -> Iterator[tuple[Report, Path]]:
    """A report and a work folder (logs, SQLite file, Redis dir). A folder the drill made itself
    is removed afterwards unless the drill failed or ``keep`` is set."""
    own = workdir is None
    folder = Path(tempfile.mkdtemp(prefix=f"rota-drill-{name}-")) if own else Path(workdir)
    folder.mkdir(parents=True, exist_ok=True)
    report = Report(drill=name, workdir=str(folder))
    started = time.monotonic()
    failed = True
    try:
        yield report, folder
        failed = not report.ok
    except Exception as exc:  # a drill that cannot finish is a failed drill, with the reason
        import traceback

        report.check(
            "the drill ran to the end",
            False,
            f"{exc.__class__.__name__}: {exc}\n{traceback.format_exc(limit=6)}",
        )
    finally:
        report.seconds = time.monotonic() - started
        if own and not failed and not keep:
            shutil.rmtree(folder, ignore_errors=True)
            report.workdir = ""


def main(run: Callable[..., Report], description: str, add_arguments=None) -> None:
    """The ``python -m drills.<name>`` entry point: run, print the report, exit 1 on FAIL."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument(
        "--database-url",
        default=None,
        help="server for the throwaway database (default: $DATABASE_URL; SQLite when unset)",
    )
    parser.add_argument("--workdir", type=Path, default=None, help="keep logs here")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    if add_arguments:
        add_arguments(parser)
    args = vars(parser.parse_args())
    as_json = args.pop("json")
    report = run(**args)
    print(report.to_json() if as_json else report.text())
    sys.exit(0 if report.ok else 1)


# --- Waiting ---------------------------------------------------------------------------------


def wait_until(
    predicate: Callable[[], Any], *, timeout: float, interval: float = 0.1, what: str = ""
) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() >= deadline:
            raise DrillError(f"timed out after {timeout:.0f} s waiting for {what or predicate}")
        time.sleep(interval)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOCAL, 0))
        return sock.getsockname()[1]


# --- Databases ---------------------------------------------------------------------------------


def is_postgres(url: str | None) -> bool:
    return bool(url) and url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql", "psql"}


def resolve_database_url(database_url: str | None, *, require_postgres: bool = False) -> str:
    """The server to create the throwaway database on: the argument, else $DATABASE_URL; SQLite
    when neither is PostgreSQL (or the default PostgreSQL server when the drill needs one)."""
    url = database_url if database_url is not None else os.environ.get("DATABASE_URL", "")
    if is_postgres(url):
        return url
    return DEFAULT_POSTGRES_URL if require_postgres else "sqlite"


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` on the same server."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


@dataclass
class Database:
    vendor: str  # "postgresql" | "sqlite"
    url: str  # DATABASE_URL of the children
    name: str  # database name, or the SQLite file
    admin_url: str = ""  # PostgreSQL: the maintenance database on the same server

    def connect(self):
        """The drill's own DB-API connection (autocommit), for counting and fault injection."""
        if self.vendor == "postgresql":
            import psycopg

            return psycopg.connect(
                with_database(self.url, self.name), autocommit=True, connect_timeout=5
            )
        conn = sqlite3.connect(self.name, timeout=30, isolation_level=None)
        conn.execute("PRAGMA query_only = ON")
        return conn

    def param(self, sql: str) -> str:
        """``%s`` placeholders, turned into SQLite's ``?``."""
        return sql if self.vendor == "postgresql" else sql.replace("%s", "?")

    def scalar(self, conn, sql: str, params: Sequence[Any] = ()) -> Any:
        row = conn.execute(self.param(sql), tuple(params)).fetchone()
        return row[0] if row else None

    def terminate_backends(self) -> int:
        """PostgreSQL: end every other session on this database (the fault of db_drop)."""
        import psycopg

        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            rows = conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = %s AND pid <> pg_backend_pid()",
                (self.name,),
            ).fetchall()
        return sum(1 for (done,) in rows if done)

    def open_write_transactions(self, *, exclude: Sequence[int] = ()) -> int:
        """Transactions open on this database right now: PostgreSQL sessions in a transaction;
        SQLite: 1 when another connection holds the write lock (a BEGIN IMMEDIATE is refused)."""
        if self.vendor == "postgresql":
            return self.sessions(in_transaction=True, exclude=exclude)
        probe = sqlite3.connect(self.name, timeout=0, isolation_level=None)
        try:
            probe.execute("BEGIN IMMEDIATE")
            probe.execute("ROLLBACK")
        except sqlite3.OperationalError:
            return 1
        finally:
            probe.close()
        return 0

    def sessions(self, *, in_transaction: bool = False, exclude: Sequence[int] = ()) -> int:
        """PostgreSQL: other sessions on this database (optionally only those in a transaction),
        leaving out the backend pids in ``exclude`` (the drill's own connections)."""
        import psycopg

        sql = (
            "SELECT count(*) FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() "
            "AND backend_type = 'client backend' AND NOT (pid = ANY(%s))"
        )
        if in_transaction:
            sql += " AND xact_start IS NOT NULL"
        with psycopg.connect(self.admin_url, autocommit=True, connect_timeout=5) as conn:
            return conn.execute(sql, (self.name, list(exclude))).fetchone()[0]


@contextlib.contextmanager
def throwaway_database(folder: Path, server_url: str) -> Iterator[Database]:
    """A new empty database: ``CREATE DATABASE`` on the PostgreSQL server of ``server_url`` (dropped
    afterwards, sessions and all), or a fresh SQLite file under ``folder``."""
    if not is_postgres(server_url):
        path = (folder / "drill.sqlite3").resolve()
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        yield Database("sqlite", f"sqlite:///{path}", str(path))
        return
    import psycopg

    name = f"rota_drill_{uuid.uuid4().hex[:10]}"
    admin_url = with_database(server_url, "postgres")
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield Database("postgresql", with_database(server_url, name), name, admin_url)
    finally:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# --- Environment and child processes -----------------------------------------------------------

# Variables of the calling process that must not leak into the drill's children.
_DROPPED = {"DJANGO_SETTINGS_MODULE", "DATABASE_URL", "REDIS_URL", "ROTA_VAR_DIR", "STATIC_ROOT"}


def drill_env(
    *, database: Database, folder: Path, redis_url: str | None = None, **extra: str
) -> dict[str, str]:
    """The environment of every child: the drill's database and Redis, production-like settings
    (DEBUG off), state under the drill's folder, and the repository on the path (``drills``)."""
    env = {k: v for k, v in os.environ.items() if k not in _DROPPED and not k.startswith("PYTEST_")}
    env.update(
        DJANGO_SETTINGS_MODULE="rota_site.settings.base",
        DATABASE_URL=database.url,
        ROTA_VAR_DIR=str(folder / "var"),
        DEBUG="0",
        LOG_LEVEL="INFO",
        ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS="1",
        PYTHONUNBUFFERED="1",
        PYTHONPATH=os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p),
    )
    if redis_url:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, timeout: float = 180) -> subprocess.CompletedProcess:
    """``rota <args>`` (the site's manage.py) in a child process; raises on failure."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "rota_site.manage", *args],
        env=env,
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if done.returncode != 0:
        raise DrillError(f"rota {' '.join(args)} exited {done.returncode}:\n{done.stderr[-3000:]}")
    return done


def in_django(env: dict[str, str], target: str, *, timeout: float = 180, **kwargs: Any) -> Any:
    """Call ``module:function(**kwargs)`` in a child process set up with Django against the drill's
    database (see drills/_child.py); returns what it returned (JSON)."""
    with tempfile.TemporaryDirectory(prefix="rota-drill-") as scratch:
        out = Path(scratch) / "result.json"
        done = subprocess.run(  # noqa: S603 - our own interpreter and arguments
            [
                sys.executable,
                "-m",
                "drills._child",
                target,
                json.dumps(kwargs, default=str),
                str(out),
            ],
            env=env,
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if done.returncode != 0 or not out.exists():
            raise DrillError(f"{target} exited {done.returncode}:\n{done.stderr[-3000:]}")
        return json.loads(out.read_text())


@dataclass
class Proc:
    name: str
    popen: subprocess.Popen
    log_path: Path

    @property
    def pid(self) -> int:
        return self.popen.pid

    def alive(self) -> bool:
        return self.popen.poll() is None

    def _signal_group(self, sig: int) -> None:
        # Each child leads its own session, so its group holds exactly what it started.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.popen.pid, sig)

    def group_alive(self) -> bool:
        try:
            os.killpg(self.popen.pid, 0)
        except (ProcessLookupError, PermissionError):
            return False
        return True

    def kill_group(self, timeout: float = 10) -> None:
        """SIGKILL the whole process group at once (the fault of worker_kill)."""
        self._signal_group(signal.SIGKILL)
        self.popen.wait(timeout=timeout)

    def stop(self, timeout: float = 15) -> None:
        if self.alive():
            self._signal_group(signal.SIGTERM)
            try:
                self.popen.wait(timeout=timeout)
            except subprocess.TimeoutExpired:
                self._signal_group(signal.SIGKILL)
                self.popen.wait(timeout=10)
        # Children the leader left behind (same group) go too.
        if self.group_alive():
            self._signal_group(signal.SIGKILL)

    def log(self, tail: int = 4000) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-tail:]
        except OSError:
            return ""


class Processes:
    """The processes a drill started; ``close()`` stops exactly those (newest first)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.procs: list[Proc] = []

    def start(self, name: str, argv: Sequence[str], env: dict[str, str]) -> Proc:
        log_path = self.folder / f"{name}.log"
        log = log_path.open("ab")
        try:
            popen = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                list(argv),
                env=env,
                cwd=REPO_ROOT,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        finally:
            log.close()
        proc = Proc(name, popen, log_path)
        self.procs.append(proc)
        return proc

    def close(self) -> None:
        for proc in reversed(self.procs):
            proc.stop()

    def __enter__(self) -> Processes:
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def gunicorn_argv(port: int, *, workers: int = 2) -> list[str]:
    return [
        sys.executable, "-m", "gunicorn", "rota_site.wsgi:application",
        "--bind", f"{LOCAL}:{port}", "--workers", str(workers),
        "--timeout", "30", "--graceful-timeout", "5", "--access-logfile", "-",
    ]  # fmt: skip


def celery_worker_argv(*, pool: str = "prefork", concurrency: int = 2) -> list[str]:
    return [
        sys.executable, "-m", "celery", "-A", "rota_site", "worker", "--loglevel", "INFO",
        "--pool", pool, "--concurrency", str(concurrency), "--without-mingle", "--without-gossip",
        "--without-heartbeat",
    ]  # fmt: skip


def wait_worker_ready(proc: Proc, *, timeout: float = 60) -> None:
    def ready() -> bool:
        if not proc.alive():
            raise DrillError(f"{proc.name} exited {proc.popen.returncode}:\n{proc.log()}")
        return " ready." in proc.log(tail=20000)

    wait_until(ready, timeout=timeout, interval=0.2, what=f"{proc.name} to be ready")


def child_pids(pid: int) -> set[int]:
    """Direct children of ``pid`` (read from /proc), to tell whether a server restarted workers."""
    found = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(entry.name))
    return found


# --- Redis of the drill's own ------------------------------------------------------------------


def _without_preload(environ: Mapping[str, str]) -> dict[str, str]:
    """The environment minus ``LD_PRELOAD``: redis-server's allocator (jemalloc) clashes with
    libfaketime, which CI preloads to run the suite at another date (docs/operations.md, "Tests
    on any date"); Redis's own clock does not matter to any drill."""
    return {k: v for k, v in environ.items() if k != "LD_PRELOAD"}


class RedisServer:
    """A redis-server of the drill's own on a free port (nothing saved to disk); the drill may stop
    and restart it. The machine's Redis is never touched."""

    def __init__(self, processes: Processes, folder: Path, port: int | None = None) -> None:
        self.processes = processes
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self.port = port or free_port()
        self.proc: Proc | None = None

    @property
    def url(self) -> str:
        return f"redis://{LOCAL}:{self.port}/0"

    def start(self, timeout: float = 15) -> float:
        binary = shutil.which("redis-server")
        if binary is None:
            raise DrillError("redis-server is not installed")
        started = time.monotonic()
        self.proc = self.processes.start(
            f"redis-{len(self.processes.procs)}",
            [binary, "--port", str(self.port), "--bind", LOCAL, "--save", "", "--appendonly", "no",
             "--dir", str(self.folder)],
            env=_without_preload(os.environ),
        )  # fmt: skip
        proc = self.proc

        def up() -> bool:
            if not proc.alive():
                raise DrillError(f"redis-server exited:\n{proc.log()}")
            return self.ping()

        wait_until(up, timeout=timeout, interval=0.05, what=f"redis on port {self.port}")
        return time.monotonic() - started

    def stop(self, timeout: float = 15) -> None:
        if self.proc is not None:
            self.proc.stop(timeout=timeout)

    def ping(self) -> bool:
        return redis_command(self.port, "PING") == "+PONG"

    def command(self, *args: str) -> str:
        return redis_command(self.port, *args)


def redis_command(port: int, *args: str, timeout: float = 2.0) -> str:
    """One RESP command on 127.0.0.1:port; the first reply line ("" when nothing answers)."""
    payload = f"*{len(args)}\r\n" + "".join(f"${len(a.encode())}\r\n{a}\r\n" for a in args)
    try:
        with socket.create_connection((LOCAL, port), timeout=timeout) as sock:
            sock.sendall(payload.encode())
            return sock.recv(65536).decode(errors="replace").split("\r\n", 1)[0]
    except OSError:
        return ""


# --- HTTP --------------------------------------------------------------------------------------


def wait_healthy(base: str, procs: Sequence[Proc], *, timeout: float = 60) -> float:
    """Seconds until ``/health/`` answers 200; fails early if a process exits."""
    import httpx

    started = time.monotonic()

    def healthy() -> bool:
        for proc in procs:
            if not proc.alive():
                raise DrillError(f"{proc.name} exited {proc.popen.returncode}:\n{proc.log()}")
        try:
            return httpx.get(f"{base}/health/", timeout=5).status_code == 200
        except httpx.TransportError:
            return False

    wait_until(healthy, timeout=timeout, interval=0.2, what=f"{base}/health/ to answer 200")
    return time.monotonic() - started


def signed_in_client(base: str, username: str, password: str, *, timeout: float = 15):
    """An httpx client with a session: csrf cookie, login, X-CSRFToken header (as the SPA does)."""
    import httpx

    client = httpx.Client(base_url=base, timeout=timeout)
    token = client.get("/api/v1/auth/csrf/").json()["csrfToken"]
    client.headers.update({"X-CSRFToken": token, "Referer": base + "/"})
    login = client.post("/api/v1/auth/login/", json={"username": username, "password": password})
    if login.status_code != 200:
        client.close()
        raise DrillError(f"login failed: {login.status_code} {login.text[:500]}")
    client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
    return client


def create_superuser(*, username: str, password: str) -> dict:
    """(In Django) a superuser for the drill's API calls."""
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.create_superuser(username, f"{username}@example.test", password)
    return {"id": user.pk}
