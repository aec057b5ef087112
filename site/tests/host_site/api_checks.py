"""The rota API as docs/api.md documents it, served by a host site whose REST_FRAMEWORK
differs in every policy (host_site/settings.py). Run by site/tests/test_host_site.py in a
child pytest with DJANGO_SETTINGS_MODULE=host_site.settings; not collected by the suite."""

from datetime import UTC, date, datetime

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling.testing.factories import RotaFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/"
PAGE_KEYS = {"count", "next", "previous", "results"}
LISTS = ["people/", "unavailability/", "rotas/", "shifts/", "overrides/"]
LISTS += ["notifications/", "webhooks/"]
SIGNED_IN_ONLY = [*LISTS, "oncall/", "settings/", "auth/me/"]


@pytest.fixture
def client() -> APIClient:
    return APIClient(enforce_csrf_checks=True)


@pytest.fixture
def admin(db):
    return UserFactory(username="host-admin", is_staff=True, is_superuser=True)


def sign_in(client: APIClient, username: str) -> dict:
    """As the SPA does: auth/csrf/, then auth/login/ with X-CSRFToken; later unsafe requests
    send the token of the cookie login left (Django rotates it at sign-in)."""
    token = client.get(f"{API}auth/csrf/").json()["csrfToken"]
    response = client.post(
        f"{API}auth/login/",
        {"username": username, "password": "pass"},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.content
    client.credentials(HTTP_X_CSRFTOKEN=client.cookies["csrftoken"].value)
    return response.json()


@pytest.fixture
def admin_client(client, admin) -> APIClient:
    sign_in(client, admin.username)
    return client


def test_session_sign_in_needs_the_csrf_token(client, admin):
    refused = client.post(
        f"{API}auth/login/", {"username": admin.username, "password": "pass"}, format="json"
    )
    assert refused.status_code == 403
    assert set(refused.json()) == {"detail"}
    assert refused.json()["detail"].startswith("CSRF Failed")

    assert sign_in(client, admin.username)["user"]["username"] == admin.username
    assert client.get(f"{API}auth/me/").status_code == 200
    assert client.post(f"{API}auth/logout/").status_code == 204
    assert client.get(f"{API}auth/me/").status_code == 403


@pytest.mark.parametrize("path", SIGNED_IN_ONLY)
def test_anonymous_gets_403_with_detail_not_the_hosts_401_or_200(client, path):
    response = client.get(f"{API}{path}")

    assert response.status_code == 403
    assert response.json() == {"detail": "Authentication credentials were not provided."}
    assert "WWW-Authenticate" not in response.headers


def test_the_hosts_token_works_on_its_own_api_only(client, admin):
    token = Token.objects.create(user=admin).key
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")

    assert client.get("/host/users/")["Content-Type"].startswith("text/html")  # browsable
    UserFactory.create_batch(2)
    own = client.get("/host/users/", HTTP_ACCEPT="application/json")
    assert own.status_code == 200
    assert len(own.json()["results"]) == 2 and "limit=2&offset=2" in own.json()["next"]
    missing = client.get("/host/users/999999/", HTTP_ACCEPT="application/json")
    assert missing.json() == {
        "error": {"status": 404, "message": "No User matches the given query."}
    }

    assert client.get(f"{API}people/").status_code == 403  # the rota API is session only


def test_lists_are_page_number_pages_with_page_and_page_size(admin_client):
    PersonFactory.create_batch(3)

    whole = admin_client.get(f"{API}people/").json()
    assert whole["count"] == 3 and len(whole["results"]) == 3  # default page size 50
    first = admin_client.get(f"{API}people/", {"page_size": 2}).json()
    assert set(first) == PAGE_KEYS
    assert len(first["results"]) == 2 and first["previous"] is None
    assert "page=2" in first["next"] and "page_size=2" in first["next"]
    second = admin_client.get(first["next"]).json()
    assert len(second["results"]) == 1 and second["next"] is None
    assert admin_client.get(f"{API}people/", {"page": 9}).json() == {"detail": "Invalid page."}
    bad_size = admin_client.get(f"{API}people/", {"page_size": 0})
    assert bad_size.status_code == 400 and set(bad_size.json()) == {"page_size"}
    for path in LISTS:
        assert set(admin_client.get(f"{API}{path}").json()) == PAGE_KEYS, path


def test_filters_are_the_documented_ones(admin_client):
    PersonFactory(is_active=False)
    PersonFactory.create_batch(2)

    assert admin_client.get(f"{API}people/", {"is_active": "false"}).json()["count"] == 1
    refused = admin_client.get(f"{API}people/", {"is_active": "perhaps"})
    assert refused.status_code == 400 and set(refused.json()) == {"is_active"}


def test_bodies_are_json_only_and_answers_json_whatever_the_accept(admin_client):
    created = admin_client.post(
        f"{API}people/", {"name": "Ada", "email": "ada@example.com"}, format="json"
    )
    assert created.status_code == 201
    form = admin_client.post(f"{API}people/", {"name": "Bob", "email": "bob@example.com"})
    assert form.status_code == 415 and set(form.json()) == {"detail"}

    for accept in ("*/*", "text/html;q=0.9, */*;q=0.8"):
        answer = admin_client.get(f"{API}people/", HTTP_ACCEPT=accept)
        assert answer["Content-Type"] == "application/json", accept


def test_errors_have_the_documented_bodies(admin_client):
    invalid = admin_client.post(f"{API}people/", {"name": "", "email": "nope"}, format="json")
    assert invalid.status_code == 400
    assert set(invalid.json()) == {"name", "email"}
    assert all(isinstance(messages, list) for messages in invalid.json().values())

    for path in ("people/999999/", "rotas/999999/", "webhooks/999999/"):
        missing = admin_client.get(f"{API}{path}")
        assert missing.status_code == 404 and set(missing.json()) == {"detail"}, path

    ada = PersonFactory(name="Ada")
    RotaFactory(members=[ada], starts_on=date(2026, 1, 5), now=datetime(2026, 1, 6, 12, tzinfo=UTC))
    conflict = admin_client.delete(f"{API}people/{ada.pk}/")
    assert conflict.status_code == 409
    assert conflict.json()["detail"].startswith("Cannot delete this person")

    zone = admin_client.patch(f"{API}settings/", {"timezone": "Mars/Olympus"}, format="json")
    assert zone.status_code == 400 and set(zone.json()) == {"timezone"}
