"""rotas/ over HTTP: create, read (current, next, next handoff, calendar URL), edit, delete."""

import re
from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from rota_core.api.fields import utc_iso
from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling.models import Rota, Shift
from rota_scheduling.services import rota_create
from rota_scheduling.testing.api import anchor, weekly_rota_body
from rota_settings.services import system_settings_update

pytestmark = pytest.mark.django_db

URL = "/api/v1/rotas/"
WEEK = timedelta(weeks=1)


def detail(rota_id):
    return f"{URL}{rota_id}/"


body = weekly_rota_body


def ref(person):
    return {"id": person.pk, "name": person.name}


@pytest.fixture
def running(staff_client, people):
    """A weekly rota A B C D in its second week: B is on duty, C is next."""
    b0 = anchor(WEEK + timedelta(hours=1))
    response = staff_client.post(URL, body(people, first=b0))
    assert response.status_code == 201, response.json()
    return response.json(), b0


# --- access --------------------------------------------------------------------------------


def test_anonymous_users_can_neither_read_nor_write(client_for, running):
    rota, _ = running
    api_client = client_for(None)

    assert api_client.get(URL).status_code == 403
    assert api_client.get(detail(rota["id"])).status_code == 403
    assert api_client.post(URL, {"name": "X"}).status_code == 403
    assert api_client.delete(detail(rota["id"])).status_code == 403


def test_signed_in_users_without_permissions_read_but_cannot_write(client_for, running, people):
    rota, _ = running
    api_client = client_for(UserFactory(username="nobody"))

    assert api_client.get(URL).status_code == 200
    assert api_client.get(detail(rota["id"])).status_code == 200
    b0 = anchor(timedelta(0))
    assert api_client.post(URL, body(people, first=b0, name="Other")).status_code == 403
    assert api_client.patch(detail(rota["id"]), {"name": "Renamed"}).status_code == 403
    assert api_client.delete(detail(rota["id"])).status_code == 403
    assert list(Rota.objects.values_list("name", flat=True)) == ["Ops"]


def test_unsafe_requests_without_the_csrf_token_are_refused(csrf_client, staff_user, people):
    csrf_client.force_login(staff_user)
    new = body(people, first=anchor(timedelta(0)))

    refused = csrf_client.post(URL, new)
    token = csrf_client.get("/api/v1/auth/csrf/").json()["csrfToken"]
    accepted = csrf_client.post(URL, new, HTTP_X_CSRFTOKEN=token)

    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert accepted.status_code == 201


# --- create and read -----------------------------------------------------------------------


def test_creating_a_rota_starts_it_and_the_answer_shows_who_is_on_duty(
    staff_client, running, people
):
    rota, b0 = running
    b, c = people[1:3]

    assert rota["members"] == [p.pk for p in people]
    assert rota["current"]["person"] == ref(b)
    assert rota["current"]["starts_at"] == utc_iso(b0 + WEEK)
    assert rota["current"]["ends_at"] == utc_iso(b0 + 2 * WEEK)
    assert rota["next"] == {"person": ref(c), "starts_at": utc_iso(b0 + 2 * WEEK)}
    assert rota["next_handoff_at"] == utc_iso(b0 + 2 * WEEK)
    assert rota["slug"] == "ops"
    assert rota["skip_policy"] == "defer"
    assert rota["reminder_minutes"] == 1440
    assert rota["weekdays"] is None  # weekly: weekdays belong to daily rotas
    assert staff_client.get(detail(rota["id"])).json() == rota
    listed = staff_client.get(URL).json()
    assert listed["count"] == 1
    assert listed["results"] == [rota]


def test_the_calendar_url_is_absolute_and_serves_the_rota_feed(client_for, running):
    rota, _ = running
    api_client = client_for(None)

    assert re.fullmatch(r"http://testserver/calendar/[\w-]+\.ics", rota["calendar_url"])
    feed = api_client.get(rota["calendar_url"])  # no session: the token is the key
    assert feed.status_code == 200
    assert feed["Content-Type"].startswith("text/calendar")


