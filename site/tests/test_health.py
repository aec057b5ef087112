import pytest
from celery import current_app
from django.test import override_settings
from rest_framework.test import APIClient

from rota_core.testing.factories import UserFactory
from rota_site.settings.base import redis_cache

UNREACHABLE_REDIS = "redis://127.0.0.1:1/0"


@pytest.fixture
def unreachable_broker():
    previous = current_app.conf.broker_url
    current_app.conf.broker_url = UNREACHABLE_REDIS
    yield
    current_app.conf.broker_url = previous


@pytest.mark.django_db
def test_health_is_public_and_reports_every_check(client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "cache": "ok", "broker": "ok"},
    }


@pytest.mark.django_db
def test_health_answers_503_naming_the_broker_when_redis_is_unreachable(client, unreachable_broker):
    response = client.get("/health/")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["broker"].startswith("error")
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_health_answers_503_when_the_redis_cache_is_unreachable(client):
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": UNREACHABLE_REDIS,
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    }
    with override_settings(CACHES=caches):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"].startswith("error")


@pytest.mark.django_db
def test_with_the_sites_redis_cache_unreachable_health_names_it_and_the_api_serves():
    """The deployed cache (django-redis, IGNORE_EXCEPTIONS) on a Redis that is down: no
    500 anywhere, sign-in (whose failure counters live in the cache) included."""
    UserFactory(username="ada")
    client = APIClient(enforce_csrf_checks=True)
    with override_settings(CACHES={"default": redis_cache(UNREACHABLE_REDIS)}):
        health = client.get("/health/")
        token = client.get("/api/v1/auth/csrf/").json()["csrfToken"]
        wrong = client.post(
            "/api/v1/auth/login/", {"username": "ada", "password": "no"}, HTTP_X_CSRFTOKEN=token
        )
        signed_in = client.post(
            "/api/v1/auth/login/", {"username": "ada", "password": "pass"}, HTTP_X_CSRFTOKEN=token
        )
        people = client.get("/api/v1/people/")

    assert health.status_code == 503
    assert health.json()["checks"]["cache"] == "error: CacheUnavailable"
    assert wrong.status_code == 400
    assert signed_in.status_code == 200
    assert people.status_code == 200


@pytest.mark.django_db
def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405
