import pytest

PREFLIGHT = {
    "HTTP_ACCESS_CONTROL_REQUEST_METHOD": "POST",
    "HTTP_ACCESS_CONTROL_REQUEST_HEADERS": "content-type,x-csrftoken",
}


@pytest.mark.parametrize(
    "origin", ["http://localhost:3000", "http://localhost:8080", "http://127.0.0.1:8080"]
)
def test_preflight_from_an_allowed_spa_origin_allows_credentials_and_the_csrf_header(
    client, origin
):
    response = client.options("/api/v1/auth/login/", HTTP_ORIGIN=origin, **PREFLIGHT)
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == origin
    assert response["Access-Control-Allow-Credentials"] == "true"
    assert "x-csrftoken" in response["Access-Control-Allow-Headers"].lower()
    assert "POST" in response["Access-Control-Allow-Methods"]


def test_preflight_from_another_origin_gets_no_cors_grant(client):
    response = client.options("/api/v1/auth/login/", HTTP_ORIGIN="http://evil.example", **PREFLIGHT)
    assert "Access-Control-Allow-Origin" not in response
    assert "Access-Control-Allow-Credentials" not in response


@pytest.mark.django_db
def test_csrf_endpoint_sets_a_cookie_the_spa_can_read_and_returns_the_token(client):
    response = client.get("/api/v1/auth/csrf/", HTTP_ORIGIN="http://localhost:8080")
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "http://localhost:8080"
    cookie = response.cookies["csrftoken"]
    assert not cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert response.json()["csrfToken"]


def test_trusted_origins_default_to_the_spa_origins(settings):
    for origin in ("http://localhost:8080", "http://127.0.0.1:8080", "http://localhost:3000"):
        assert origin in settings.CSRF_TRUSTED_ORIGINS
