"""Production settings: the base settings hardened; refuses to start when misconfigured."""

import os

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import DEV_SECRET_KEY, ROTA_CORE_NUM_PROXIES, env

DEBUG = env.bool("DEBUG", default=False)
if DEBUG:
    raise ImproperlyConfigured("DEBUG must be off in production (set DEBUG=0).")

# Keys anyone can read in this repository: the development default, and the default that
# compose.yml and .env.example carried until 0.1 (site/tests/security checks that they
# publish no other).
PUBLIC_SECRET_KEYS = frozenset(
    {DEV_SECRET_KEY, "compose-dev-only-secret-key-set-SECRET_KEY-in-.env-0123456789"}
)
SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY or SECRET_KEY in PUBLIC_SECRET_KEYS or len(SECRET_KEY) < 50:
    raise ImproperlyConfigured(
        "SECRET_KEY must be set to a random value of at least 50 characters in production, "
        "not a key published with Rota Round."
    )


def _origins(name: str) -> list[str]:
    """The base settings' localhost defaults never reach production: the variable is required
    (empty when no single-page app calls the API from another origin)."""
    if name not in os.environ:
        raise ImproperlyConfigured(
            f"{name} must be set in production: the single-page app's origins, comma-separated "
            "(e.g. https://rota.example.com), or empty when none calls the API from another "
            "origin (docs/csrf-cors.md)."
        )
    return env.list(name)


CORS_ALLOWED_ORIGINS = _origins("CORS_ALLOWED_ORIGINS")
CSRF_TRUSTED_ORIGINS = _origins("CSRF_TRUSTED_ORIGINS")

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS")
ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = env.bool(
    "ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS", default=False
)
WHITENOISE_USE_FINDERS = False

# HTTPS. X-Forwarded-Proto is believed only when a proxy is declared (ROTA_CORE_NUM_PROXIES):
# without one any client could send it and pass for HTTPS (secure cookies, no redirect).
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ROTA_CORE_NUM_PROXIES else None
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^health/$"]  # container health checks speak plain HTTP
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env.bool("SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("CSRF_COOKIE_SECURE", default=True)
X_FRAME_OPTIONS = "DENY"
