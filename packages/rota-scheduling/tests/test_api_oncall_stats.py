"""oncall/ (who is on duty at an instant, every active rota) and rotas/{id}/stats/."""

import csv
import io
from datetime import timedelta

import pytest

from rota_core.api.fields import utc_iso
from rota_core.models import Person
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory
from rota_scheduling.testing.api import anchor, create_weekly_rota

pytestmark = pytest.mark.django_db

ONCALL = "/api/v1/oncall/"
WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)


create_rota = create_weekly_rota


def ref(person):
    return {"id": person.pk, "name": person.name}


# --- oncall --------------------------------------------------------------------------------


def test_oncall_lists_every_active_rota_with_who_is_on_duty(staff_client, people):
    a, b, c, d = people
    b0 = anchor(WEEK + HOUR)
    ops = create_rota(staff_client, [a, b], name="Ops", first=b0)
    desk_first = anchor(HOUR)
    desk = create_rota(staff_client, [c, d], name="Desk", first=desk_first)
    empty = create_rota(staff_client, [], name="Empty", first=b0)
    create_rota(staff_client, [a], name="Paused", first=b0, is_active=False)

    response = staff_client.get(ONCALL)

    assert response.status_code == 200
    assert response.json() == [
        {
            "rota": {"id": desk["id"], "name": "Desk", "slug": "desk"},
            "person": ref(c),
            "starts_at": utc_iso(desk_first),
            "ends_at": utc_iso(desk_first + WEEK),
            "source": "rotation",
        },
        {
            "rota": {"id": empty["id"], "name": "Empty", "slug": "empty"},
            "person": None,
            "starts_at": None,
            "ends_at": None,
            "source": "rotation",
        },
        {
            "rota": {"id": ops["id"], "name": "Ops", "slug": "ops"},
            "person": ref(b),
            "starts_at": utc_iso(b0 + WEEK),
            "ends_at": utc_iso(b0 + 2 * WEEK),
            "source": "rotation",
        },
    ]


def test_oncall_at_an_instant_reads_history_before_now_and_projection_after(staff_client, people):
    b0 = anchor(WEEK + HOUR)
    create_rota(staff_client, people, first=b0)

    def who(at):
        response = staff_client.get(ONCALL, {"at": utc_iso(at)})
        assert response.status_code == 200
        row = response.json()[0]
        return row["person"] and row["person"]["name"]

    assert who(b0 + WEEK + timedelta(minutes=30)) == "B"  # stored
    assert who(b0 + timedelta(days=1)) is None  # before the rota started: no made-up history
    assert who(b0 + 2 * WEEK) == "C"  # projected
    assert who(b0 + 5 * WEEK + HOUR) == "B"


@pytest.mark.parametrize("at", ["now", "2027-02-30T00:00:00Z", "9999-12-31T00:00:00Z"])
def test_a_bad_instant_answers_400(reader_client, at):
    response = reader_client.get(ONCALL, {"at": at})

    assert response.status_code == 400
    assert "at" in response.json()


def test_oncall_needs_a_session(client_for):
    assert client_for(None).get(ONCALL).status_code == 403


# --- stats ---------------------------------------------------------------------------------


@pytest.fixture
def planned(staff_client, people):
    """A weekly rota A B C D starting in two days, B away in week 1, D covering a day of
    A's week 0. Returns (rota id, B_0)."""
    b, d = people[1], people[3]
    b0 = anchor(-timedelta(days=2))
    rota = create_rota(staff_client, people, first=b0)
    UnavailabilityFactory(person=b, starts_at=b0 + WEEK, ends_at=b0 + WEEK + timedelta(days=2))
    response = staff_client.post(
        "/api/v1/overrides/",
        {
            "rota": rota["id"],
            "person": d.pk,
            "starts_at": utc_iso(b0 + timedelta(days=1)),
            "ends_at": utc_iso(b0 + timedelta(days=2)),
        },
    )
    assert response.status_code == 201
    return rota["id"], b0


