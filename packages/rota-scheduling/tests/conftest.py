"""Fixtures for this app's tests; they run under tests.settings and under the site's settings."""

import copy
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling import signals as rota_signals

# A fixed instant the tests act at (a Monday); every service call passes it as now=.
NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _isolated_cache(settings):
    """Every test gets a cache namespace of its own, dropped with it.

    A fresh KEY_PREFIX rather than ``cache.clear()``: on a shared Redis that is FLUSHDB,
    which would also empty the Celery broker and other runs' keys.
    """
    caches = copy.deepcopy(settings.CACHES)
    for config in caches.values():
        config["KEY_PREFIX"] = f"{config.get('KEY_PREFIX', '')}:test-{uuid.uuid4().hex}"
    settings.CACHES = caches
    settings.ROTA_SETTINGS_CACHE_KEY = f"rota_settings:test:{uuid.uuid4().hex}:timezone"


@pytest.fixture
def now():
    return NOW


@pytest.fixture
def people(db):
    """Four active people, A B C D."""
    return [PersonFactory(name=name, email=f"{name.lower()}@example.com") for name in "ABCD"]


@pytest.fixture
def staff_user(db):
    """A staff user holding every rota_scheduling permission (and nothing else)."""
    user = UserFactory(username="scheduler", is_staff=True)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="rota_scheduling"))
    return user


@pytest.fixture
def reader(db):
    """A signed-in user without any permission."""
    return UserFactory(username="reader")


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def staff_client(api_client, staff_user):
    api_client.force_login(staff_user)
    return api_client


@pytest.fixture
def reader_client(api_client, reader):
    api_client.force_login(reader)
    return api_client


@pytest.fixture
def csrf_client():
    """A client that, like a browser, must send the CSRF token on unsafe requests."""
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def client_for(db):
    """``client_for(user)``: a client of its own signed in as ``user``; ``client_for(None)``
    is anonymous. (``staff_client`` and ``reader_client`` share one ``api_client``.)"""

    def make(user):
        client = APIClient()
        if user is not None:
            client.force_login(user)
        return client

    return make


@dataclass
class Sent:
    """Signals sent while a test runs, by name: each a list of the keyword arguments.

    ``shifts_started`` holds each send's ``starts``; ``shift_started`` their items, one dict
    (rota, shift, person, override) per started shift, in order."""

    shifts_started: list = field(default_factory=list)
    shift_started: list = field(default_factory=list)
    shift_upcoming: list = field(default_factory=list)
    override_started: list = field(default_factory=list)
    schedule_changed: list = field(default_factory=list)

    def clear(self) -> None:
        for sent in vars(self).values():
            sent.clear()


@pytest.fixture
def signals():
    """Record shifts_started, shift_upcoming, override_started and schedule_changed sends."""
    sent = Sent()
    receivers = []

    def recorder(into: list):
        def record(sender, signal, **kwargs):
            into.append(kwargs)

        return record

    def record_starts(sender, signal, *, starts, **kwargs):
        sent.shifts_started.append(starts)
        sent.shift_started.extend(start._asdict() for start in starts)

    for name in ("shift_upcoming", "override_started", "schedule_changed"):
        record = recorder(getattr(sent, name))
        getattr(rota_signals, name).connect(record, weak=False)
        receivers.append((getattr(rota_signals, name), record))
    rota_signals.shifts_started.connect(record_starts, weak=False)
    receivers.append((rota_signals.shifts_started, record_starts))
    yield sent
    for signal, receiver in receivers:
        signal.disconnect(receiver)


@pytest.fixture
def make_rota(db):
    """``make_rota(members, **fields)``: a rota created through the service at ``now`` (default
    NOW); weekly from NOW's date at 09:00 UTC unless given."""
    from rota_scheduling.testing.factories import RotaFactory

    def make(members=(), *, now=NOW, **fields):
        fields.setdefault("starts_on", NOW.date())
        return RotaFactory(members=list(members), now=now, **fields)

    return make


@pytest.fixture
def held_by():
    """``held_by(rota)``: the names of the holders of its stored shifts, in order."""

    def names(rota) -> list[str]:
        shifts = rota.shifts.select_related("person").order_by("starts_at")
        return [shift.person.name for shift in shifts]

    return names
