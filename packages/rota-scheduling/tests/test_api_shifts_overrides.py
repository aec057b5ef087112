"""shifts/ (stored history, read only) and overrides/ (someone covers an interval)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from rota_core.api.fields import utc_iso
from rota_core.testing.factories import PersonFactory
from rota_scheduling.models import Override
from rota_scheduling.testing.api import anchor, create_weekly_rota

pytestmark = pytest.mark.django_db

SHIFTS = "/api/v1/shifts/"
OVERRIDES = "/api/v1/overrides/"
WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)


def create_rota(client, people, *, name="Ops", first: datetime) -> int:
    return create_weekly_rota(client, people, name=name, first=first)["id"]


@pytest.fixture
def running(staff_client, people):
    """A weekly rota A B C D in its second week (B on duty); returns (id, B_0)."""
    b0 = anchor(WEEK + HOUR)
    return create_rota(staff_client, people, first=b0), b0


def cover(rota_id, person, start, end, **extra) -> dict:
    return {
        "rota": rota_id,
        "person": person.pk,
        "starts_at": utc_iso(start),
        "ends_at": utc_iso(end),
        **extra,
    }


# --- shifts --------------------------------------------------------------------------------


def test_shifts_list_the_stored_history_newest_first(staff_client, running, people):
    rota_id, b0 = running
    b, c = people[1:3]
    advanced_at = staff_client.post(f"/api/v1/rotas/{rota_id}/advance/").json()["current"]

    page = staff_client.get(SHIFTS).json()

    assert page["count"] == 2
    newest, oldest = page["results"]
    assert oldest == {
        "id": oldest["id"],
        "rota": rota_id,
        "person": {"id": b.pk, "name": "B"},
        "starts_at": utc_iso(b0 + WEEK),
        "ends_at": advanced_at["starts_at"],
        "source": "rotation",
        "conflict": False,
        "passed_over": [],
    }
    assert (newest["person"], newest["source"]) == ({"id": c.pk, "name": "C"}, "manual")
    assert newest["ends_at"] == utc_iso(b0 + 2 * WEEK)


def test_shifts_filter_on_rota_person_and_overlap(staff_client, people):
    a, b, c, d = people
    first = create_rota(staff_client, [a, b], name="First", first=anchor(WEEK + 3 * HOUR))
    second = create_rota(staff_client, [c, d], name="Second", first=anchor(HOUR))
    now = timezone.now()

    def ids(**params):
        response = staff_client.get(SHIFTS, params)
        assert response.status_code == 200
        return sorted((r["rota"], r["person"]["id"]) for r in response.json()["results"])

    assert ids(rota=first) == [(first, b.pk)]
    assert ids(person=c.pk) == [(second, c.pk)]
    # B's shift on First started three hours ago, C's on Second an hour ago.
    assert ids(start=utc_iso(now - 2 * HOUR), end=utc_iso(now)) == [(first, b.pk), (second, c.pk)]
    assert ids(end=utc_iso(now - 2 * HOUR)) == [(first, b.pk)]
    assert ids(start=utc_iso(now + 2 * WEEK)) == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"rota": "abc"}, "rota"),
        ({"rota": "999999"}, "rota"),
        ({"person": "-1"}, "person"),
        ({"start": "last week"}, "start"),
        ({"end": "2027-02-30T00:00:00Z"}, "end"),
        ({"conflict": "perhaps"}, "conflict"),
    ],
)
def test_bad_shift_filters_answer_400(reader_client, params, field):
    response = reader_client.get(SHIFTS, params)

    assert response.status_code == 400
    assert field in response.json()


def test_shifts_are_read_only_and_need_a_session(client_for, staff_client, running):
    shift = staff_client.get(SHIFTS).json()["results"][0]

    assert client_for(None).get(SHIFTS).status_code == 403
    assert staff_client.post(SHIFTS, shift).status_code == 405
    assert staff_client.patch(f"{SHIFTS}{shift['id']}/", {"ends_at": None}).status_code == 405
    assert staff_client.delete(f"{SHIFTS}{shift['id']}/").status_code == 405
    assert staff_client.get(f"{SHIFTS}{shift['id']}/").json() == shift
    assert staff_client.get(f"{SHIFTS}999999/").status_code == 404


# --- overrides -----------------------------------------------------------------------------


def test_an_override_in_force_puts_the_coverer_on_duty(staff_client, staff_user, running, people):
    rota_id, _ = running
    a = people[0]
    start, end = anchor(HOUR), anchor(-3 * HOUR)

    response = staff_client.post(OVERRIDES, cover(rota_id, a, start, end, reason="swap"))

    assert response.status_code == 201
    created = response.json()
    assert created == {
        "id": created["id"],
        "rota": rota_id,
        "person": {"id": a.pk, "name": "A"},
        "starts_at": utc_iso(start),
        "ends_at": utc_iso(end),
        "reason": "swap",
        "created_at": created["created_at"],
    }
    assert Override.objects.get().created_by == staff_user
    rota = staff_client.get(f"/api/v1/rotas/{rota_id}/").json()
    assert rota["current"]["person"] == {"id": a.pk, "name": "A"}
    assert rota["current"]["source"] == "override"
    assert (rota["current"]["starts_at"], rota["current"]["ends_at"]) == (
        utc_iso(start),
        utc_iso(end),
    )
    oncall = staff_client.get("/api/v1/oncall/").json()
    assert [(row["person"]["name"], row["source"]) for row in oncall] == [("A", "override")]


def test_overrides_are_listed_filtered_by_rota_read_and_deleted(staff_client, people):
    a, b, c, d = people
    first = create_rota(staff_client, [a, b], name="First", first=anchor(WEEK))
    second = create_rota(staff_client, [c, d], name="Second", first=anchor(WEEK))
    start = anchor(-HOUR)
    mine = staff_client.post(OVERRIDES, cover(first, c, start, start + HOUR)).json()
    staff_client.post(OVERRIDES, cover(second, a, start, start + HOUR))  # same time, other rota

    listed = staff_client.get(OVERRIDES, {"rota": first}).json()
    everything = staff_client.get(OVERRIDES).json()
    shown = staff_client.get(f"{OVERRIDES}{mine['id']}/")
    deleted = staff_client.delete(f"{OVERRIDES}{mine['id']}/")

    assert listed["count"] == 1
    assert listed["results"] == [mine]
    assert everything["count"] == 2
    assert shown.json() == mine
    assert deleted.status_code == 204
    assert staff_client.get(f"{OVERRIDES}{mine['id']}/").status_code == 404
    segments = staff_client.get(
        f"/api/v1/rotas/{first}/schedule/",
        {"start": utc_iso(start), "end": utc_iso(start + HOUR)},
    ).json()
    assert [s["source"] for s in segments] == ["rotation"]
    assert staff_client.get(OVERRIDES, {"rota": "abc"}).status_code == 400


def test_overrides_cannot_be_edited_only_replaced(staff_client, running, people):
    rota_id, _ = running
    start = anchor(-HOUR)
    made = staff_client.post(OVERRIDES, cover(rota_id, people[0], start, start + HOUR)).json()

    response = staff_client.patch(f"{OVERRIDES}{made['id']}/", {"reason": "changed"})

    assert response.status_code == 405


def test_overlapping_overrides_on_one_rota_are_refused(staff_client, running, people):
    rota_id, _ = running
    a, _, c, _ = people
    start = anchor(-HOUR)
    staff_client.post(OVERRIDES, cover(rota_id, a, start, start + 2 * HOUR))

    overlapping = staff_client.post(OVERRIDES, cover(rota_id, c, start + HOUR, start + 3 * HOUR))
    touching = staff_client.post(OVERRIDES, cover(rota_id, c, start + 2 * HOUR, start + 3 * HOUR))

    assert overlapping.status_code == 400
    assert "starts_at" in overlapping.json()
    assert touching.status_code == 201
    assert Override.objects.count() == 2


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": -3 * HOUR, "ends_at": -HOUR}, "ends_at"),  # ended in the past
        ({"starts_at": 2 * HOUR, "ends_at": HOUR}, "ends_at"),  # ends before it starts
        ({"starts_at": HOUR, "ends_at": HOUR}, "ends_at"),
        ({"person": "inactive"}, "person"),
        ({"person": 999_999}, "person"),
        ({"rota": 999_999}, "rota"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"ends_at": None}, "ends_at"),
        ({"reason": "x" * 501}, "reason"),
    ],
)
def test_bad_overrides_answer_400_naming_the_field(staff_client, running, people, change, field):
    rota_id, _ = running
    now = anchor(timedelta(0))
    body = cover(rota_id, people[0], now + HOUR, now + 2 * HOUR)
    for key, value in change.items():
        if isinstance(value, timedelta):
            value = utc_iso(now + value)
        elif value == "inactive":
            value = PersonFactory(is_active=False).pk
        body[key] = value

    response = staff_client.post(OVERRIDES, body)

    assert response.status_code == 400
    assert field in response.json()
    assert not Override.objects.exists()


def test_override_writes_need_a_session_the_permission_and_the_csrf_token(
    client_for, csrf_client, reader, staff_user, staff_client, running, people
):
    rota_id, _ = running
    start = anchor(-HOUR)
    body = cover(rota_id, people[0], start, start + HOUR)
    made = staff_client.post(OVERRIDES, body).json()
    other = cover(rota_id, people[0], start + HOUR, start + 2 * HOUR)
    reader_client = client_for(reader)
    csrf_client.force_login(staff_user)

    assert client_for(None).get(OVERRIDES).status_code == 403
    assert client_for(None).post(OVERRIDES, other).status_code == 403
    assert reader_client.get(OVERRIDES).status_code == 200
    assert reader_client.post(OVERRIDES, other).status_code == 403
    assert reader_client.delete(f"{OVERRIDES}{made['id']}/").status_code == 403
    assert csrf_client.post(OVERRIDES, other).status_code == 403
    assert csrf_client.delete(f"{OVERRIDES}{made['id']}/").status_code == 403
    assert list(Override.objects.values_list("pk", flat=True)) == [made["id"]]
