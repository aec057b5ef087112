"""The image's entry commands come up on this machine against PostgreSQL and Redis.

No Docker engine runs here, so this replays what the image would do without one:

1. the Dockerfile's build stage: its COPY lines (from the build context .dockerignore lets
   through) into a scratch folder, then its ``uv sync`` RUN lines into a fresh virtualenv, and
   the runtime stage's ``rota collectstatic``;
2. compose.yml's api, worker and beat commands from that virtualenv, with compose's
   environment for each (its defaults), pointed at a throwaway PostgreSQL database and at
   Redis instead of the ``postgres`` and ``redis`` hosts;
3. each service's compose health check, until it passes.

The api binds 127.0.0.1 on a free port instead of 0.0.0.0:8000, and the worker gets a unique
node name instead of worker@<container id>. Everything started here is stopped at the end.
"""

import contextlib
import importlib.util
import os
import shutil
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from drills.common import free_port

pytestmark = [pytest.mark.slow, pytest.mark.postgres]


def load_helpers():
    path = Path(__file__).with_name("compose_files.py")
    spec = importlib.util.spec_from_file_location("rota_compose_files", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("rota_compose_files", module)
    spec.loader.exec_module(module)
    return module


files = load_helpers()

DATABASE_URL = os.environ.get("DATABASE_URL", "")
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"


# --- the image, built without Docker --------------------------------------------------------------


def find_python(version: str) -> str:
    """The Dockerfile's Python if this machine has it (pyenv), else the one running the tests."""
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never"}
    env["PYENV_VERSION"] = ":".join(filter(None, [os.environ.get("PYENV_VERSION"), version]))
    found = subprocess.run(
        ["uv", "python", "find", "--no-config", version],
        capture_output=True, text=True, env=env, check=False,
    )  # fmt: skip
    return found.stdout.strip() if found.returncode == 0 else sys.executable


def copy_into(context: list[str], sources: list[str], destination: Path) -> None:
    """COPY <sources> <destination>, from the build context only."""
    into_folder = len(sources) > 1 or str(destination).endswith("/")
    for source in sources:
        source = source.rstrip("/")
        if source in context:
            target = destination / Path(source).name if into_folder else destination
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(files.ROOT / source, target)
            continue
        below = [f for f in context if f.startswith(source + "/")]
        assert below, f"COPY {source}: not in the build context"
        for relative in below:
            target = destination / Path(relative).relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(files.ROOT / relative, target)


def run_shell(command: str, *, cwd: Path, env: dict[str, str]) -> None:
    result = subprocess.run(
        ["sh", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"


@pytest.fixture(scope="module")
def image(tmp_path_factory) -> dict[str, Path]:
    """The Dockerfile replayed: {"venv", "static"} as the image would hold them."""
    stages = files.dockerfile_stages()
    build, runtime = stages[-2], stages[-1]
    scratch = tmp_path_factory.mktemp("image")
    venv, static, var = scratch / "venv", scratch / "static", scratch / "var"
    context = files.build_context()

    # Build stage: its environment, with the virtualenv and Python of this machine.
    version = build.base.split(":")[1].split("-")[0]
    env = {**os.environ, **build.env()}
    env.update(
        UV_PROJECT_ENVIRONMENT=str(venv),
        UV_PYTHON=find_python(version),
        UV_COMPILE_BYTECODE="0",  # only saves time here; the image compiles
        UV_PYTHON_DOWNLOADS="never",
    )
    env.pop("VIRTUAL_ENV", None)
    workdir = scratch / "src"
    for instruction in build.instructions:
        if instruction.keyword == "WORKDIR":
            workdir = scratch / instruction.arguments.strip("/")
            workdir.mkdir(parents=True, exist_ok=True)
        elif instruction.keyword == "COPY" and not instruction.arguments.startswith("--from"):
            *sources, destination = instruction.words()
            copy_into(context, sources, workdir / destination)
        elif instruction.keyword == "RUN":
            run_shell(instruction.command(), cwd=workdir, env=env)

    # Runtime stage: collectstatic as its RUN line does (the part before the first &&).
    paths = {"/app/.venv": str(venv), "/app/static": str(static), "/app/var": str(var)}
    runtime_env = {}
    for key, value in runtime.env().items():
        for image_path, here in paths.items():
            value = value.replace(image_path, here)
        runtime_env[key] = value.replace("$PATH", os.environ["PATH"])
    (collect,) = [run for run in runtime.runs() if "rota collectstatic" in run]
    clean = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "DATABASE_URL")}
    run_shell(collect.split("&&")[0], cwd=scratch, env={**clean, **runtime_env})
    assert (static / "admin" / "css" / "base.css").is_file()
    return {"venv": venv, "static": static, "var": var, "env": runtime_env}


# --- services: a throwaway database, Redis --------------------------------------------------------


@pytest.fixture(scope="module")
def database_url() -> Iterator[str]:
    if not DATABASE_URL.startswith("postgres"):
        pytest.skip("needs DATABASE_URL=postgres://... (the stack runs on PostgreSQL)")
    import psycopg

    name = f"rota_image_{uuid.uuid4().hex[:10]}"
    admin_url = DATABASE_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield DATABASE_URL.rsplit("/", 1)[0] + "/" + name
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def redis_url() -> str:
    import redis

    try:
        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        # The stack needs Redis as much as PostgreSQL: a missing one is a broken setup to fix
        # (.ci/run starts both), not a reason to pass quietly.
        pytest.fail(f"Redis at {REDIS_URL} is not reachable (start it or set REDIS_URL): {exc}")
    return REDIS_URL


class Processes:
    """Children in their own process groups; all stopped (TERM, then KILL) at the end."""

    def __init__(self, folder: Path):
        self.folder = folder
        self.started: dict[str, subprocess.Popen] = {}

    def start(self, name: str, argv: list[str], env: dict[str, str]) -> subprocess.Popen:
        log = (self.folder / f"{name}.log").open("w")
        process = subprocess.Popen(
            argv, env=env, cwd=self.folder, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        self.started[name] = process
        return process

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text()

    def stop(self) -> dict[str, int]:
        for process in self.started.values():
            if process.poll() is None:
                _signal_group(process, signal.SIGTERM)
        codes = {}
        deadline = time.monotonic() + 45
        for name, process in self.started.items():
            try:
                codes[name] = process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                _signal_group(process, signal.SIGKILL)
                codes[name] = process.wait()
            _signal_group(process, signal.SIGKILL)  # anything left in its group
        return codes


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, sig)


def wait_for(what: str, predicate, *, timeout: float, processes: Processes, name: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        process = processes.started[name]
        assert process.poll() is None, (
            f"{name} exited ({process.returncode}):\n{processes.log(name)}"
        )
        if result := predicate():
            return result
        time.sleep(1)
    raise AssertionError(
        f"{what}: not within {timeout}s\n--- {name} log ---\n{processes.log(name)}"
    )


def passes(argv: list[str], env: dict[str, str], cwd: Path) -> bool:
    result = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=60, check=False)
    return result.returncode == 0


# --- the test -------------------------------------------------------------------------------------


def test_api_worker_and_beat_come_up_healthy_from_the_image_commands(
    database_url, redis_url, image, tmp_path, api_docs_served_locally
):
    import psycopg

    compose = files.load_compose(files.REQUIRED)["services"]
    port = free_port()
    node = f"rota-entrypoints-{uuid.uuid4().hex[:8]}"
    heartbeat = tmp_path / "beat-heartbeat"

    def env_for(service: str, **extra: str) -> dict[str, str]:
        env = {"HOME": str(tmp_path), "LANG": "C.UTF-8", **image["env"]}
        env.update(compose[service]["environment"])
        env.update(
            DATABASE_URL=database_url,
            REDIS_URL=redis_url,
            ROTA_VAR_DIR=str(image["var"]),
            STATIC_ROOT=str(image["static"]),
            WEB_CONCURRENCY="2",
            HOSTNAME=node,
            CELERY_QUEUE=node,  # a queue of its own: no other run on this Redis takes its tasks
        )
        env.update(extra)
        return env

    def here(text: str) -> str:
        return text.replace("0.0.0.0:8000", f"127.0.0.1:{port}").replace(
            "127.0.0.1:8000", f"127.0.0.1:{port}"
        )

    def command(service: str) -> list[str]:
        argv = compose[service]["command"]
        return [here(word).replace("worker@%h", f"worker@{node}") for word in argv]

    def healthcheck(service: str) -> list[str]:
        return [
            here(word) for word in files.healthcheck_shell(compose[service]["healthcheck"]["test"])
        ]

    processes = Processes(tmp_path)
    try:
        # api: migrate, then gunicorn with the site's WSGI app.
        api_env = env_for("api")
        processes.start("api", command("api"), api_env)
        wait_for("api health check", lambda: passes(healthcheck("api"), api_env, tmp_path),
                 timeout=180, processes=processes, name="api")  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        health = httpx.get(f"{base}/health/", timeout=10)
        assert health.json() == {
            "status": "ok",
            "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
        }
        static = httpx.get(f"{base}/static/admin/css/base.css", timeout=10)  # WhiteNoise
        assert static.status_code == 200
        assert static.headers["content-type"].startswith("text/css")
        api_docs_served_locally(base)  # collected at build time, served with DEBUG off
        assert "gunicorn" in processes.log("api").lower()

        # Beat was "down" for an hour: its first loop sends the shipped periodic tasks at once.
        with psycopg.connect(database_url, autocommit=True) as conn:
            registered = conn.execute(
                "UPDATE django_celery_beat_periodictask SET last_run_at = now() - interval"
                " '1 hour', date_changed = now() - interval '1 hour' WHERE enabled RETURNING name"
            ).fetchall()
        assert ("Rotate due rotas",) in registered

        worker_env = env_for("worker")
        processes.start("worker", command("worker"), worker_env)
        wait_for("worker health check",
                 lambda: passes(healthcheck("worker"), worker_env, tmp_path),
                 timeout=120, processes=processes, name="worker")  # fmt: skip

        beat_env = env_for("beat", ROTA_BEAT_HEARTBEAT_FILE=str(heartbeat))
        processes.start("beat", command("beat"), beat_env)
        wait_for("beat health check", lambda: passes(healthcheck("beat"), beat_env, tmp_path),
                 timeout=60, processes=processes, name="beat")  # fmt: skip
        wait_for("beat sends Rotate due rotas",
                 lambda: "Sending due task Rotate due rotas" in processes.log("beat"),
                 timeout=60, processes=processes, name="beat")  # fmt: skip
        wait_for("the worker runs it",
                 lambda: "rota_scheduling.rotate_due_rotas" in processes.log("worker")
                 and "succeeded" in processes.log("worker"),
                 timeout=60, processes=processes, name="worker")  # fmt: skip
        assert "DatabaseScheduler" in processes.log("beat")

        # A stale heartbeat fails beat's health check.
        old = time.time() - 600
        os.utime(heartbeat, (old, old))
        assert not passes(healthcheck("beat"), beat_env, tmp_path)
    finally:
        codes = processes.stop()
    assert set(codes) == {"api", "worker", "beat"}
    for name, process in processes.started.items():
        assert process.poll() is not None, name
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/health/", timeout=2)
