"""The cookie and DEBUG settings production really gets: rota_site.settings.production
imported in a fresh interpreter with only the environment the deployment sets."""

import json
import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

NAMES = [
    "DEBUG",
    "SESSION_COOKIE_SECURE",
    "SESSION_COOKIE_HTTPONLY",
    "SESSION_COOKIE_SAMESITE",
    "CSRF_COOKIE_SECURE",
    "CSRF_COOKIE_HTTPONLY",
    "CSRF_COOKIE_SAMESITE",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "SECURE_CONTENT_TYPE_NOSNIFF",
    "X_FRAME_OPTIONS",
    "ALLOWED_HOSTS",
    "ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS",
    "REST_FRAMEWORK",
    "CORS_ALLOWED_ORIGINS",
    "CSRF_TRUSTED_ORIGINS",
    "SECURE_PROXY_SSL_HEADER",
    "ROTA_CORE_WRITE_RATE",
]
SPA = "https://rota.example.com"


def production_settings(home, **overrides: str | None) -> subprocess.CompletedProcess:
    """Import the production settings in a fresh interpreter with only this environment
    (an override of None leaves the variable out) and print NAMES as JSON."""
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "ROTA_VAR_DIR": str(home),
        "DJANGO_SETTINGS_MODULE": "rota_site.settings.production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "api.example.com",
        "CORS_ALLOWED_ORIGINS": SPA,
        "CSRF_TRUSTED_ORIGINS": SPA,
    } | overrides
    script = (
        "import json, rota_site.settings.production as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}, default=str))"
    )
    return subprocess.run(
        [sys.executable, "-c", script],
        env={k: v for k, v in env.items() if v is not None},
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip


def values_of(result: subprocess.CompletedProcess) -> dict:
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    values = values_of(production_settings(tmp_path_factory.mktemp("production")))
    print("production settings:", json.dumps(values, indent=1))
    return values


def test_debug_is_off(production):
    # So no browsable API either: the rota views offer it only while DEBUG is on
    # (rota_core.api.base, tested in packages/rota-core/tests/test_api_base.py).
    assert production["DEBUG"] is False


def test_the_session_cookie_is_secure_http_only_and_same_site(production):
    assert production["SESSION_COOKIE_SECURE"] is True
    assert production["SESSION_COOKIE_HTTPONLY"] is True
    assert production["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_the_csrf_cookie_is_secure_and_same_site_and_readable_by_the_spa(production):
    assert production["CSRF_COOKIE_SECURE"] is True
    assert production["CSRF_COOKIE_SAMESITE"] == "Lax"
    # Deliberately readable by JavaScript: the SPA sends it back as X-CSRFToken (it is not a
    # credential on its own, docs/csrf-cors.md).
    assert production["CSRF_COOKIE_HTTPONLY"] is False


def test_https_is_enforced(production):
    assert production["SECURE_SSL_REDIRECT"] is True
    assert production["SECURE_HSTS_SECONDS"] >= 31536000
    assert production["SECURE_CONTENT_TYPE_NOSNIFF"] is True
    assert production["X_FRAME_OPTIONS"] == "DENY"
    assert production["ALLOWED_HOSTS"] == ["api.example.com"]
    assert production["ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS"] is False


def test_the_origins_are_only_those_given_and_the_write_limit_is_on(production):
    assert production["CORS_ALLOWED_ORIGINS"] == [SPA]
    assert production["CSRF_TRUSTED_ORIGINS"] == [SPA]
    assert production["ROTA_CORE_WRITE_RATE"] == "120/minute"


@pytest.mark.parametrize("name", ["CORS_ALLOWED_ORIGINS", "CSRF_TRUSTED_ORIGINS"])
def test_production_refuses_to_start_without_the_spa_origins(tmp_path, name):
    """No localhost defaults in production: an operator who forgot the variable would
    otherwise trust whoever serves a page on those origins (a developer's machine)."""
    result = production_settings(tmp_path, **{name: None})

    assert result.returncode != 0
    assert f"{name} must be set in production" in result.stderr


def test_empty_origins_are_accepted_for_a_same_origin_deployment(tmp_path):
    values = values_of(
        production_settings(tmp_path, CORS_ALLOWED_ORIGINS="", CSRF_TRUSTED_ORIGINS="")
    )

    assert values["CORS_ALLOWED_ORIGINS"] == values["CSRF_TRUSTED_ORIGINS"] == []


def test_x_forwarded_proto_is_trusted_only_behind_a_declared_proxy(production, tmp_path):
    behind_proxy = values_of(production_settings(tmp_path, ROTA_CORE_NUM_PROXIES="1"))

    assert production["SECURE_PROXY_SSL_HEADER"] is None  # any client could send the header
    assert behind_proxy["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
