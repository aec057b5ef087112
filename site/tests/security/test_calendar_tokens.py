"""Calendar feed tokens: unguessable (at least 128 bits from the system's CSPRNG) and
rotatable, with the old feed URL dead at once."""

import re
import secrets
from unittest import mock

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

URLSAFE = re.compile(r"^[A-Za-z0-9_-]+$")


def token_of(calendar_url: str) -> str:
    return calendar_url.rsplit("/", 1)[-1].removesuffix(".ics")


@pytest.fixture
def csprng_spy():
    """Which tokens came out of ``secrets.token_urlsafe`` (the system CSPRNG), from how
    many random bytes."""
    drawn: dict[str, int] = {}
    real = secrets.token_urlsafe

    def token_urlsafe(nbytes=None):
        token = real(nbytes)
        drawn[token] = nbytes
        return token

    with mock.patch("secrets.token_urlsafe", token_urlsafe):
        yield drawn


def assert_strong(token: str, drawn: dict[str, int]) -> None:
    assert URLSAFE.match(token), token
    assert token in drawn, "the token does not come from secrets.token_urlsafe"
    assert drawn[token] * 8 >= 128, f"{drawn[token]} random bytes"


def test_new_people_and_rotas_get_tokens_of_at_least_128_random_bits(superuser_client, csprng_spy):
    person = superuser_client.post(
        "/api/v1/people/", {"name": "Ada", "email": "ada@example.com"}, format="json"
    )
    assert person.status_code == 201
    rota = superuser_client.post(
        "/api/v1/rotas/",
        {"name": "Ops", "cadence": "weekly", "starts_on": "2030-01-07", "members": []},
        format="json",
    )
    assert rota.status_code == 201, rota.content

    assert_strong(token_of(rota.json()["calendar_url"]), csprng_spy)
    rotated = superuser_client.post(f"/api/v1/people/{person.json()['id']}/calendar-token/")
    assert_strong(rotated.json()["calendar_token"], csprng_spy)


def test_rotating_a_person_token_kills_the_old_feed_url(objects, superuser_client, client):
    person = objects["person"]
    old_feed = f"/calendar/{person.calendar_token}.ics"
    assert client.get(old_feed).status_code == 200

    response = superuser_client.post(f"/api/v1/people/{person.pk}/calendar-token/")

    assert response.status_code == 201
    body = response.json()
    assert body["calendar_token"] != person.calendar_token
    assert client.get(old_feed).status_code == 404
    new_feed = client.get(f"/calendar/{body['calendar_token']}.ics")
    assert new_feed.status_code == 200
    assert new_feed["Content-Type"].startswith("text/calendar")
    assert token_of(body["calendar_url"]) == body["calendar_token"]


def test_an_unknown_token_is_404_and_says_nothing_more(client, db):
    response = client.get(f"/calendar/{secrets.token_urlsafe(32)}.ics")

    assert response.status_code == 404
    assert b"BEGIN:VCALENDAR" not in response.content


# -- tokens end with access (issue 11) ---------------------------------------------------------


def test_rotating_a_rota_token_kills_the_old_feed_url(objects, superuser_client, client):
    rota = objects["rota"]
    old_feed = f"/calendar/{rota.calendar_token}.ics"
    assert client.get(old_feed).status_code == 200

    response = superuser_client.post(f"/api/v1/rotas/{rota.pk}/calendar-token/")

    assert response.status_code == 201
    body = response.json()
    assert client.get(old_feed).status_code == 404
    assert client.get(f"/calendar/{body['calendar_token']}.ics").status_code == 200
    listed = superuser_client.get(f"/api/v1/rotas/{rota.pk}/").json()["calendar_url"]
    assert listed == body["calendar_url"]


def test_rotating_a_rota_token_needs_the_change_permission(objects):
    viewer = APIClient()
    viewer.force_login(objects["owner"])  # a member of the rota, without permissions

    response = viewer.post(f"/api/v1/rotas/{objects['rota'].pk}/calendar-token/")

    assert response.status_code == 403


@pytest.mark.parametrize(
    "change", [{"is_active": False}, {"user": None}], ids=["deactivated", "unlinked"]
)
def test_a_person_losing_access_kills_their_old_feed_url(objects, superuser_client, client, change):
    person = objects["person"]
    old_feed = f"/calendar/{person.calendar_token}.ics"
    assert client.get(old_feed).status_code == 200

    response = superuser_client.patch(f"/api/v1/people/{person.pk}/", change, format="json")

    assert response.status_code == 200, response.content
    assert client.get(old_feed).status_code == 404
