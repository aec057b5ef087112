"""The SPA's side of session auth, CSRF and CORS, in a real browser.

The page (spa/app.js) makes every call through the typed TypeScript client of clients/ts
(its committed build, clients/ts/dist, loaded as an ES module), cross-origin with
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
            codename__in=["add_person", "add_rota", "add_override"],
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
    assert set(me["body"]["permissions"]) == {
        "rota_core.add_person",
        "rota_scheduling.add_rota",
        "rota_scheduling.add_override",
    }
    assert me["body"]["unread_notifications"] == 0
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

    rotas = page.evaluate("rota.listRotas()")
    assert rotas["status"] == 200
    assert rotas["body"]["count"] == 1
    assert rotas["body"]["holders"] == ["Ada Lovelace"]  # read through the generated types

    grace = page.evaluate("rota.createPerson({name: 'Grace Hopper', email: 'grace@example.com'})")
    cover_from = (dt.datetime.now(dt.UTC) + dt.timedelta(days=2)).replace(microsecond=0)
    cover_to = cover_from + dt.timedelta(hours=6)
    override = page.evaluate(
        "(fields) => rota.createOverride(fields)",
        {
            "rota": rota["body"]["id"],
            "person": grace["body"]["id"],
            "starts_at": cover_from.isoformat(),
            "ends_at": cover_to.isoformat(),
            "reason": "swap",
        },
    )
    assert override["status"] == 201, override
    covered = page.evaluate(
        "([id, window]) => rota.schedule(id, window)",
        [rota["body"]["id"], {"start": cover_from.isoformat(), "end": cover_to.isoformat()}],
    )
    assert [(s["person"]["name"], s["source"]) for s in covered["body"]] == [
        ("Grace Hopper", "override")
    ]
    screenshot("spa-07-override")

    logout = page.evaluate("rota.logout()")
    assert logout["status"] == 204
    after = page.evaluate("rota.me()")
    assert after["status"] == 403
    assert after["body"] == {"detail": "Authentication credentials were not provided."}
    screenshot("spa-08-logged-out-me-refused")


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
    screenshot("spa-09-foreign-origin-blocked")

    for name, answer in answers.items():
        assert answer["status"] is None, (name, answer)
        assert "Failed to fetch" in answer["error"], (name, answer)
    # The preflight was refused, so the write never reached the API either.
    assert not Person.objects.filter(email="eve@example.com").exists()
