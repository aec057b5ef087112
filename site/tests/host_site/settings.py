"""A host site unlike Rota Round's: token and basic authentication, ``AllowAny``, limit/offset
pagination, search/ordering filters, form parsers, the browsable API first and an exception
handler of its own. The rota apps must serve their documented API regardless.

SQLite in a scratch folder; DATABASE_URL=postgres://... switches to PostgreSQL (the test
database gets a name of its own, beside the parent run's).
"""

import tempfile
from pathlib import Path

import environ

SECRET_KEY = "rota-host-site-tests"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"
ALLOWED_HOSTS = ["testserver"]

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "rest_framework",
    "rest_framework.authtoken",
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
ROOT_URLCONF = "host_site.urls"
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

_scratch = Path(tempfile.mkdtemp(prefix="rota-host-site-"))
DATABASES = {
    "default": environ.Env().db("DATABASE_URL", default=f"sqlite:///{_scratch / 'db.sqlite3'}")
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["TEST"] = {"NAME": str(_scratch / "test.sqlite3")}
else:  # not test_<name>: the parent pytest run may be using that one right now
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_host_site"}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STATIC_URL = "static/"
CELERY_BROKER_URL = "memory://"
SILENCED_SYSTEM_CHECKS = ["rota_settings.W001"]  # one process: its cache cannot go stale

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.TokenAuthentication",
        "rest_framework.authentication.BasicAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 2,
    "DEFAULT_FILTER_BACKENDS": [
        "rest_framework.filters.SearchFilter",
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.BrowsableAPIRenderer",
        "rest_framework.renderers.JSONRenderer",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "EXCEPTION_HANDLER": "host_site.views.host_exception_handler",
}