def test_stats_count_shifts_hours_and_turns_passed_over(staff_client, planned, people):
    rota_id, b0 = planned
    window = {"start": utc_iso(b0), "end": utc_iso(b0 + 4 * WEEK)}

    response = staff_client.get(f"/api/v1/rotas/{rota_id}/stats/", window)

    assert response.status_code == 200
    # Weeks: A (D covers a day), C (B passed over), B (owed), D.
    assert response.json() == [
        {"person": ref(people[0]), "shifts": 1, "hours": 144.0, "passed_over": 0},
        {"person": ref(people[1]), "shifts": 1, "hours": 168.0, "passed_over": 1},
        {"person": ref(people[2]), "shifts": 1, "hours": 168.0, "passed_over": 0},
        {"person": ref(people[3]), "shifts": 1, "hours": 192.0, "passed_over": 0},
    ]


def test_stats_as_csv(staff_client, planned):
    rota_id, b0 = planned
    window = {"start": utc_iso(b0), "end": utc_iso(b0 + 4 * WEEK), "format": "csv"}

    response = staff_client.get(f"/api/v1/rotas/{rota_id}/stats/", window)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["person_id", "person", "shifts", "hours", "passed_over"]
    assert [row[1:] for row in rows[1:]] == [
        ["A", "1", "144.0", "0"],
        ["B", "1", "168.0", "1"],
        ["C", "1", "168.0", "0"],
        ["D", "1", "192.0", "0"],
    ]


def test_stats_csv_neutralises_names_a_spreadsheet_would_run_as_formulas(staff_client, people):
    names = ['=HYPERLINK("http://evil.example","x")', "+1", "-1", "@SUM(A1)", "\tTab", "Ada"]
    members = [*people, PersonFactory(), PersonFactory()]
    for person, name in zip(members, names, strict=True):
        Person.objects.filter(pk=person.pk).update(name=name)  # as if stored before the rule
    rota = create_rota(staff_client, members, first=anchor(-timedelta(days=2)))

    response = staff_client.get(f"/api/v1/rotas/{rota['id']}/stats/", {"format": "csv"})

    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert sorted(row[1] for row in rows[1:]) == sorted(
        ["'" + name for name in names[:5]] + ["Ada"]
    )
    assert all(row[0].isdigit() and row[2].isdigit() for row in rows[1:])  # numbers stay numbers


def test_stats_default_to_the_last_30_days(staff_client, people):
    rota = create_rota(staff_client, people[:2], first=anchor(WEEK + 2 * HOUR))

    rows = staff_client.get(f"/api/v1/rotas/{rota['id']}/stats/").json()

    # B's shift began two hours ago; A's week was before the rota started (no history).
    assert [(row["person"]["name"], row["shifts"]) for row in rows] == [("A", 0), ("B", 1)]
    assert 1.9 <= rows[1]["hours"] <= 2.1


@pytest.mark.parametrize("fmt", [None, "csv"])
@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2027-01-01T00:00:00Z", "end": "2028-01-03T00:00:00Z"}, "end"),
        ({"start": "soon"}, "start"),
    ],
)
def test_bad_stats_windows_answer_400(staff_client, planned, params, field, fmt):
    rota_id, _ = planned
    if fmt:
        params = {**params, "format": fmt}

    response = staff_client.get(f"/api/v1/rotas/{rota_id}/stats/", params)

    assert response.status_code == 400
    if fmt:
        assert response.content.decode().startswith(f"{field},")
        assert "ErrorDetail" not in response.content.decode()
    else:
        assert field in response.json()


def test_stats_access(client_for, reader, planned):
    rota_id, _ = planned

    assert client_for(None).get(f"/api/v1/rotas/{rota_id}/stats/").status_code == 403
    assert client_for(reader).get(f"/api/v1/rotas/{rota_id}/stats/").status_code == 200
    assert client_for(reader).get("/api/v1/rotas/999999/stats/").status_code == 404
