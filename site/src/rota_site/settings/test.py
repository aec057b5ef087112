"""Test settings: the base settings with fast hashing; PostgreSQL/Redis when their URLs are set."""

from .base import *  # noqa: F403

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = True
LOGGING = {"version": 1, "disable_existing_loggers": False}