def test_a_new_calendar_token_retires_the_old_feed_url(client_for, staff_client, running):
    rota, _ = running
    anonymous = client_for(None)

    response = staff_client.post(f"{detail(rota['id'])}calendar-token/")

    assert response.status_code == 201
    assert response.json()["calendar_url"] != rota["calendar_url"]
    assert anonymous.get(rota["calendar_url"]).status_code == 404
    assert anonymous.get(response.json()["calendar_url"]).status_code == 200
    assert (
        staff_client.get(detail(rota["id"])).json()["calendar_url"]
        == (response.json()["calendar_url"])
    )


def test_a_new_calendar_token_needs_the_change_permission(client_for, reader, running):
    rota, _ = running

    assert client_for(reader).post(f"{detail(rota['id'])}calendar-token/").status_code == 403


def test_a_rota_whose_first_handoff_is_ahead_has_nobody_on_duty_yet(staff_client, people):
    b0 = anchor(-timedelta(days=2))

    rota = staff_client.post(URL, body(people, first=b0)).json()

    assert rota["current"] is None
    assert rota["next"] == {"person": ref(people[0]), "starts_at": utc_iso(b0)}
    assert rota["next_handoff_at"] == utc_iso(b0)


def test_a_rota_without_members_has_no_current_or_next(staff_client):
    rota = staff_client.post(URL, body([], first=anchor(timedelta(days=1)))).json()

    assert rota["members"] == []
    assert rota["current"] is None
    assert rota["next"] is None
    assert rota["next_handoff_at"] is None


def test_timezone_null_follows_the_system_zone(staff_client, people):
    created = staff_client.post(
        URL, {**body(people, first=anchor(WEEK)), "timezone": None, "handoff_time": "09:00"}
    )
    system_settings_update(timezone="Asia/Kolkata")

    rota = staff_client.get(detail(created.json()["id"])).json()

    assert created.json()["timezone"] is None
    assert rota["next_handoff_at"].endswith("T03:30:00Z")  # 09:00 in Kolkata


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"timezone": "Mars/Olympus"}, "timezone"),
        ({"interval": 0}, "interval"),
        ({"cadence": "hourly"}, "cadence"),
        ({"handoff_time": "25:00"}, "handoff_time"),
        ({"starts_on": "2026-02-30"}, "starts_on"),
        ({"starts_on": "9999-12-27"}, "starts_on"),
        ({"cadence": "daily", "weekdays": [0, 1, 2, 3, 4], "starts_on": "2026-01-03"}, "starts_on"),
        ({"cadence": "daily", "weekdays": [0, 7], "starts_on": "2026-01-05"}, "weekdays"),
        ({"cadence": "daily", "weekdays": [], "starts_on": "2026-01-05"}, "weekdays"),
        ({"skip_policy": "sometimes"}, "skip_policy"),
        ({"members": "A"}, "members"),
        ({"members": [2**70]}, "members"),
        ({"name": ""}, "name"),
    ],
)
def test_bad_definitions_answer_400_naming_the_field(staff_client, people, change, field):
    response = staff_client.post(URL, {**body(people, first=anchor(WEEK)), **change})

    assert response.status_code == 400
    assert field in response.json()
    assert not Rota.objects.exists()


def test_members_must_be_distinct_known_and_active_people(staff_client, people):
    a, b, *_ = people
    gone = PersonFactory(is_active=False)
    first = anchor(WEEK)

    twice = staff_client.post(URL, body([a, b, a], first=first))
    unknown = staff_client.post(URL, {**body([a], first=first), "members": [a.pk, 999_999]})
    inactive = staff_client.post(URL, body([a, gone], first=first))

    for response in (twice, unknown, inactive):
        assert response.status_code == 400
        assert list(response.json()) == ["members"]
    assert "999999" in str(unknown.json())
    assert not Rota.objects.exists()


def test_names_are_unique_ignoring_case(staff_client, running, people):
    response = staff_client.post(URL, body(people, first=anchor(WEEK), name="OPS"))

    assert response.status_code == 400
    assert "name" in response.json()


@pytest.mark.parametrize("name", ["Ops\r\nDesk", "Ops\tDesk", "Ops\x85Desk", "Ops\u2028Desk"])
def test_a_name_with_control_characters_is_400_naming_name(staff_client, running, people, name):
    rota, _ = running

    created = staff_client.post(URL, body(people, first=anchor(WEEK), name=name), format="json")
    patched = staff_client.patch(detail(rota["id"]), {"name": name}, format="json")

    for response in (created, patched):
        assert response.status_code == 400
        assert list(response.json()) == ["name"]
    assert list(Rota.objects.values_list("name", flat=True)) == [rota["name"]]


