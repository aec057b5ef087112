"""The admin's sign-in page counts failures with the API login's limits (rota_core.admin_login)."""

import pytest

from rota_core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

ADMIN_LOGIN = "/admin/login/?next=/admin/"


def admin_login(client, username, password, ip="192.0.2.1"):
    return client.post(ADMIN_LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def staff(db):
    return UserFactory(username="root", password="right", is_staff=True, is_superuser=True)


def test_wrong_admin_logins_are_refused_with_429_once_the_limit_is_used_up(client, staff):
    answers = [admin_login(client, "root", f"wrong-{n}").status_code for n in range(5)]

    locked = admin_login(client, "root", "right")

    assert answers == [200] * 5  # the form again, with its error
    assert locked.status_code == 429
    assert 0 < int(locked["Retry-After"]) <= 900
    assert b"Too many failed login attempts" in locked.content
    assert client.get("/admin/").status_code == 302  # still signed out


def test_admin_and_api_failures_count_together(client, staff, settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME_AND_IP = 4
    for n in range(2):
        admin_login(client, "root", f"wrong-{n}")
    for n in range(2):
        api = client.post(
            "/api/v1/auth/login/",
            {"username": "root", "password": f"wrong-{n}"},
            content_type="application/json",
            REMOTE_ADDR="192.0.2.1",
        )
        assert api.status_code == 400

    assert admin_login(client, "root", "right").status_code == 429
    api = client.post(
        "/api/v1/auth/login/",
        {"username": "root", "password": "right"},
        content_type="application/json",
        REMOTE_ADDR="192.0.2.1",
    )
    assert api.status_code == 429


def test_the_right_password_under_the_limit_signs_in(client, staff):
    admin_login(client, "root", "wrong")

    response = admin_login(client, "root", "right")

    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_a_non_staff_users_right_password_is_refused_but_not_counted(client, settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME_AND_IP = 1
    UserFactory(username="sam", password="right")

    first = admin_login(client, "sam", "right")
    second = admin_login(client, "sam", "right")

    assert (first.status_code, second.status_code) == (200, 200)
    assert b"staff account" in second.content
