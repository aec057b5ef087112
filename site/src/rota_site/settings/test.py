"""Test settings: the base settings with fast hashing; PostgreSQL/Redis when their URLs are set."""

import tempfile
import uuid
from pathlib import Path

from .base import *  # noqa: F403
from .base import CACHES, CELERY_BROKER_TRANSPORT_OPTIONS, DATABASES, REDIS_URL

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = True
# Tests and the fuzzer write far faster than people; test_write_throttle.py proves the default.
ROTA_CORE_WRITE_RATE = "100000/minute"
LOGGING = {"version": 1, "disable_existing_loggers": False}
# Tasks of this run go to a queue of its own: another run on the same Redis never takes them.
_RUN = uuid.uuid4().hex[:12]
CELERY_TASK_DEFAULT_QUEUE = f"rota-tests-{_RUN}"
# Its cache keys too: each run's test database numbers users from 1 again, so a per-user key
# (the write throttle's) left in Redis by an earlier run would otherwise count against it.
CACHES["default"]["KEY_PREFIX"] = f"rota-tests-{_RUN}"

_scratch = Path(tempfile.mkdtemp(prefix="rota-tests-"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not shared-cache memory: a real Celery worker thread in the end-to-end tests
    # opens its own connection to the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(_scratch / "test.sqlite3")}
if not REDIS_URL:  # the filesystem broker of this run lives in its own folder
    for _key in ("data_folder_in", "data_folder_out", "control_folder"):
        _folder = _scratch / "broker" / _key
        _folder.mkdir(parents=True, exist_ok=True)
        CELERY_BROKER_TRANSPORT_OPTIONS[_key] = str(_folder)
    CELERY_BROKER_TRANSPORT_OPTIONS["data_folder_out"] = CELERY_BROKER_TRANSPORT_OPTIONS[
        "data_folder_in"
    ]
