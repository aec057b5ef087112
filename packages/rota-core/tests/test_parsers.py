"""Bodies nested too deeply are a 400, never a 500 (rota_core.api.parsers.JSONParser)."""

import pytest

pytestmark = pytest.mark.django_db


def nested(depth: int) -> str:
    return '{"username": ' + "[" * depth + "]" * depth + ', "password": "x"}'


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_a_deeply_nested_login_body_is_a_400(api_client, depth):
    response = api_client.post(
        "/api/v1/auth/login/", nested(depth), content_type="application/json"
    )

    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_a_deeply_nested_body_to_people_is_a_400(staff_client):
    body = (
        '{"name": "Ada", "email": "ada@example.com", "timezone": ' + "[" * 1000 + "]" * 1000 + "}"
    )

    response = staff_client.post("/api/v1/people/", body, content_type="application/json")

    assert response.status_code == 400
    assert "nested more than 32 levels" in response.json()["detail"]


def test_a_body_at_the_depth_limit_is_parsed(api_client):
    body = '{"username": ' + "[" * 31 + "]" * 31 + ', "password": "x"}'

    response = api_client.post("/api/v1/auth/login/", body, content_type="application/json")

    assert response.status_code == 400
    assert response.json() == {"username": ["Not a valid string."]}
