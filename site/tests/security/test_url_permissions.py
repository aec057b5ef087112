"""Access rules checked on every route of the site's URL configuration.

The routes are read from ``get_resolver().url_patterns`` with the methods each view really
serves (see conftest), so a route added later is covered without touching this file, and a
route outside /api/v1/ that is not listed as public fails ``test_every_route_is_classified``
until someone decides.
"""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from rota_core.testing.factories import UserFactory

# Writes a signed-in user without any model permission may make: their own session, their
# own notifications' read state. (Own unavailability and own calendar token need a linked
# person; the user here has none, see the self-service tests below.)
SELF_SERVICE = {
    ("auth-logout", "post"): 204,
    ("notification-read-all", "post"): 200,
    ("notification-read", "post"): 404,  # not the user's notification: hidden, not refused
}


def call(client: APIClient, method: str, url: str, **extra):
    if method in ("post", "put", "patch"):
        return getattr(client, method)(url, {}, format="json", **extra)
    return getattr(client, method)(url, **extra)


def test_every_route_is_classified(routes, public_names):
    unknown = [r.route for r in routes if not r.is_api and r.name not in public_names]
    assert not unknown, f"classify these routes as API or PUBLIC (conftest): {unknown}"
    assert sum(len(r.methods) for r in routes if r.is_api) > 30  # the walk found the API


def test_api_refuses_anonymous_users(api_call, url_of):
    response = call(APIClient(), api_call.method, url_of(api_call.route))

    assert response.status_code == 403, response.content
    assert response.json() == {"detail": "Authentication credentials were not provided."}


def test_unsafe_requests_of_a_signed_in_user_need_the_csrf_token(unsafe_call, url_of):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    url = url_of(unsafe_call.route)

    refused = call(client, unsafe_call.method, url)
    assert refused.status_code == 403, refused.content
    assert refused.json()["detail"].startswith("CSRF Failed")

    token = client.get(reverse("auth-csrf")).json()["csrfToken"]
    accepted = call(client, unsafe_call.method, url, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code != 403, accepted.content


def test_writes_need_the_model_permission(write_call, url_of):
    client = APIClient()
    client.force_login(UserFactory(username="no-perms"))  # signed in, no person, no perms

    response = call(client, write_call.method, url_of(write_call.route))

    expected = SELF_SERVICE.get((write_call.route.name, write_call.method), 403)
    assert response.status_code == expected, response.content


# -- the documented self-service writes, by a user linked to a person, without permissions --


@pytest.fixture
def owner_client(objects):
    client = APIClient()
    client.force_login(objects["owner"])
    return client


def test_a_linked_user_manages_their_own_unavailability_only(objects, owner_client):
    me, other = objects["person"], objects["other_person"]
    span = {"starts_at": "2031-01-01T00:00:00Z", "ends_at": "2031-01-02T00:00:00Z"}

    own = owner_client.post("/api/v1/unavailability/", {"person": me.pk, **span}, format="json")
    assert own.status_code == 201, own.content
    own_url = f"/api/v1/unavailability/{own.json()['id']}/"
    assert owner_client.patch(own_url, {"reason": "trip"}, format="json").status_code == 200
    moved = owner_client.patch(own_url, {"person": other.pk}, format="json")
    assert moved.status_code == 403
    assert owner_client.delete(own_url).status_code == 204

    theirs = owner_client.post(
        "/api/v1/unavailability/", {"person": other.pk, **span}, format="json"
    )
    assert theirs.status_code == 403
    other_url = f"/api/v1/unavailability/{objects['other_unavailability'].pk}/"
    assert owner_client.patch(other_url, {"reason": "x"}, format="json").status_code == 403
    assert owner_client.delete(other_url).status_code == 403


def test_a_linked_user_rotates_their_own_calendar_token_only(objects, owner_client):
    mine = owner_client.post(f"/api/v1/people/{objects['person'].pk}/calendar-token/")
    theirs = owner_client.post(f"/api/v1/people/{objects['other_person'].pk}/calendar-token/")

    assert mine.status_code == 201
    assert theirs.status_code == 403


def test_a_linked_user_marks_their_own_notifications_read(objects, owner_client):
    read = owner_client.post(f"/api/v1/notifications/{objects['notification'].pk}/read/")

    assert read.status_code == 200
    assert read.json()["is_read"] is True
    assert owner_client.post("/api/v1/notifications/read-all/").status_code == 200


def test_the_public_routes_answer_anonymous_users(objects):
    client = APIClient()

    assert client.get(reverse("auth-csrf")).status_code == 200
    wrong = client.post(
        reverse("auth-login"), {"username": "owner", "password": "wrong"}, format="json"
    )
    assert wrong.status_code == 400
    assert client.get(reverse("schema")).status_code == 200
    assert client.get(reverse("api-docs")).status_code == 200
    assert client.get(reverse("health")).status_code in (200, 503)
    feed = reverse("rota-calendar-feed", kwargs={"token": objects["person"].calendar_token})
    assert client.get(feed).status_code == 200


def test_the_admin_sends_anonymous_users_to_its_login(db):
    response = APIClient().get("/admin/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
