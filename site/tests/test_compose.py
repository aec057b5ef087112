"""compose.yml, .env.example, the Dockerfile and init/ match the seed (SEED-backend-services.md).

No Docker engine runs here, so these tests read the files as Docker would; test_entrypoints.py
runs the image's commands on this machine.
"""

import importlib.util
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest


def load_helpers():
    path = Path(__file__).with_name("compose_files.py")
    spec = importlib.util.spec_from_file_location("rota_compose_files", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("rota_compose_files", module)
    spec.loader.exec_module(module)
    return module


files = load_helpers()

SERVICES = {"api", "worker", "beat", "postgres", "redis", "pgadmin"}
DJANGO_SERVICES = ("api", "worker", "beat")
SEED = {
    "database": "rota_round",
    "user": "rota_user",
    "password": "dev_password_123",
    "redis_password": "dev_redis_password",
    "pgadmin_email": "admin@rota.com",
    "pgadmin_password": "admin_password",
}


@pytest.fixture(scope="module")
def compose():
    return files.load_compose(files.REQUIRED)


@pytest.fixture(scope="module")
def services(compose):
    return compose["services"]


def command_text(service: dict) -> str:
    command = service["command"]
    return command if isinstance(command, str) else " ".join(command)


# --- the file itself ---------------------------------------------------------------------------


def test_compose_file_is_valid_against_the_compose_specification():
    tool = shutil.which("check-jsonschema") or str(Path(sys.executable).parent / "check-jsonschema")
    assert Path(tool).exists(), "check-jsonschema (a dev dependency) is missing: run uv sync"
    result = subprocess.run(
        [tool, "--builtin-schema", "vendor.compose-spec", str(files.COMPOSE)],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_seed_services_and_only_an_optional_mail_catcher_besides(services):
    assert set(services) >= SERVICES
    assert set(services) - SERVICES <= {"mailpit", "mailhog", "mail"}


# --- exposure ------------------------------------------------------------------------------------


def test_only_the_api_on_8000_and_pgadmin_on_8888_publish_ports(services):
    published = {name: svc["ports"] for name, svc in services.items() if svc.get("ports")}
    assert set(published) == {"api", "pgadmin"}
    assert published["api"] == ["8000:8000"]
    assert published["pgadmin"] == ["8888:80"]


def test_postgres_and_redis_stay_on_the_internal_network(compose, services):
    internal = {name for name, net in compose["networks"].items() if (net or {}).get("internal")}
    assert internal, "no internal network"
    for name in ("postgres", "redis", "beat"):
        assert set(services[name]["networks"]) <= internal, name
        assert "ports" not in services[name] and "expose" not in services[name]
    for name in ("api", "pgadmin"):  # reachable from the host, and reaching the database
        assert set(services[name]["networks"]) & internal
        assert set(services[name]["networks"]) - internal


def test_every_service_has_a_health_check_and_restarts_unless_stopped(services):
    for name, service in services.items():
        assert service.get("restart") == "unless-stopped", name
        check = service.get("healthcheck")
        assert check and check.get("test") and not check.get("disable"), name
        for key in ("interval", "timeout", "retries"):
            assert key in check, (name, key)


def test_depends_on_waits_for_health(services):
    for name, service in services.items():
        for dependency, condition in service.get("depends_on", {}).items():
            assert dependency in services
            assert condition == {"condition": "service_healthy"}, (name, dependency)
    assert set(services["api"]["depends_on"]) == {"postgres", "redis"}
    # Migrations run in the api before gunicorn: worker and beat start once it is healthy.
    for name in ("worker", "beat"):
        assert "api" in services[name]["depends_on"]
    assert "postgres" in services["pgadmin"]["depends_on"]


# --- PostgreSQL ----------------------------------------------------------------------------------


def test_postgres_current_major_with_the_seed_database_and_credentials(services):
    postgres = services["postgres"]
    image, _, tag = postgres["image"].partition(":")
    assert image == "postgres"
    assert int(tag.split(".")[0].split("-")[0]) >= 18
    env = postgres["environment"]
    assert env["POSTGRES_DB"] == SEED["database"]
    assert env["POSTGRES_USER"] == SEED["user"]
    assert env["POSTGRES_PASSWORD"] == SEED["password"]


def test_postgres_keeps_data_in_a_named_volume_and_runs_init_on_first_start(compose, services):
    volumes = services["postgres"]["volumes"]
    assert "./init:/docker-entrypoint-initdb.d:ro" in volumes or (
        "./init:/docker-entrypoint-initdb.d" in volumes
    )
    data = [v for v in volumes if v.split(":")[1] == "/var/lib/postgresql"]
    assert data, "from PostgreSQL 18 the image's volume is /var/lib/postgresql"
    assert data[0].split(":")[0] in compose["volumes"]
    assert (files.ROOT / "init" / "00-init.sql").is_file()


def test_postgres_health_check_is_pg_isready(services):
    assert "pg_isready" in " ".join(services["postgres"]["healthcheck"]["test"])


# --- Redis ----------------------------------------------------------------------------------------


def test_redis_requires_the_seed_password_and_persists_like_a_broker(services):
    redis = services["redis"]
    command = command_text(redis)
    assert "--requirepass" in command
    assert redis["environment"]["REDIS_PASSWORD"] == SEED["redis_password"]
    assert "--appendonly yes" in command
    assert "--maxmemory-policy noeviction" in command  # an evicted message is a lost task
    assert any(v.endswith(":/data") for v in redis["volumes"])
    check = " ".join(redis["healthcheck"]["test"])
    assert "redis-cli" in check and "ping" in check
    # The health check authenticates (REDISCLI_AUTH), or PING would answer NOAUTH.
    assert redis["environment"]["REDISCLI_AUTH"] == SEED["redis_password"]


# --- the Django services --------------------------------------------------------------------------


def database_of(url: str) -> dict:
    parts = urlsplit(url)
    return {
        "scheme": parts.scheme,
        "user": unquote(parts.username or ""),
        "password": unquote(parts.password or ""),
        "host": parts.hostname,
        "port": parts.port,
        "name": parts.path.lstrip("/"),
    }


@pytest.mark.parametrize(
    "overrides",
    [{}, {"POSTGRES_USER": "ops", "POSTGRES_PASSWORD": "s3cret", "POSTGRES_DB": "rota_prod",
          "REDIS_PASSWORD": "other"}],
    ids=["defaults", "from-env"],
)  # fmt: skip
def test_api_worker_and_beat_reach_postgres_and_redis_with_the_same_credentials(overrides):
    services = files.load_compose({**files.REQUIRED, **overrides})["services"]
    postgres = services["postgres"]["environment"]
    for name in DJANGO_SERVICES:
        env = services[name]["environment"]
        database = database_of(env["DATABASE_URL"])
        assert database == {
            "scheme": "postgres",
            "user": postgres["POSTGRES_USER"],
            "password": postgres["POSTGRES_PASSWORD"],
            "host": "postgres",
            "port": 5432,
            "name": postgres["POSTGRES_DB"],
        }, name
        redis_password = services["redis"]["environment"]["REDIS_PASSWORD"]
        assert env["REDIS_URL"] == f"redis://:{redis_password}@redis:6379/0", name
        assert env["DJANGO_SETTINGS_MODULE"] == "rota_site.settings.production"


def test_the_three_django_services_run_one_image(services):
    images = {services[name]["image"] for name in DJANGO_SERVICES}
    assert len(images) == 1
    for name in DJANGO_SERVICES:
        assert services[name]["build"]["context"] == "."


def test_api_migrates_then_serves_the_wsgi_app_on_8000_with_a_health_check(services):
    api = services["api"]
    command = command_text(api)
    assert command.index("rota migrate --noinput") < command.index("exec gunicorn")
    assert "gunicorn rota_site.wsgi:application" in command
    assert "--bind 0.0.0.0:8000" in command
    assert "http://127.0.0.1:8000/health/" in " ".join(api["healthcheck"]["test"])


def test_worker_is_a_celery_worker_checked_by_ping(services):
    worker = services["worker"]
    assert command_text(worker).startswith("celery -A rota_site worker")
    assert "inspect ping" in " ".join(worker["healthcheck"]["test"])


def test_exactly_one_beat_with_the_database_scheduler(services):
    beat = services["beat"]
    assert command_text(beat).startswith("celery -A rota_site beat")
    assert "--scheduler django_celery_beat.schedulers:DatabaseScheduler" in command_text(beat)
    assert beat.get("deploy", {}).get("replicas", 1) == 1
    assert "scale" not in beat
    beats = [s for s in services.values() if "command" in s and " beat " in command_text(s)]
    assert len(beats) == 1
    # Health: the heartbeat file beat touches on every task it sends (rota_site.beat_heartbeat).
    assert beat["environment"]["ROTA_BEAT_HEARTBEAT_FILE"]
    assert "ROTA_BEAT_HEARTBEAT_FILE" in " ".join(beat["healthcheck"]["test"])


def test_local_http_defaults_keep_tls_only_settings_off(services):
    env = services["api"]["environment"]
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert env[name] == "0", name
    assert env["DEBUG"] == "0"
    assert len(env["SECRET_KEY"]) >= 50
    assert {"localhost", "127.0.0.1"} <= set(env["ALLOWED_HOSTS"].split(","))
    spa = {"http://localhost:3000", "http://localhost:8080", "http://127.0.0.1:8080"}
    assert set(env["CORS_ALLOWED_ORIGINS"].split(",")) == spa
    assert set(env["CSRF_TRUSTED_ORIGINS"].split(",")) == spa


# --- pgAdmin --------------------------------------------------------------------------------------


def test_pgadmin_has_the_seed_login_and_the_database_pre_registered(services):
    pgadmin = services["pgadmin"]
    env = pgadmin["environment"]
    assert env["PGADMIN_DEFAULT_EMAIL"] == SEED["pgadmin_email"]
    assert env["PGADMIN_DEFAULT_PASSWORD"] == SEED["pgadmin_password"]
    mounts = {v.split(":")[1]: v.split(":")[0] for v in pgadmin["volumes"]}
    servers_file = files.ROOT / mounts[env["PGADMIN_SERVER_JSON_FILE"]]
    servers = json.loads(servers_file.read_text())["Servers"]
    assert len(servers) == 1
    (server,) = servers.values()
    assert (server["Host"], server["Port"]) == ("postgres", 5432)
    assert server["MaintenanceDB"] == SEED["database"]
    assert server["Username"] == SEED["user"]


# --- .env.example ---------------------------------------------------------------------------------


def test_env_example_lists_every_variable_with_the_compose_default():
    example = files.read_env_file()
    used = files.compose_variables()
    assert set(used) <= set(example), f"missing from .env.example: {set(used) - set(example)}"
    for name, default in used.items():
        if name in files.REQUIRED:
            assert default is None, f"{name} must have no default in compose.yml"
            assert example[name] == "", f"{name} must be left for the operator in .env.example"
            continue
        assert default is not None, f"{name} has no development default in compose.yml"
        assert example[name] == default, name


@pytest.mark.parametrize("env", [{}, {"SECRET_KEY": ""}], ids=["unset", "empty"])
def test_compose_refuses_to_start_without_a_secret_key(env):
    """A default key in compose.yml would be public: everyone who read the file had it."""
    with pytest.raises(files.MissingVariable, match="SECRET_KEY"):
        files.load_compose(env)
    with pytest.raises(files.MissingVariable, match="SECRET_KEY"):
        files.load_compose({**files.read_env_file(), **env})  # .env.example copied as is


def test_env_example_turns_tls_only_settings_off_and_says_when_to_turn_them_on():
    example = files.read_env_file()
    for name in ("SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        assert example[name] == "0"
    text = files.ENV_EXAMPLE.read_text()
    assert "TLS" in text and "SECURE_SSL_REDIRECT=1" in text


def test_env_example_is_a_complete_environment_for_compose_once_the_key_is_set():
    """With .env.example as .env and SECRET_KEY filled in, compose needs nothing else and
    changes nothing."""
    env_file = {**files.read_env_file(), **files.REQUIRED}
    assert files.load_compose(env_file) == files.load_compose(files.REQUIRED)


# --- Dockerfile and build context -----------------------------------------------------------------


@pytest.fixture(scope="module")
def stages():
    return files.dockerfile_stages()


def test_dockerfile_is_multi_stage_and_installs_from_the_lock_without_dev_tools(stages):
    assert len(stages) >= 2
    runs = [run for stage in stages for run in stage.runs()]
    syncs = [run for run in runs if run.startswith("uv sync")]
    assert syncs
    for sync in syncs:
        assert "--locked" in sync.split() and "--no-dev" in sync.split()
    runtime = stages[-1]
    copies = [i.words() for i in runtime.all("COPY")]
    assert any(words[0].startswith("--from=") and "/app/.venv" in words for words in copies)
    assert not any(run.split()[0] == "uv" for run in runtime.runs()), "uv stays in the build stage"


def test_the_image_runs_as_a_non_root_user(stages):
    users = stages[-1].all("USER")
    assert users
    assert users[-1].arguments.split(":")[0] not in ("root", "0")


def test_static_files_are_collected_and_served_by_whitenoise(stages, settings):
    assert any("rota collectstatic --noinput" in run for run in stages[-1].runs())
    assert stages[-1].env()["STATIC_ROOT"]
    assert "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE


def test_image_serves_gunicorn_on_8000_with_a_health_check(stages):
    runtime = stages[-1]
    assert runtime.env()["DJANGO_SETTINGS_MODULE"] == "rota_site.settings.production"
    assert [i.arguments for i in runtime.all("EXPOSE")] == ["8000"]
    command = files.exec_form(runtime.all("CMD")[-1])
    assert command[:2] == ["gunicorn", "rota_site.wsgi:application"]
    assert "0.0.0.0:8000" in command
    check = files.exec_form(runtime.all("HEALTHCHECK")[-1])
    assert "http://127.0.0.1:8000/health/" in " ".join(check)


def test_build_context_has_what_the_dockerfile_copies_and_no_secrets_or_state(stages):
    context = files.build_context()
    for stage in stages:
        for sources, _ in files.copy_sources(stage):
            for source in sources:
                assert any(
                    f == source or f.startswith(source.rstrip("/") + "/") for f in context
                ), f"COPY {source}: not in the build context (.dockerignore)"
    assert "uv.lock" in context
    for unwanted in (".env", "var/", ".venv/", ".git/", "site/tests/", "packages/rota-core/tests/"):
        assert not any(f == unwanted or f.startswith(unwanted) for f in context), unwanted


# --- init/ ----------------------------------------------------------------------------------------


def test_init_script_creates_extensions_and_comments():
    sql = (files.ROOT / "init" / "00-init.sql").read_text()
    assert "CREATE EXTENSION IF NOT EXISTS" in sql
    assert "COMMENT ON DATABASE" in sql
    assert "ON_ERROR_STOP" in sql


@pytest.mark.postgres
def test_init_script_runs_on_a_fresh_database_as_the_image_would():
    """As the image runs it: psql -v ON_ERROR_STOP=1 as a superuser owning a new database."""
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith("postgres") or not shutil.which("psql"):
        pytest.skip("needs DATABASE_URL=postgres://... and psql")
    import psycopg

    admin_url = database_url.rsplit("/", 1)[0] + "/postgres"
    suffix = uuid.uuid4().hex[:10]
    role, name = f"rota_init_{suffix}", f"rota_init_{suffix}"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'CREATE ROLE "{role}" LOGIN SUPERUSER')
        conn.execute(f'CREATE DATABASE "{name}" OWNER "{role}"')
    target = urlsplit(database_url)
    try:
        result = subprocess.run(
            ["psql", "-v", "ON_ERROR_STOP=1", "--no-psqlrc", "-q",
             "-h", target.hostname or "127.0.0.1", "-p", str(target.port or 5432),
             "-U", role, "-d", name, "-f", str(files.ROOT / "init" / "00-init.sql")],
            capture_output=True, text=True, timeout=60, check=False,
            env={**os.environ, "PGPASSWORD": unquote(target.password or "")},
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        with psycopg.connect(database_url.rsplit("/", 1)[0] + "/" + name) as conn:
            extensions = {row[0] for row in conn.execute("SELECT extname FROM pg_extension")}
            comment = conn.execute(
                "SELECT shobj_description(oid, 'pg_database') FROM pg_database"
                " WHERE datname = current_database()"
            ).fetchone()[0]
            zone = conn.execute(
                "SELECT setconfig FROM pg_db_role_setting s JOIN pg_database d"
                " ON d.oid = s.setdatabase WHERE d.datname = current_database()"
            ).fetchone()[0]
        assert {"pg_trgm", "pg_stat_statements"} <= extensions
        assert comment.startswith("Rota Round")
        assert "TimeZone=UTC" in zone or "timezone=UTC" in zone
    finally:
        with psycopg.connect(admin_url, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'DROP ROLE IF EXISTS "{role}"')


# --- beat's health check --------------------------------------------------------------------------


def test_beat_touches_its_heartbeat_file_when_it_starts_and_on_every_task_it_sends(
    tmp_path, monkeypatch
):
    from celery.signals import after_task_publish, beat_init

    from rota_site import beat_heartbeat

    heartbeat = tmp_path / "heartbeat"
    monkeypatch.setenv(beat_heartbeat.ENV_VAR, str(heartbeat))
    try:
        beat_init.send(sender=None)  # what `celery beat` sends as it starts
        assert heartbeat.exists()
        os.utime(heartbeat, (0, 0))
        after_task_publish.send(sender="rota_scheduling.rotate_due_rotas", headers={}, body=())
        assert heartbeat.stat().st_mtime > 0
    finally:
        after_task_publish.disconnect(dispatch_uid="rota_site.heartbeat")


def test_no_heartbeat_outside_beat_or_without_the_variable(tmp_path, monkeypatch):
    from celery.signals import after_task_publish, beat_init

    from rota_site import beat_heartbeat

    monkeypatch.delenv(beat_heartbeat.ENV_VAR, raising=False)
    beat_init.send(sender=None)
    uids = [lookup_key[0] for lookup_key, _ in after_task_publish.receivers]
    assert "rota_site.heartbeat" not in uids