# --- edit ----------------------------------------------------------------------------------


def test_reordering_members_changes_who_is_next(staff_client, running, people):
    rota, _ = running
    a, b, c, d = people

    response = staff_client.patch(detail(rota["id"]), {"members": [a.pk, b.pk, d.pk, c.pk]})

    assert response.status_code == 200
    assert response.json()["members"] == [a.pk, b.pk, d.pk, c.pk]
    assert response.json()["current"]["person"] == ref(b)
    assert response.json()["next"]["person"] == ref(d)


def test_removing_the_current_assignee_passes_the_turn_to_whoever_takes_their_place(
    staff_client, running, people
):
    rota, _ = running
    a, _, c, d = people

    response = staff_client.patch(detail(rota["id"]), {"members": [a.pk, d.pk, c.pk]})

    assert response.status_code == 200
    assert response.json()["next"]["person"] == ref(d)  # now at B's former position


def test_redefining_keeps_the_current_assignee_and_moves_the_next_handoff(
    staff_client, running, people
):
    rota, b0 = running
    b = people[1]

    response = staff_client.patch(detail(rota["id"]), {"cadence": "daily"})

    assert response.status_code == 200
    after = response.json()
    assert after["current"]["person"] == ref(b)
    next_handoff = datetime.fromisoformat(after["next_handoff_at"])
    assert timezone.now() < next_handoff <= timezone.now() + timedelta(days=1)
    assert next_handoff.time() == b0.time()
    assert after["current"]["ends_at"] == after["next_handoff_at"]


def test_a_bad_edit_answers_400_and_changes_nothing(staff_client, running):
    rota, _ = running

    response = staff_client.patch(
        detail(rota["id"]), {"cadence": "daily", "weekdays": [0], "starts_on": "2026-01-06"}
    )

    assert response.status_code == 400
    assert "starts_on" in response.json()
    assert staff_client.get(detail(rota["id"])).json() == rota


def test_pausing_keeps_the_assignee_and_resuming_hands_over_at_the_next_boundary(
    staff_client, running, people
):
    rota, b0 = running

    paused = staff_client.patch(detail(rota["id"]), {"is_active": False}).json()
    resumed = staff_client.patch(detail(rota["id"]), {"is_active": True}).json()

    assert paused["current"]["person"] == ref(people[1])
    assert paused["next"] is None
    assert paused["next_handoff_at"] is None
    assert resumed["current"]["person"] == ref(people[1])
    assert resumed["next_handoff_at"] == utc_iso(b0 + 2 * WEEK)


def test_deleting_a_rota_removes_it_and_its_history(staff_client, running):
    rota, _ = running

    response = staff_client.delete(detail(rota["id"]))

    assert response.status_code == 204
    assert staff_client.get(detail(rota["id"])).status_code == 404
    assert not Shift.objects.exists()


@pytest.mark.parametrize("rota_id", ["999999", "abc", str(2**70)])
def test_unknown_rotas_answer_404(staff_client, rota_id):
    assert staff_client.get(f"{URL}{rota_id}/").status_code == 404
    assert staff_client.patch(f"{URL}{rota_id}/", {"name": "x"}).status_code == 404
    assert staff_client.delete(f"{URL}{rota_id}/").status_code == 404


def test_the_list_filters_on_is_active_and_search(staff_client, running, people):
    staff_client.post(URL, body(people, first=anchor(WEEK), name="Night desk", is_active=False))

    active = staff_client.get(URL, {"is_active": "true"}).json()["results"]
    found = staff_client.get(URL, {"search": "night"}).json()["results"]

    assert [r["name"] for r in active] == ["Ops"]
    assert [r["name"] for r in found] == ["Night desk"]
    assert staff_client.get(URL, {"is_active": "perhaps"}).status_code == 400


# --- advance -------------------------------------------------------------------------------


