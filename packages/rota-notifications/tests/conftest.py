import copy
import time
import uuid
from contextlib import contextmanager
from datetime import date
from datetime import time as wall_time

import pytest
from django.conf import settings as django_settings
from rest_framework.test import APIClient

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_notifications.testing.receiver import WebhookReceiver


@pytest.fixture(autouse=True)
def _own_cache_prefix(settings):
    """A fresh cache key prefix per test (never FLUSHDB a shared Redis)."""
    caches = copy.deepcopy(settings.CACHES)
    for config in caches.values():
        config["KEY_PREFIX"] = f"{config.get('KEY_PREFIX', '')}:test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture(autouse=True)
def _fast_retries(settings):
    settings.ROTA_NOTIFICATIONS_RETRY_BASE_SECONDS = 0.2
    settings.ROTA_NOTIFICATIONS_RETRY_MAX_SECONDS = 2.0
    settings.ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS = True


def celery_app():
    if django_settings.ROOT_URLCONF == "tests.urls":  # standalone run of this package
        from tests.celery_app import app
    else:
        from rota_site.celery import app
    return app


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker (threads pool) consuming the configured broker: Redis when
    REDIS_URL is set, kombu's filesystem transport otherwise. Not eager mode."""
    from celery.contrib.testing.worker import start_worker

    app = celery_app()
    app.control.purge()
    with start_worker(
        app, pool="threads", concurrency=2, perform_ping_check=False, shutdown_timeout=10
    ) as worker:
        yield worker


@contextmanager
def broker_unreachable(app):
    """Point the app at a closed port: publishing fails at once, as in a broker outage."""
    previous = app.conf.broker_url
    app.conf.broker_url = "amqp://guest:guest@127.0.0.1:1//"
    _reset_producer_pool(app)
    try:
        yield
    finally:
        app.conf.broker_url = previous
        _reset_producer_pool(app)


def _reset_producer_pool(app) -> None:
    app._pool = None
    app.amqp._producer_pool = None


@pytest.fixture
def receiver():
    with WebhookReceiver() as server:
        yield server


@pytest.fixture
def people(db):
    return [
        PersonFactory(name=name, email=f"{name.lower()}@example.com")
        for name in ("Ada", "Grace", "Alan", "Kay")
    ]


def make_rota(members, **fields):
    from rota_scheduling.services import rota_create

    defaults = {
        "name": f"Ops {uuid.uuid4().hex[:6]}",
        "cadence": "weekly",
        "starts_on": date(2026, 1, 5),
        "handoff_time": wall_time(9, 0),
    }
    return rota_create(fields={**defaults, **fields}, members=[p.pk for p in members])


@pytest.fixture
def rota_factory():
    return make_rota


def _wait_until(predicate, timeout: float = 30.0, interval: float = 0.1):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError("condition not met in time")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def linked_user(db, people):
    user = UserFactory(username="ada")
    people[0].user = user
    people[0].save(update_fields=["user"])
    return user


@pytest.fixture
def wait_until():
    return _wait_until


@pytest.fixture
def outage():
    """``with outage(): ...`` — the broker is unreachable inside the block."""
    return lambda: broker_unreachable(celery_app())
