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
]


@pytest.fixture(scope="module")
def production(tmp_path_factory) -> dict:
    home = tmp_path_factory.mktemp("production")
    env = {
        "PATH": os.environ["PATH"],
        "HOME": str(home),
        "ROTA_VAR_DIR": str(home),
        "DJANGO_SETTINGS_MODULE": "rota_site.settings.production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "api.example.com",
    }
    script = (
        "import json, rota_site.settings.production as s; "
        f"print(json.dumps({{n: getattr(s, n) for n in {NAMES!r}}}, default=str))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
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
