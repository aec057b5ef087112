"""The rota apps in a host site with a different REST_FRAMEWORK serve the documented API.

DRF reads ``REST_FRAMEWORK`` when view classes are created, so the host site
(``host_site/settings.py``) gets a process of its own: a child pytest runs
``host_site/api_checks.py`` there, on its own test database (PostgreSQL when DATABASE_URL is
set, else SQLite).
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

TESTS = Path(__file__).resolve().parent
ROOT = TESTS.parent.parent


def test_a_host_site_with_its_own_rest_framework_settings_serves_the_documented_api():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "host_site.settings"}
    env["ROTA_API_CONTRACT"] = "off"  # answers are checked against the rota site's document
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(TESTS), env.get("PYTHONPATH")]))
    checks = TESTS / "host_site" / "api_checks.py"
    result = subprocess.run(
        [sys.executable, "-m", "pytest", str(checks), "--ds", "host_site.settings", "-q",
         "-p", "no:cacheprovider", "-W", "error::DeprecationWarning"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-6000:]
    assert " passed" in output and "failed" not in output and "skipped" not in output, output
