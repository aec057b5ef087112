"""Minimal standalone settings: this app and only what its pyproject declares (rota-core,
rota-scheduling and their dependencies).

SQLite in memory and a local-memory cache by default; DATABASE_URL=postgres://... and
REDIS_URL=redis://... switch to PostgreSQL and Redis (psycopg and redis then need installing).
"""

import os
import tempfile
import uuid
from pathlib import Path
from urllib.parse import unquote, urlsplit

SECRET_KEY = "rota-notifications-tests"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en-gb"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "django_celery_beat",
    "rota_core",
    "rota_settings",
    "rota_scheduling",
    "rota_notifications",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "rota_settings.middleware.SystemTimezoneMiddleware",
]

ROOT_URLCONF = "tests.urls"
_scratch = Path(tempfile.mkdtemp(prefix="rota-notifications-tests-"))
# A file database: the end-to-end tests run a real Celery worker thread with its own connection.
DATABASES = {
    "default": {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(_scratch / "db.sqlite3"),
        "TEST": {"NAME": str(_scratch / "test.sqlite3")},
        "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 30},
    }
}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

if os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")):
    _db = urlsplit(os.environ["DATABASE_URL"])
    DATABASES["default"] = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": _db.path.lstrip("/"),
        "USER": unquote(_db.username or ""),
        "PASSWORD": unquote(_db.password or ""),
        "HOST": _db.hostname or "",
        "PORT": _db.port or "",
    }
if os.environ.get("REDIS_URL"):
    CACHES["default"] = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STATIC_URL = "static/"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# The app's views set their own policies (authentication, pagination, errors...): only
# what a site sets for itself stays here.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
DEFAULT_FROM_EMAIL = "rota@example.com"
ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = True

# Celery: Redis when REDIS_URL is set, else kombu's filesystem transport in a scratch folder.
CELERY_BROKER_URL = os.environ.get("REDIS_URL") or "filesystem://"
_queue = _scratch / "broker"
_queue.mkdir()
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {"socket_connect_timeout": 2}
    if os.environ.get("REDIS_URL")
    else {
        "data_folder_in": str(_queue),
        "data_folder_out": str(_queue),
        "control_folder": str(_scratch / "control"),
        "store_processed": False,
    }
)
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_DEFAULT_QUEUE = f"rota-notifications-tests-{uuid.uuid4().hex[:12]}"

# One process: a per-process cache cannot go stale here.
SILENCED_SYSTEM_CHECKS = ["rota_settings.W001"]
