"""Secrets never leave the server: not in any response body, not in the logs.

A password (used to sign in through the API, once wrong and once right), the session key
that sign-in gives, and webhook secrets written through the API (on create and on update)
are looked for in every body of a crawl of the site (every GET route, the error answers
and the webhook test call) and in everything logged meanwhile, at DEBUG.
"""

import logging
import secrets

import pytest
from rest_framework.test import APIClient

from rota_core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_passwords_session_keys_and_webhook_secrets_never_appear(objects, routes, url_of, caplog):
    password = f"pw-{secrets.token_urlsafe(18)}"
    admin = UserFactory(username="admin", password=password, is_staff=True, is_superuser=True)
    caplog.set_level(logging.DEBUG)  # from here on: the test's own setup may log the password
    caplog.clear()
    client = APIClient(enforce_csrf_checks=True)
    bodies: list[tuple[str, bytes]] = []

    def record(label, response):
        bodies.append((label, response.content))
        return response

    csrf = record("csrf", client.get("/api/v1/auth/csrf/")).json()["csrfToken"]
    login = {"username": admin.username, "password": password}
    wrong = {**login, "password": password[::-1]}
    assert record("wrong login", client.post(
        "/api/v1/auth/login/", wrong, format="json", HTTP_X_CSRFTOKEN=csrf
    )).status_code == 400  # fmt: skip
    assert record("login", client.post(
        "/api/v1/auth/login/", login, format="json", HTTP_X_CSRFTOKEN=csrf
    )).status_code == 200  # fmt: skip
    session_key = client.cookies["sessionid"].value
    csrf = client.cookies["csrftoken"].value  # rotated by the login

    def write(method, url, data=None):
        response = getattr(client, method)(url, data, format="json", HTTP_X_CSRFTOKEN=csrf)
        record(f"{method.upper()} {url}", response)
        return response

    first, second = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    hook = write("post", "/api/v1/webhooks/", {
        "rota": objects["rota"].pk, "url": "http://127.0.0.1:9/hook", "secret": first,
    })  # fmt: skip
    assert hook.status_code == 201, hook.content
    hook_url = f"/api/v1/webhooks/{hook.json()['id']}/"
    assert write("patch", hook_url, {"secret": second}).status_code == 200
    assert write("patch", hook_url, {"url": "ftp://nowhere"}).status_code == 400
    assert write("post", f"{hook_url}test/").status_code == 200  # signs with the secret

    for route in routes:
        if "get" in route.methods:
            url = url_of(route)
            record(f"GET {url}", client.get(url))
    for url in [
        hook_url,
        "/api/v1/webhooks/?page_size=200",
        f"/admin/rota_notifications/webhooksubscription/{hook.json()['id']}/change/",
        "/api/v1/people/999999/",
    ]:
        record(f"GET {url}", client.get(url))

    secret_values = {
        "password": password,
        "session key": session_key,
        "webhook secret (create)": first,
        "webhook secret (update)": second,
        "seeded webhook secret": objects["webhook"].secret,
    }
    assert len(bodies) > 25
    for what, value in secret_values.items():
        leaks = [label for label, body in bodies if value.encode() in body]
        assert not leaks, f"the {what} appears in: {leaks}"
        logged = [r.getMessage() for r in caplog.records if value in r.getMessage()]
        assert not logged, f"the {what} was logged: {logged}"
        assert value not in caplog.text
