"""A host site unlike Rota Round's in every DRF policy: token and basic authentication,
``AllowAny``, limit/offset pagination, search/ordering filters, form parsers, the browsable
API first and an exception handler of its own. The rota apps must serve their documented API
regardless.

The rest (installed apps, middleware, the database: SQLite, or PostgreSQL when DATABASE_URL
is set) is the Rota Round site's test settings, which this test does not question.
"""

from rota_site.settings.test import *  # noqa: F403
from rota_site.settings.test import DATABASES, INSTALLED_APPS

INSTALLED_APPS = [*INSTALLED_APPS, "rest_framework.authtoken"]
ROOT_URLCONF = "host_site.urls"
if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
    # Not test_<name>: the parent pytest run may be using that one right now.
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_host_site"}

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
