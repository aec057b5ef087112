"""Settings shared by every environment, read from the environment (12-factor).

With no environment at all this is the embedded default: SQLite and a filesystem Celery
broker under ``var/``, a local-memory cache, DEBUG on. ``DATABASE_URL`` and ``REDIS_URL``
switch to PostgreSQL and Redis (broker and cache; sessions stay in the database).
"""

import contextlib
from pathlib import Path

import environ

env = environ.Env()

# Runtime state of the embedded default (SQLite file, broker folders, collected static).
VAR_DIR = Path(env.str("ROTA_VAR_DIR", default=str(Path.cwd() / "var"))).resolve()

DEV_SECRET_KEY = "django-insecure-rota-round-development-key-change-me"
SECRET_KEY = env.str("SECRET_KEY", default=DEV_SECRET_KEY)
DEBUG = env.bool("DEBUG", default=True)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI served from our static files, not a CDN
    "django_celery_beat",
    "django_celery_results",
    "rota_core",
    "rota_settings",
    "rota_scheduling",
    "rota_notifications",
    "rota_site",
]

MIDDLEWARE = [
    "corsheaders.middleware.CorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "rota_settings.middleware.SystemTimezoneMiddleware",
]

ROOT_URLCONF = "rota_site.urls"
WSGI_APPLICATION = "rota_site.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# --- Database -------------------------------------------------------------------------------
SQLITE_PATH = VAR_DIR / "rota.sqlite3"
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{SQLITE_PATH}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)  # a fresh clone has no var/ yet
    # Web server, worker and beat share one file: WAL lets readers run beside the writer,
    # IMMEDIATE transactions and a busy timeout make writers queue instead of failing.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
    }
else:
    DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache, sessions, broker ------------------------------------------------------------------
REDIS_URL = env.str("REDIS_URL", default="")


def redis_cache(location: str) -> dict:
    """The site's Redis cache: django-redis, an unreachable Redis read as an empty cache.

    With ``IGNORE_EXCEPTIONS`` a read while Redis is down is a miss, a write is dropped and
    ``incr`` gives ``None`` instead of a 500 (drills/redis_outage.py): the failed-login limits
    and any throttle fail open, rota_settings reads the zone from the database.
    ``/health/`` still reports the cache down (a written value does not read back).
    """
    return {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "rota",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 2, "SOCKET_TIMEOUT": 2},
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    # Sessions live in the database only (Django's default engine), not cached_db: signing in
    # and out must keep working while Redis is down, and a cached copy that outlives a sign-out
    # made during an outage would let that session back in once Redis returns.
    SESSION_ENGINE = "django.contrib.sessions.backends.db"
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A task not acknowledged within this time is redelivered; time limits stay below it.
        "visibility_timeout": 3600,
        "socket_connect_timeout": 2,
        # A publish with retry=False (the outbox's on-commit enqueue, handoff timers) gives up
        # after one immediate retry instead of kombu's ~6 s of reconnecting per call: with
        # Redis down, a write notifying N people otherwise took N x 6 s and could outlast
        # gunicorn's 30 s timeout (drills/redis_outage.py); the relay sends the rows later.
        # Publishes with a retry policy (beat, the worker) keep their own policy.
        "max_retries": 1,
        "interval_start": 0,
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    # Each process has its own local-memory cache: re-read the system zone every minute so
    # the worker and beat follow a change made through the web server.
    ROTA_SETTINGS_CACHE_TIMEOUT = 60
    BROKER_DIR = VAR_DIR / "broker"
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
    }
    for _folder in ("queue", "control"):
        (BROKER_DIR / _folder).mkdir(parents=True, exist_ok=True)

# --- Celery -------------------------------------------------------------------------------------
# One queue per deployment; tests give each run its own so parallel runs never steal tasks.
CELERY_TASK_DEFAULT_QUEUE = env.str("CELERY_QUEUE", default="celery")
CELERY_TIMEZONE = "UTC"
CELERY_ENABLE_UTC = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_TASK_SOFT_TIME_LIMIT = 300
CELERY_TASK_TIME_LIMIT = 360
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_RESULT_BACKEND = "django-db"
CELERY_RESULT_EXTENDED = True
# One purge of old results: the "Purge old task results" periodic task (rota_site.tasks) deletes
# them after TASK_RESULTS_MAX_AGE seconds. result_expires stays unset (None, not Celery's 1-day
# default) so beat does not add its own "celery.backend_cleanup" entry beside it.
CELERY_RESULT_EXPIRES = None
TASK_RESULTS_MAX_AGE = env.int("TASK_RESULTS_MAX_AGE", default=7 * 24 * 3600)
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
DJANGO_CELERY_BEAT_TZ_AWARE = True

