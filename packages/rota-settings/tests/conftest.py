"""Fixtures for this app's tests; they run under tests.settings and under the site's settings."""

import uuid

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from rota_settings.cache import drop_cached_timezone

PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """A cache key of this test's own, dropped after it.

    Other test runs may share the Redis database: a private key keeps them out, and no
    test flushes the whole cache under them.
    """
    settings.ROTA_SETTINGS_CACHE_KEY = f"rota_settings:test:{uuid.uuid4().hex}:timezone"
    yield
    drop_cached_timezone()


@pytest.fixture
def password():
    return PASSWORD


@pytest.fixture
def reader(django_user_model):
    """A signed-in user without any permission."""
    return django_user_model.objects.create_user("reader", password=PASSWORD)


@pytest.fixture
def editor(django_user_model):
    """A user with the rota_settings.change_systemsettings permission."""
    user = django_user_model.objects.create_user("editor", password=PASSWORD)
    user.user_permissions.add(
        Permission.objects.get(
            content_type__app_label="rota_settings", codename="change_systemsettings"
        )
    )
    return user


@pytest.fixture
def superuser(django_user_model):
    return django_user_model.objects.create_superuser("boss", password=PASSWORD)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def csrf_client():
    """An API client that enforces CSRF, as a browser session does."""
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def timezone_changes():
    """The (old, new) pairs system_timezone_changed sends while the test runs."""
    from rota_settings.signals import system_timezone_changed

    sent = []

    def record(sender, *, old, new, **kwargs):
        sent.append((old, new))

    system_timezone_changed.connect(record, weak=False)
    yield sent
    system_timezone_changed.disconnect(record)
