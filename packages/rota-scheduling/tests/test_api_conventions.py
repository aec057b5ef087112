"""The 0.2 API conventions on rotas, overrides, schedules and stats (SPEC 6.1): one 400 with
every error, one wording per kind, what a client read it can write back, weekdays only when
daily, segments a calendar can act on, ?format=csv winning over Accept."""

import csv
import io
from datetime import datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from rota_core import messages
from rota_core.api.fields import utc_iso
from rota_core.services import person_update
from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling.models import Override, Shift
from rota_scheduling.testing.api import anchor, create_weekly_rota, weekly_rota_body
from rota_settings.validators import validate_timezone

pytestmark = pytest.mark.django_db

ROTAS = "/api/v1/rotas/"
WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)
# What a client may send back of a rota it read.
WRITABLE = [
    "name", "slug", "description", "timezone", "cadence", "interval", "starts_on",
    "handoff_time", "weekdays", "skip_policy", "reminder_minutes", "is_active", "members",
]  # fmt: skip


body = weekly_rota_body


create = create_weekly_rota


@pytest.fixture
def running(staff_client, people):
    """A weekly rota A B C D in its second week (B on duty); returns (rota, B_0)."""
    b0 = anchor(WEEK + HOUR)
    return create(staff_client, people, first=b0), b0


# --- one 400 with every error -------------------------------------------------------------


def test_one_bad_rota_post_answers_every_error_at_once(staff_client, people):
    """0.1 took three round trips: choices first, then the zone, then the members."""
    response = staff_client.post(
        ROTAS,
        body(
            people[:1],
            first=anchor(HOUR),
            cadence="hourly",
            timezone="Mars/Olympus",
            interval="2",
            members=[people[0].pk, 999_998, 999_999],
        ),
    )

    assert response.status_code == 400
    assert response.json() == {
        "cadence": ['"hourly" is not a valid choice.'],
        "interval": ["Must be an integer."],
        "timezone": ['Unknown time zone "Mars/Olympus".'],
        "members": ["Unknown person id(s): 999998, 999999."],
    }


def test_a_patch_answers_the_zone_the_name_and_the_members_together(staff_client, running, people):
    rota, _ = running
    create(staff_client, [], first=anchor(HOUR), name="Taken")
    inactive = PersonFactory(is_active=False)

    response = staff_client.patch(
        f"{ROTAS}{rota['id']}/",
        {"name": "TAKEN", "timezone": "Nowhere/Else", "members": [people[0].pk, inactive.pk]},
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": [messages.already_exists("rota", "name")],
        "timezone": ['Unknown time zone "Nowhere/Else".'],
        "members": [messages.inactive_people([inactive.pk])],
    }


def test_one_bad_override_answers_every_error_at_once(staff_client, running):
    rota, _ = running
    start = anchor(-HOUR)

    response = staff_client.post(
        "/api/v1/overrides/",
        {
            "rota": rota["id"],
            "person": 999_999,
            "starts_at": utc_iso(start),
            "ends_at": utc_iso(start - HOUR),
            "reason": 3,
        },
    )

    assert response.status_code == 400
    assert response.json() == {
        "person": ["Unknown person id(s): 999999."],
        "reason": ["Must be a string."],
        "ends_at": ["ends_at must be after starts_at."],
    }
    assert not Override.objects.exists()


# --- one wording per kind of error --------------------------------------------------------


def test_an_end_before_its_start_reads_the_same_everywhere(client_for, running, people):
    rota, _ = running
    admin = client_for(UserFactory(username="root", is_superuser=True))
    start = anchor(-HOUR)
    backwards = {"starts_at": utc_iso(start), "ends_at": utc_iso(start - HOUR)}

    override = admin.post(
        "/api/v1/overrides/", {"rota": rota["id"], "person": people[0].pk, **backwards}
    )
    leave = admin.post("/api/v1/unavailability/", {"person": people[0].pk, **backwards})
    window = admin.get(
        f"{ROTAS}{rota['id']}/schedule/",
        {"start": backwards["starts_at"], "end": backwards["ends_at"]},
    )

    assert override.json() == leave.json() == {"ends_at": ["ends_at must be after starts_at."]}
    assert window.json() == {"end": ["end must be after start."]}


def test_an_unknown_zone_reads_the_same_in_every_app(client_for, running):
    rota, _ = running
    admin = client_for(UserFactory(username="root", is_superuser=True))
    expected = {"timezone": [messages.unknown_timezone("Mars/Olympus")]}

    on_a_rota = admin.patch(f"{ROTAS}{rota['id']}/", {"timezone": "Mars/Olympus"})
    on_a_person = admin.post(
        "/api/v1/people/", {"name": "Zed", "email": "zed@example.com", "timezone": "Mars/Olympus"}
    )
    with pytest.raises(ValidationError) as in_settings:  # rota-settings cannot import core
        validate_timezone("Mars/Olympus")

    assert on_a_rota.json() == on_a_person.json() == expected
    assert in_settings.value.messages == expected["timezone"]


# --- what a client read, it can write back --------------------------------------------------


