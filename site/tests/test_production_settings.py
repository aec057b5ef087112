import os
import secrets
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def run_rota(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "rota_site.manage", *args],
        env=env, capture_output=True, text=True, timeout=120,
    )  # fmt: skip


def production_env(tmp_path, **overrides: str) -> dict[str, str]:
    """Only what production requires: settings module, DEBUG, SECRET_KEY, ALLOWED_HOSTS and
    the single-page app's origins (no localhost defaults in production)."""
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path), "ROTA_VAR_DIR": str(tmp_path)}
    env |= {
        "DJANGO_SETTINGS_MODULE": "rota_site.settings.production",
        "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(45)[:60],
        "ALLOWED_HOSTS": "api.example.com",
        "CORS_ALLOWED_ORIGINS": "https://rota.example.com",
        "CSRF_TRUSTED_ORIGINS": "https://rota.example.com",
    }
    env |= overrides
    return {k: v for k, v in env.items() if v is not None}


def test_deploy_check_passes_without_warnings(tmp_path):
    result = run_rota("check", "--deploy", "--fail-level", "WARNING", env=production_env(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_debug(tmp_path):
    result = run_rota("check", env=production_env(tmp_path, DEBUG="1"))
    assert result.returncode != 0
    assert "DEBUG must be off" in result.stderr


@pytest.mark.parametrize(
    "secret",
    [
        "",
        "django-insecure-rota-round-development-key-change-me",
        "short",
        # compose.yml's and .env.example's default until 0.1: public, and 62 characters long.
        "compose-dev-only-secret-key-set-SECRET_KEY-in-.env-0123456789",
    ],
)
def test_production_refuses_a_missing_default_or_short_secret_key(tmp_path, secret):
    result = run_rota("check", env=production_env(tmp_path, SECRET_KEY=secret))
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_serve_demo_is_refused_when_debug_is_off(tmp_path):
    result = run_rota("serve", "--demo", env=production_env(tmp_path))
    assert result.returncode != 0
    assert "refused when DEBUG is off" in result.stderr
