import copy
import uuid

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from rota_core.testing.factories import PersonFactory, UserFactory


@pytest.fixture(autouse=True)
def _empty_cache(settings):
    """Every test starts with an empty cache, so login counters never leak between tests.

    Done with a fresh KEY_PREFIX rather than ``cache.clear()``: on Redis that is FLUSHDB,
    which would also empty the Celery broker and any other run sharing the database.
    """
    caches = copy.deepcopy(settings.CACHES)
    for config in caches.values():
        config["KEY_PREFIX"] = f"{config.get('KEY_PREFIX', '')}:test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def unset_settings(settings):
    """``unset_settings("ROTA_CORE_X", ...)``: as if the site had never set them.

    pytest-django's ``del settings.X`` sends no ``setting_changed``, so rota-core's settings
    cache is dropped by hand here, and again at the end (restoring sends none either).
    """
    from rota_core.conf import app_settings

    def unset(*names: str) -> None:
        for name in names:
            if hasattr(settings, name):
                delattr(settings, name)
        app_settings.reload(setting=app_settings.prefix)

    yield unset
    app_settings.reload(setting=app_settings.prefix)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def csrf_client():
    """A client that, like a browser, must send the CSRF token on unsafe requests."""
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def user(db):
    return UserFactory(username="alice")


@pytest.fixture
def staff_user(db):
    """A staff user holding every rota_core permission (and nothing else)."""
    user = UserFactory(username="admin", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="rota_core"))
    return user


@pytest.fixture
def person(db, user):
    """The person linked to ``user``."""
    return PersonFactory(name="Alice", email="alice@example.com", user=user)


@pytest.fixture
def user_client(api_client, user):
    api_client.force_login(user)
    return api_client


@pytest.fixture
def staff_client(api_client, staff_user):
    api_client.force_login(staff_user)
    return api_client


@pytest.fixture
def grant(db):
    """``grant(user, "add_person", ...)``: give rota_core permissions by codename."""

    def grant(user, *codenames):
        permissions = Permission.objects.filter(
            content_type__app_label="rota_core", codename__in=codenames
        )
        assert len(permissions) == len(codenames), codenames
        user.user_permissions.add(*permissions)
        for cache_name in ("_perm_cache", "_user_perm_cache"):
            user.__dict__.pop(cache_name, None)

    return grant
