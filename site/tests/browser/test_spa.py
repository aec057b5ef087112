"""The SPA's side of session auth, CSRF and CORS, in a real browser.

The page's own JavaScript (spa/app.js) makes every call, cross-origin with
``credentials: "include"`` and the X-CSRFToken header, exactly as docs/csrf-cors.md tells
an SPA to.
"""

import datetime as dt

import pytest
from django.contrib.auth.models import Permission

from rota_core.models import Person
from rota_core.testing.factories import UserFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PASSWORD = "correct horse battery staple"


@pytest.fixture
def planner(db):
    """A user who may add people and rotas (and nothing else)."""
    user = UserFactory(username="planner", password=PASSWORD)
    user.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label__in=["rota_core", "rota_scheduling"],
            codename__in=["add_person", "add_rota"],
        )
    )
    return user


def open_spa(page, origin: str, api_url: str) -> None:
    page.goto(f"{origin}/index.html?api={api_url}")
    page.wait_for_function("window.rota !== undefined")


def test_the_spa_signs_in_writes_reads_and_signs_out(page, spa_url, api_url, planner, screenshot):
    open_spa(page, spa_url, api_url)

    csrf = page.evaluate("rota.csrf()")
    assert csrf["status"] == 200 and csrf["body"]["csrfToken"]
    screenshot("spa-01-csrf")

    login = page.evaluate("([u, p]) => rota.login(u, p)", ["planner", PASSWORD])
    assert login["status"] == 200, login
    screenshot("spa-02-login")

    me = page.evaluate("rota.me()")
    assert me["status"] == 200
    assert me["body"]["user"]["username"] == "planner"
    assert set(me["body"]["permissions"]) == {"rota_core.add_person", "rota_scheduling.add_rota"}
    screenshot("spa-03-me")

    person = page.evaluate("rota.createPerson({name: 'Ada Lovelace', email: 'ada@example.com'})")
    assert person["status"] == 201, person
    screenshot("spa-04-person-created")

    monday = dt.date.today() - dt.timedelta(days=dt.date.today().weekday())
    rota = page.evaluate(
        "(fields) => rota.createRota(fields)",
        {
            "name": "Platform on-call",
            "cadence": "weekly",
            "starts_on": monday.isoformat(),
            "handoff_time": "09:00",
            "timezone": "Europe/London",
            "members": [person["body"]["id"]],
        },
    )
    assert rota["status"] == 201, rota
    assert rota["body"]["current"]["person"]["name"] == "Ada Lovelace"
    screenshot("spa-05-rota-created")

    schedule = page.evaluate("(id) => rota.schedule(id)", rota["body"]["id"])
    assert schedule["status"] == 200
    assert schedule["body"], "the next 30 days hold at least one turn"
    assert {segment["person"]["name"] for segment in schedule["body"]} == {"Ada Lovelace"}
    screenshot("spa-06-schedule")

    logout = page.evaluate("rota.logout()")
    assert logout["status"] == 204
    after = page.evaluate("rota.me()")
    assert after["status"] == 403
    assert after["body"] == {"detail": "Authentication credentials were not provided."}
    screenshot("spa-07-logged-out-me-refused")


def test_a_page_from_another_origin_cannot_read_the_api(
    page, foreign_spa_url, api_url, planner, screenshot
):
    open_spa(page, foreign_spa_url, api_url)

    answers = {
        "csrf": page.evaluate("rota.csrf()"),
        "login": page.evaluate("([u, p]) => rota.login(u, p)", ["planner", PASSWORD]),
        "me": page.evaluate("rota.me()"),
        "create": page.evaluate("rota.createPerson({name: 'Eve', email: 'eve@example.com'})"),
    }
    screenshot("spa-08-foreign-origin-blocked")

    for name, answer in answers.items():
        assert answer["status"] is None, (name, answer)
        assert "Failed to fetch" in answer["error"], (name, answer)
    # The preflight was refused, so the write never reached the API either.
    assert not Person.objects.filter(email="eve@example.com").exists()