def test_members_read_back_with_a_deactivated_member_are_accepted(staff_client, running, people):
    rota, _ = running
    a, b, c, d = people
    person_update(person=c, data={"is_active": False})
    read = staff_client.get(f"{ROTAS}{rota['id']}/").json()
    assert read["members"] == [a.pk, b.pk, c.pk, d.pk]

    response = staff_client.patch(f"{ROTAS}{rota['id']}/", {"members": read["members"]})

    assert response.status_code == 200, response.json()
    assert response.json()["members"] == [a.pk, b.pk, c.pk, d.pk]
    # C stays a member but is passed over while inactive: after B comes D.
    assert response.json()["next"]["person"] == {"id": d.pk, "name": "D"}


def test_a_whole_rota_read_back_unchanged_is_accepted(staff_client, running, people):
    rota, _ = running
    person_update(person=people[2], data={"is_active": False})
    read = staff_client.get(f"{ROTAS}{rota['id']}/").json()

    response = staff_client.patch(f"{ROTAS}{rota['id']}/", {name: read[name] for name in WRITABLE})

    assert response.status_code == 200, response.json()
    assert {name: response.json()[name] for name in WRITABLE} == {
        name: read[name] for name in WRITABLE
    }


def test_a_new_inactive_member_is_still_refused(staff_client, running, people):
    rota, _ = running
    newcomer = PersonFactory(is_active=False)

    response = staff_client.patch(
        f"{ROTAS}{rota['id']}/", {"members": [*rota["members"], newcomer.pk]}
    )

    assert response.status_code == 400
    assert response.json() == {"members": [messages.inactive_people([newcomer.pk])]}


# --- weekdays are null unless the cadence is daily ------------------------------------------


def test_weekdays_are_null_unless_daily_and_a_list_with_another_cadence_is_refused(
    staff_client, people
):
    first = anchor(HOUR)
    weekly = create(staff_client, people, first=first, weekdays=None)
    daily = create(staff_client, people, first=first, name="Daily", cadence="daily")
    refused = staff_client.post(
        ROTAS, body(people, first=first, name="Other", cadence="monthly", weekdays=[0, 1])
    )

    assert weekly["weekdays"] is None
    assert daily["weekdays"] == [0, 1, 2, 3, 4, 5, 6]
    assert refused.status_code == 400
    assert refused.json() == {"weekdays": [messages.NOT_DAILY_WEEKDAYS]}
    # A cadence that is itself wrong is the only thing named.
    misspelt = staff_client.post(
        ROTAS, body(people, first=first, name="Other", cadence="dayly", weekdays=[0, 1])
    )
    assert list(misspelt.json()) == ["cadence"]


def test_a_daily_rota_made_weekly_shows_no_weekdays_and_forgets_them(staff_client, people):
    first = anchor(HOUR)
    daily = create(
        staff_client, people, first=first, cadence="daily",
        weekdays=sorted({0, 1, 2, 3, 4} | {first.weekday()}),
    )  # fmt: skip
    url = f"{ROTAS}{daily['id']}/"

    weekly = staff_client.patch(url, {"cadence": "weekly"}).json()
    daily_again = staff_client.patch(url, {"cadence": "daily"}).json()

    assert weekly["weekdays"] is None
    assert daily_again["weekdays"] == [0, 1, 2, 3, 4, 5, 6]


# --- segments a calendar can act on --------------------------------------------------------


def test_segments_carry_the_shift_override_and_swap_they_show(staff_client, running, people):
    rota, b0 = running
    a = people[0]
    start = anchor(-HOUR)
    override = staff_client.post(
        "/api/v1/overrides/",
        {"rota": rota["id"], "person": a.pk, "starts_at": utc_iso(start),
         "ends_at": utc_iso(start + HOUR)},
    ).json()  # fmt: skip
    advanced = staff_client.post(f"{ROTAS}{rota['id']}/advance/").json()["current"]

    segments = staff_client.get(
        f"{ROTAS}{rota['id']}/schedule/",
        {"start": utc_iso(b0 + WEEK), "end": utc_iso(b0 + 3 * WEEK)},
    ).json()

    stored = {s.starts_at: s.pk for s in Shift.objects.filter(rota_id=rota["id"])}
    by_source = [(s["source"], s["shift_id"], s["override_id"], s["swap_id"]) for s in segments]
    assert by_source == [
        ("rotation", stored[b0 + WEEK], None, None),  # B's turn, stored
        ("manual", stored[datetime.fromisoformat(advanced["starts_at"])], None, None),
        ("override", None, override["id"], None),
        ("manual", stored[datetime.fromisoformat(advanced["starts_at"])], None, None),
        ("rotation", None, None, None),  # projected: not stored yet
    ]


# --- ?format=csv wins over Accept -----------------------------------------------------------


def test_stats_csv_wins_over_an_accept_json_header_and_is_a_named_download(staff_client, running):
    rota, _ = running
    window = {"start": "2027-01-04T00:00:00Z", "end": "2027-02-01T00:00:00Z", "format": "csv"}

    response = staff_client.get(
        f"{ROTAS}{rota['id']}/stats/", window, HTTP_ACCEPT="application/json"
    )

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == (
        'attachment; filename="ops-stats-20270104-20270201.csv"'
    )
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["person_id", "person", "shifts", "hours", "passed_over"]
    as_json = staff_client.get(f"{ROTAS}{rota['id']}/stats/", HTTP_ACCEPT="application/json")
    assert isinstance(as_json.json(), list)
    assert not as_json.has_header("Content-Disposition")
