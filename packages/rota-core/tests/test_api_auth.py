import pytest
from django.dispatch import receiver

from rota_core.signals import me_extra
from rota_core.testing.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

LOGIN = "/api/v1/auth/login/"
LOGOUT = "/api/v1/auth/logout/"
ME = "/api/v1/auth/me/"
CSRF = "/api/v1/auth/csrf/"
INVALID = {"detail": "Invalid username or password."}


def csrf_token(client):
    response = client.get(CSRF)
    assert response.status_code == 200
    assert response.cookies["csrftoken"].value
    return response.json()["csrfToken"]


def login(client, username, password, **extra):
    return client.post(
        LOGIN,
        {"username": username, "password": password},
        HTTP_X_CSRFTOKEN=csrf_token(client),
        **extra,
    )


# --- csrf ------------------------------------------------------------------------------------


def test_csrf_sets_the_cookie_and_returns_a_token(csrf_client):
    response = csrf_client.get(CSRF)

    assert response.status_code == 200
    assert set(response.json()) == {"csrfToken"}
    assert "csrftoken" in response.cookies


# --- login -----------------------------------------------------------------------------------


def test_login_starts_a_session_and_returns_me(csrf_client, user, person):
    response = login(csrf_client, "alice", "pass")

    assert response.status_code == 200
    assert response.json()["user"]["username"] == "alice"
    assert response.json()["person"] == {
        "id": person.pk,
        "name": "Alice",
        "email": "alice@example.com",
        "timezone": None,
    }
    assert "sessionid" in response.cookies
    assert csrf_client.get(ME).status_code == 200


def test_login_without_csrf_token_is_refused(csrf_client, user):
    response = csrf_client.post(LOGIN, {"username": "alice", "password": "pass"})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]
    assert csrf_client.get(ME).status_code == 403


def test_wrong_password_and_unknown_user_get_the_same_answer(csrf_client, user):
    wrong_password = login(csrf_client, "alice", "nope")
    unknown_user = login(csrf_client, "nobody", "nope")

    assert (wrong_password.status_code, wrong_password.json()) == (400, INVALID)
    assert (unknown_user.status_code, unknown_user.json()) == (400, INVALID)


def test_an_inactive_user_cannot_log_in(csrf_client):
    UserFactory(username="gone", is_active=False)

    response = login(csrf_client, "gone", "pass")

    assert (response.status_code, response.json()) == (400, INVALID)


def test_login_names_missing_fields(csrf_client):
    response = csrf_client.post(LOGIN, {"username": ""}, HTTP_X_CSRFTOKEN=csrf_token(csrf_client))

    assert response.status_code == 400
    assert set(response.json()) == {"username", "password"}


# --- login limits ----------------------------------------------------------------------------


def test_failures_per_username_are_limited_before_the_password_is_checked(
    csrf_client, user, settings
):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME = 3
    settings.ROTA_CORE_LOGIN_WINDOW_SECONDS = 600
    for _ in range(3):
        assert login(csrf_client, "alice", "wrong").status_code == 400

    response = login(csrf_client, "ALICE", "pass")  # right password, other case

    assert response.status_code == 429
    assert 590 <= int(response["Retry-After"]) <= 600
    assert "Too many failed login attempts" in response.json()["detail"]
    assert csrf_client.get(ME).status_code == 403