def test_advance_hands_over_now_until_the_next_regular_boundary(staff_client, running, people):
    rota, b0 = running
    before = timezone.now()

    response = staff_client.post(f"{detail(rota['id'])}advance/")

    assert response.status_code == 200
    current = response.json()["current"]
    assert current["person"] == ref(people[2])
    assert current["source"] == "manual"
    assert before <= datetime.fromisoformat(current["starts_at"]) <= timezone.now()
    assert current["ends_at"] == utc_iso(b0 + 2 * WEEK)
    assert response.json()["next"]["person"] == ref(people[3])


def test_advance_needs_the_change_permission_and_a_running_rota(client_for, staff_client, running):
    rota, _ = running
    url = f"{detail(rota['id'])}advance/"
    reader = client_for(UserFactory(username="nobody"))

    assert client_for(None).post(url).status_code == 403
    assert reader.post(url).status_code == 403
    assert staff_client.post(f"{URL}999999/advance/").status_code == 404
    staff_client.patch(detail(rota["id"]), {"is_active": False})
    paused = staff_client.post(url)
    assert paused.status_code == 409
    assert "paused" in paused.json()["detail"]


# --- never stale; always UTC ---------------------------------------------------------------


@pytest.fixture
def overdue(people):
    """A daily rota created a day ago whose handoff an hour ago the sweep has not stored:
    C holds the stored shift, D is on duty."""
    b0 = anchor(timedelta(days=7, hours=1))
    rota = rota_create(
        fields={
            "name": "Overdue",
            "cadence": "daily",
            "timezone": "UTC",
            "starts_on": b0.date(),
            "handoff_time": b0.time(),
        },
        members=[p.pk for p in people],
        now=timezone.now() - timedelta(days=1),
    )
    assert rota.current_shift.person == people[2]
    assert rota.next_handoff_at < timezone.now()
    return rota, b0


def test_a_passed_handoff_counts_as_done_before_the_sweep_stores_it(staff_client, overdue, people):
    rota, b0 = overdue
    d = people[3]
    handoff = b0 + timedelta(days=7)

    shown = staff_client.get(detail(rota.pk)).json()
    listed = staff_client.get(URL).json()["results"][0]
    oncall = staff_client.get("/api/v1/oncall/").json()
    schedule = staff_client.get(f"{detail(rota.pk)}schedule/").json()

    assert shown["current"]["person"] == ref(d)
    assert shown["current"]["starts_at"] == utc_iso(handoff)
    assert shown["next"] == {"person": ref(people[0]), "starts_at": utc_iso(handoff + timedelta(1))}
    assert shown["next_handoff_at"] == utc_iso(handoff + timedelta(days=1))
    assert listed["current"] == shown["current"]
    assert [row["person"] for row in oncall] == [ref(d)]
    assert oncall[0]["starts_at"] == utc_iso(handoff)
    assert schedule[0]["person"] == ref(d)
    assert schedule[1]["person"] == ref(people[0])


ISO_INSTANT = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$")


def _instants(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _instants(item)
    elif isinstance(value, list):
        for item in value:
            yield from _instants(item)
    elif isinstance(value, str) and ISO_INSTANT.match(value):
        yield value


def test_datetimes_are_utc_with_z_whatever_the_system_zone(staff_client, people):
    system_settings_update(timezone="Asia/Kolkata")
    rota = staff_client.post(URL, {**body(people, first=anchor(WEEK)), "timezone": None})
    assert rota.status_code == 201
    rota_id = rota.json()["id"]
    soon = timezone.now() + timedelta(hours=1)
    staff_client.post(
        "/api/v1/overrides/",
        {
            "rota": rota_id,
            "person": people[0].pk,
            "starts_at": utc_iso(soon),
            "ends_at": utc_iso(soon + timedelta(hours=2)),
        },
    )

    answers = [
        rota.json(),
        staff_client.get(URL).json(),
        staff_client.get(detail(rota_id)).json(),
        staff_client.get(f"{detail(rota_id)}schedule/").json(),
        staff_client.get("/api/v1/oncall/").json(),
        staff_client.get("/api/v1/shifts/").json(),
        staff_client.get("/api/v1/overrides/").json(),
        staff_client.post(f"{detail(rota_id)}advance/").json(),
    ]

    instants = [instant for answer in answers for instant in _instants(answer)]
    assert len(instants) > 20
    assert all(instant.endswith("Z") for instant in instants), instants
