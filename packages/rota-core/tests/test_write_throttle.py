"""Writes per signed-in user are limited (rota_core.api.throttling.WriteRateThrottle); these
tests run with no ROTA_CORE_WRITE_RATE set, so they prove the default of 120 a minute."""

import pytest
from django.contrib.auth.models import Permission
from rest_framework.test import APIClient

from rota_core.api.throttling import WriteRateThrottle
from rota_core.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def default_rate(unset_settings):
    unset_settings("ROTA_CORE_WRITE_RATE")  # the site's test settings raise it


@pytest.fixture
def clock(monkeypatch):
    """The throttle's clock, fixed at a known instant and moved by hand."""
    now = [1_900_000_000.0]
    monkeypatch.setattr(WriteRateThrottle, "timer", staticmethod(lambda: now[0]))
    return now


def editor(username: str) -> APIClient:
    user = UserFactory(username=username)
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="rota_core"))
    client = APIClient()
    client.force_login(user)
    return client


def test_the_121st_write_in_a_minute_is_429_while_another_user_still_writes(clock):
    person = PersonFactory(name="Ada")
    url = f"/api/v1/people/{person.pk}/"
    ann, bob = editor("ann"), editor("bob")

    answers = [ann.patch(url, {"name": f"Ada {n}"}).status_code for n in range(120)]
    clock[0] += 59
    refused = ann.patch(url, {"name": "Ada again"})
    other_user = bob.patch(url, {"name": "Ada by Bob"})
    read = ann.get(url)

    assert answers == [200] * 120
    assert refused.status_code == 429
    assert refused["Retry-After"] == "1"  # the oldest of the 120 leaves the window in 1 s
    assert other_user.status_code == 200
    assert read.status_code == 200
    assert read.json()["name"] == "Ada by Bob"


def test_writes_are_allowed_again_once_the_minute_has_passed(clock):
    ann = editor("ann")
    for _ in range(120):
        ann.post("/api/v1/people/", {"name": "", "email": "x"})  # refused (400), still counted
    assert ann.post("/api/v1/people/", {}).status_code == 429

    clock[0] += 60

    assert (
        ann.post("/api/v1/people/", {"name": "Ada", "email": "ada@example.com"}).status_code == 201
    )


def test_reads_are_not_throttled(clock):
    ann = editor("ann")
    for _ in range(120):
        ann.delete("/api/v1/unavailability/999999/")  # 404, still a write attempt

    assert ann.delete("/api/v1/unavailability/999999/").status_code == 429
    assert ann.get("/api/v1/people/").status_code == 200
    assert ann.get("/api/v1/unavailability/").status_code == 200