def test_the_username_limit_does_not_lock_out_other_users(csrf_client, user, settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME = 2
    UserFactory(username="bob")
    for _ in range(2):
        login(csrf_client, "alice", "wrong")

    assert login(csrf_client, "bob", "pass").status_code == 200


def test_a_successful_login_clears_the_counter_of_that_username_and_address(
    csrf_client, user, settings
):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME_AND_IP = 3
    for _ in range(2):
        login(csrf_client, "alice", "wrong")
    assert login(csrf_client, "alice", "pass").status_code == 200
    csrf_client.logout()

    for _ in range(2):
        assert login(csrf_client, "alice", "wrong").status_code == 400
    assert login(csrf_client, "alice", "pass").status_code == 200


def test_guesses_from_other_addresses_do_not_lock_the_real_user_out(csrf_client, user):
    """The defaults: 5 failures per username and address, 50 per username in all."""
    for attacker in range(3):
        answers = [
            login(csrf_client, "alice", f"guess{n}", REMOTE_ADDR=f"198.51.100.{attacker}")
            for n in range(6)
        ]
        assert [a.status_code for a in answers] == [400] * 5 + [429]

    real_user = login(csrf_client, "alice", "pass", REMOTE_ADDR="192.0.2.7")

    assert real_user.status_code == 200


def test_the_username_ceiling_stops_a_guess_spread_over_many_addresses(csrf_client, user):
    for attacker in range(10):
        for n in range(5):
            address = f"198.51.100.{attacker}"
            assert login(csrf_client, "alice", f"guess{n}", REMOTE_ADDR=address).status_code == 400

    fresh_address = login(csrf_client, "alice", "pass", REMOTE_ADDR="203.0.113.1")

    assert fresh_address.status_code == 429
    assert int(fresh_address["Retry-After"]) > 0


def test_failures_per_address_are_limited_across_usernames(csrf_client, user, settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_IP = 4
    for number in range(4):
        login(csrf_client, f"guess{number}", "wrong", REMOTE_ADDR="192.0.2.1")

    blocked = login(csrf_client, "alice", "pass", REMOTE_ADDR="192.0.2.1")
    elsewhere = login(csrf_client, "alice", "pass", REMOTE_ADDR="192.0.2.2")

    assert blocked.status_code == 429
    assert int(blocked["Retry-After"]) > 0
    assert elsewhere.status_code == 200


def test_a_forged_forwarded_for_neither_resets_nor_dodges_the_address_limit(
    csrf_client, user, settings
):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_IP = 4
    for number in range(4):
        login(
            csrf_client,
            f"guess{number}",
            "wrong",
            REMOTE_ADDR="192.0.2.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{number}",
        )

    response = login(
        csrf_client, "alice", "pass", REMOTE_ADDR="192.0.2.1", HTTP_X_FORWARDED_FOR="203.0.113.9"
    )

    assert response.status_code == 429


def test_behind_a_proxy_the_address_it_saw_is_limited(csrf_client, user, settings):
    settings.ROTA_CORE_NUM_PROXIES = 1
    settings.ROTA_CORE_LOGIN_FAILURES_PER_IP = 2
    proxy = {"REMOTE_ADDR": "10.0.0.1"}
    for number in range(2):
        login(
            csrf_client,
            f"guess{number}",
            "wrong",
            HTTP_X_FORWARDED_FOR=f"6.6.6.{number}, 192.0.2.1",
            **proxy,
        )

    same_client = login(
        csrf_client, "alice", "pass", HTTP_X_FORWARDED_FOR="7.7.7.7, 192.0.2.1", **proxy
    )
    other_client = login(csrf_client, "alice", "pass", HTTP_X_FORWARDED_FOR="192.0.2.2", **proxy)

    assert same_client.status_code == 429
    assert other_client.status_code == 200


# --- logout ----------------------------------------------------------------------------------


def test_logout_ends_the_session(csrf_client, user):
    login(csrf_client, "alice", "pass")

    response = csrf_client.post(LOGOUT, HTTP_X_CSRFTOKEN=csrf_client.cookies["csrftoken"].value)

    assert response.status_code == 204
    assert csrf_client.get(ME).status_code == 403


def test_logout_without_csrf_token_is_refused(csrf_client, user):
    csrf_client.force_login(user)

    response = csrf_client.post(LOGOUT)

    assert response.status_code == 403
    assert csrf_client.get(ME).status_code == 200


def test_logout_when_anonymous_is_refused(api_client):
    assert api_client.post(LOGOUT).status_code == 403


# --- me --------------------------------------------------------------------------------------


def test_me_describes_the_user_person_and_permissions(user_client, user, grant):
    user.first_name, user.email = "Alice", "alice@corp.example"
    user.save()
    grant(user, "view_person", "add_unavailability")

    response = user_client.get(ME)

    assert response.status_code == 200
    body = response.json()
    # Other installed apps may add keys through me_extra; these three are ours.
    assert {key: body[key] for key in ("user", "person", "permissions")} == {
        "user": {
            "id": user.pk,
            "username": "alice",
            "email": "alice@corp.example",
            "first_name": "Alice",
            "last_name": "",
            "is_staff": False,
            "is_superuser": False,
        },
        "person": None,
        "permissions": ["rota_core.add_unavailability", "rota_core.view_person"],
    }


def test_me_includes_the_linked_person(user_client, user):
    person = PersonFactory(user=user, timezone="Europe/Oslo")

    response = user_client.get(ME)

    assert response.json()["person"] == {
        "id": person.pk,
        "name": person.name,
        "email": person.email,
        "timezone": "Europe/Oslo",
    }


def test_me_merges_what_me_extra_receivers_return(user_client, user):
    calls = []

    @receiver(me_extra)
    def unread(sender, request, user, **kwargs):
        calls.append((sender, request.path, user.username))
        return {"unread_notifications": 3}

    @receiver(me_extra)
    def nothing(sender, **kwargs):
        return None

    try:
        response = user_client.get(ME)
    finally:
        me_extra.disconnect(unread)
        me_extra.disconnect(nothing)

    assert response.json()["unread_notifications"] == 3
    assert calls == [(None, ME, "alice")]


def test_me_when_anonymous_is_refused(api_client):
    assert api_client.get(ME).status_code == 403
