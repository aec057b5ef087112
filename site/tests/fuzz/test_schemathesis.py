"""Fuzz every operation of /api/schema/ with schemathesis, signed in (draft)."""

import pytest
import schemathesis
from django.contrib.auth import get_user_model
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings

schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
schema.config.generation.update(max_examples=8, deterministic=True, with_security_parameters=False)
APP = WSGIHandler()


@pytest.fixture
def wsgi_app():
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield APP
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def session_headers(db):
    user = get_user_model().objects.create_superuser("fuzz", "fuzz@example.com", "pw-fuzz-123")
    client = Client()
    client.force_login(user)
    csrf = _get_new_csrf_string()
    return {
        "cookies": {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf},
        "headers": {"X-CSRFToken": csrf},
    }


@schema.parametrize()
@settings(max_examples=8, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck))
def test_api(case, session_headers, wsgi_app):
    with transaction.atomic():
        case.call_and_validate(app=wsgi_app, **session_headers)
        transaction.set_rollback(True)