# --- Auth ---------------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- I18N / time ----------------------------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"  # stored datetimes stay UTC; the system zone is activated per request
USE_I18N = True
USE_TZ = True

# --- Static files -------------------------------------------------------------------------------
STATIC_URL = "static/"
STATIC_ROOT = env.str("STATIC_ROOT", default=str(VAR_DIR / "static"))
with contextlib.suppress(OSError):  # WhiteNoise warns about a missing root
    Path(STATIC_ROOT).mkdir(parents=True, exist_ok=True)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = DEBUG

# --- CORS and CSRF for the SPA (docs/csrf-cors.md) ----------------------------------------------
SPA_ORIGINS = ["http://localhost:3000", "http://localhost:8080", "http://127.0.0.1:8080"]
CORS_ALLOWED_ORIGINS = env.list("CORS_ALLOWED_ORIGINS", default=SPA_ORIGINS)
CORS_ALLOW_CREDENTIALS = True
CORS_EXPOSE_HEADERS = ["Retry-After"]  # so the SPA can read how long a 429 asks it to wait
CORS_URLS_REGEX = r"^/(api|health|calendar)/.*$"
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=SPA_ORIGINS)
CSRF_COOKIE_HTTPONLY = False  # the SPA reads the token (it may also use auth/csrf/'s body)
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = True

# --- Email ----------------------------------------------------------------------------------------
# consolemail:// prints mail on the embedded default; smtp+tls://user:pass@host:587 in production.
_email = env.email("EMAIL_URL", default="consolemail://")
EMAIL_BACKEND = _email["EMAIL_BACKEND"]
EMAIL_HOST = _email.get("EMAIL_HOST", "localhost")
EMAIL_PORT = _email.get("EMAIL_PORT") or 25
EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = 10
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Rota Round <rota@localhost>")

# --- REST framework -----------------------------------------------------------------------------
# Only what is site-wide: each rota app sets authentication, permissions, pagination, filters,
# JSON-only parsing and rendering (the browsable API too while DEBUG is on) and its exception
# handler on its own views (rota_core.api.base), so they do not depend on these settings.
REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",  # the OpenAPI document
    "TEST_REQUEST_DEFAULT_FORMAT": "json",
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Rota Round API",
    "DESCRIPTION": "Duty rotas that hand over on time. Session authentication with CSRF.",
    "VERSION": "1",
    # 3.1: a nullable object is `oneOf: [{$ref}, {type: null}]`, which validators and
    # openapi-typescript read as "X or null"; 3.0's `allOf + nullable` is not null-able there.
    "OAS_VERSION": "3.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # /api/docs/ loads Swagger UI from our own static files: it works with no network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # The shared error answers (400/403/404/409) on every operation, see rota_core.api.schema;
    # what rota-notifications adds to auth/me/ (unread_notifications); 3.0's `nullable` left
    # by DRF (the paginator's next/previous) in 3.1's words.
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "rota_core.api.schema.postprocess_error_responses",
        "rota_notifications.api.schema.postprocess_me_extra",
        "rota_core.api.schema.postprocess_nullable_for_openapi_3_1",
    ],
    "ENUM_NAME_OVERRIDES": {
        "ShiftSourceEnum": "rota_scheduling.models.ShiftSource",
        "SegmentSourceEnum": "rota_scheduling.api.serializers.SEGMENT_SOURCES",
        "NotificationKindEnum": "rota_notifications.models.Kind",
    },
}

# --- App settings (each app documents its own in its conf.py) -------------------------------------
# Webhooks to private/loopback addresses: allowed in development (DEBUG), refused otherwise.
ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = env.bool(
    "ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS", default=DEBUG
)
ROTA_CORE_NUM_PROXIES = env.int("ROTA_CORE_NUM_PROXIES", default=0)
# Writes per signed-in user through the API, e.g. "120/minute"; empty turns the limit off.
ROTA_CORE_WRITE_RATE = env.str("ROTA_CORE_WRITE_RATE", default="120/minute") or None

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # httpx logs each request's full URL at INFO; webhook URLs are secrets.
        "httpx": {"level": "WARNING"},
        "httpcore": {"level": "WARNING"},
    },
}
