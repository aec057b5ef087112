"""A JSON body nested 1000 levels deep made the anonymous login answer 500 (RecursionError).
Every app's API parses with rota_core's parser: such a body is a 400 everywhere."""

import pytest

from rota_core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

DEEP = "[" * 1000 + "]" * 1000


def test_the_anonymous_login_answers_400(client):
    body = f'{{"username": {DEEP}, "password": "x"}}'

    response = client.post("/api/v1/auth/login/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]


@pytest.mark.parametrize(
    ("method", "url", "body"),
    [
        ("post", "/api/v1/rotas/", f'{{"name": "Ops", "weekdays": {DEEP}}}'),
        ("post", "/api/v1/webhooks/", f'{{"url": "https://example.com/", "events": {DEEP}}}'),
        ("patch", "/api/v1/settings/", f'{{"timezone": {DEEP}}}'),
    ],
    ids=["scheduling", "notifications", "settings"],
)
def test_every_app_answers_400(client, method, url, body):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    response = getattr(client, method)(url, body, content_type="application/json")

    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]
