import pytest
from celery import current_app
from django.test import override_settings

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
def test_health_refuses_writes(client):
    assert client.post("/health/").status_code == 405
