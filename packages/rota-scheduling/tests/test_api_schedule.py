"""rotas/{id}/schedule/: segments tiling the window, stored history before now, projection after."""

from datetime import datetime, timedelta
from itertools import pairwise

import pytest
from django.utils import timezone

from rota_core.api.fields import utc_iso
from rota_core.testing.factories import UnavailabilityFactory, UserFactory
from rota_scheduling.models import Shift
from rota_scheduling.testing.api import anchor, create_weekly_rota

pytestmark = pytest.mark.django_db

WEEK = timedelta(weeks=1)


def create_rota(client, people, *, first: datetime, **extra) -> int:
    return create_weekly_rota(client, people, first=first, **extra)["id"]


def schedule(client, rota_id, **params):
    return client.get(f"/api/v1/rotas/{rota_id}/schedule/", params)


def window(start: datetime, end: datetime) -> dict:
    return {"start": utc_iso(start), "end": utc_iso(end)}


def names(segments) -> list[str | None]:
    return [s["person"]["name"] if s["person"] else None for s in segments]


def assert_tiles(segments, start: str | None = None, end: str | None = None):
    for before, after in pairwise(segments):
        assert before["ends_at"] == after["starts_at"]
        assert before["starts_at"] < before["ends_at"]
    if start is not None:
        assert segments[0]["starts_at"] == start
    if end is not None:
        assert segments[-1]["ends_at"] == end


@pytest.fixture
def running(staff_client, people):
    """A weekly rota A B C D in its second week (B on duty); returns (id, B_0)."""
    b0 = anchor(WEEK + timedelta(hours=1))
    return create_rota(staff_client, people, first=b0), b0


def test_the_default_window_is_the_next_30_days(staff_client, running):
    rota_id, _ = running
    before = timezone.now()

    response = schedule(staff_client, rota_id)

    assert response.status_code == 200
    segments = response.json()
    assert isinstance(segments, list)  # a plain list, not a page
    assert_tiles(segments)
    start = datetime.fromisoformat(segments[0]["starts_at"])
    end = datetime.fromisoformat(segments[-1]["ends_at"])
    assert before <= start <= timezone.now()
    assert end - start == timedelta(days=30)
    assert set(segments[0]) == {
        "starts_at", "ends_at", "person", "source", "conflict",
        "shift_id", "override_id", "swap_id",
    }  # fmt: skip


def test_segments_tile_the_window_with_history_before_now_and_projection_after(
    staff_client, running, people
):
    rota_id, b0 = running
    b, c, d = people[1:]
    start, end = b0 - timedelta(days=1), b0 + 4 * WEEK + timedelta(days=2)

    segments = schedule(staff_client, rota_id, **window(start, end)).json()

    assert_tiles(segments, utc_iso(start), utc_iso(end))
    # Nothing is fabricated before the rota started (B's shift, stored at creation).
    stored = Shift.objects.get(rota_id=rota_id).pk
    plain = {"source": "rotation", "conflict": False, "override_id": None, "swap_id": None}
    assert segments == [
        {"starts_at": utc_iso(start), "ends_at": utc_iso(b0 + WEEK), "person": None,
         "shift_id": None, **plain},
        {"starts_at": utc_iso(b0 + WEEK), "ends_at": utc_iso(b0 + 2 * WEEK),
         "person": {"id": b.pk, "name": "B"}, "shift_id": stored, **plain},
        {"starts_at": utc_iso(b0 + 2 * WEEK), "ends_at": utc_iso(b0 + 3 * WEEK),
         "person": {"id": c.pk, "name": "C"}, "shift_id": None, **plain},
        {"starts_at": utc_iso(b0 + 3 * WEEK), "ends_at": utc_iso(b0 + 4 * WEEK),
         "person": {"id": d.pk, "name": "D"}, "shift_id": None, **plain},
        {"starts_at": utc_iso(b0 + 4 * WEEK), "ends_at": utc_iso(end),
         "person": {"id": people[0].pk, "name": "A"}, "shift_id": None, **plain},
    ]  # fmt: skip


def test_before_the_first_handoff_nobody_is_on_duty(staff_client, people):
    b0 = anchor(-timedelta(days=3))
    rota_id = create_rota(staff_client, people, first=b0)
    start = anchor(timedelta(0))

    segments = schedule(staff_client, rota_id, **window(start, b0 + WEEK)).json()

    assert names(segments) == [None, "A"]
    assert segments[0]["ends_at"] == utc_iso(b0)


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("defer", ["A", "C", "B", "D", "A", "B"]), ("skip", ["A", "C", "D", "A", "B", "C"])],
)
def test_the_spec_example_b_away_in_week_one(staff_client, client_for, people, policy, expected):
    """SPEC 3: A B C D weekly, B away in week 1: defer gives A C B D A B, skip A C D A B C."""
    b0 = anchor(-timedelta(days=2))
    rota_id = create_rota(staff_client, people, first=b0, skip_policy=policy)
    b = people[1]
    b.user = UserFactory(username="b")
    b.save()
    away = client_for(b.user).post(
        "/api/v1/unavailability/",
        {
            "person": b.pk,
            "starts_at": utc_iso(b0 + WEEK + timedelta(days=2)),
            "ends_at": utc_iso(b0 + WEEK + timedelta(days=4)),
            "reason": "conference",
        },
    )
    assert away.status_code == 201, away.json()

    segments = schedule(staff_client, rota_id, **window(b0, b0 + 6 * WEEK)).json()

    assert names(segments) == expected
    assert_tiles(segments, utc_iso(b0), utc_iso(b0 + 6 * WEEK))
    assert not any(s["conflict"] for s in segments)


def test_a_shift_nobody_can_take_is_flagged_as_a_conflict(staff_client, people):
    b0 = anchor(-timedelta(days=2))
    a, b = people[:2]
    rota_id = create_rota(staff_client, [a, b], first=b0)
    for person in (a, b):
        UnavailabilityFactory(person=person, starts_at=b0, ends_at=b0 + timedelta(days=1))

    segments = schedule(staff_client, rota_id, **window(b0, b0 + 2 * WEEK)).json()

    assert [(s["person"]["name"], s["conflict"]) for s in segments] == [("A", True), ("B", False)]


def test_an_override_is_laid_over_the_rotation(staff_client, running, people):
    rota_id, _ = running
    a = people[0]
    cover_from = anchor(-timedelta(hours=2))
    cover_until = cover_from + timedelta(hours=3)
    created = staff_client.post(
        "/api/v1/overrides/",
        {"rota": rota_id, "person": a.pk, **_span(cover_from, cover_until), "reason": "swap"},
    )
    assert created.status_code == 201

    start, end = cover_from - timedelta(hours=1), cover_until + timedelta(hours=1)
    segments = schedule(staff_client, rota_id, **window(start, end)).json()

    assert [(s["starts_at"], s["ends_at"], s["person"]["name"], s["source"]) for s in segments] == [
        (utc_iso(start), utc_iso(cover_from), "B", "rotation"),
        (utc_iso(cover_from), utc_iso(cover_until), "A", "override"),
        (utc_iso(cover_until), utc_iso(end), "B", "rotation"),
    ]


def _span(start, end):
    return {"starts_at": utc_iso(start), "ends_at": utc_iso(end)}


def test_a_manual_advance_shows_in_the_history_and_the_projection_follows(
    staff_client, running, people
):
    rota_id, b0 = running
    advanced = staff_client.post(f"/api/v1/rotas/{rota_id}/advance/").json()
    at = advanced["current"]["starts_at"]

    segments = schedule(staff_client, rota_id, **window(b0 + WEEK, b0 + 3 * WEEK)).json()

    assert [(s["person"]["name"], s["source"]) for s in segments] == [
        ("B", "rotation"),
        ("C", "manual"),
        ("D", "rotation"),
    ]
    assert segments[0]["ends_at"] == at == segments[1]["starts_at"]
    assert segments[1]["ends_at"] == utc_iso(b0 + 2 * WEEK)


def test_a_paused_rota_keeps_its_assignee_to_the_end_of_the_window(staff_client, running):
    rota_id, _ = running
    staff_client.patch(f"/api/v1/rotas/{rota_id}/", {"is_active": False})

    segments = schedule(staff_client, rota_id).json()

    assert names(segments) == ["B"]
    assert_tiles(segments)


def test_instants_with_an_offset_or_none_are_read_correctly(staff_client, running):
    rota_id, b0 = running
    naive = (b0 + 2 * WEEK).replace(tzinfo=None).isoformat()
    offset = (b0 + 3 * WEEK).astimezone(timezone.get_fixed_timezone(330)).isoformat()

    segments = schedule(staff_client, rota_id, start=naive, end=offset).json()

    assert names(segments) == ["C"]
    assert segments[0]["starts_at"] == utc_iso(b0 + 2 * WEEK)
    assert segments[-1]["ends_at"] == utc_iso(b0 + 3 * WEEK)


def test_a_window_of_exactly_366_days_is_allowed(staff_client, running):
    rota_id, _ = running
    start = anchor(timedelta(0))

    response = schedule(staff_client, rota_id, **window(start, start + timedelta(days=366)))

    assert response.status_code == 200
    assert_tiles(response.json(), utc_iso(start), utc_iso(start + timedelta(days=366)))


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"start": "2027-01-01T00:00:00Z", "end": "2028-01-03T00:00:00Z"}, "end"),  # 367 days
        ({"start": "2027-01-10T00:00:00Z", "end": "2027-01-01T00:00:00Z"}, "end"),
        ({"start": "2027-01-01T00:00:00Z", "end": "2027-01-01T00:00:00Z"}, "end"),
        ({"start": "yesterday"}, "start"),
        ({"end": "2027-13-01T00:00:00Z"}, "end"),
        ({"start": "9999-12-31T00:00:00Z"}, "start"),
        ({"end": "0001-01-01T00:00:00Z"}, "end"),
    ],
)
def test_bad_windows_answer_400_naming_the_parameter(staff_client, running, params, field):
    rota_id, _ = running

    response = schedule(staff_client, rota_id, **params)

    assert response.status_code == 400
    assert field in response.json()


def test_access_and_unknown_rotas(client_for, reader, running):
    rota_id, _ = running
    reader_client = client_for(reader)

    assert client_for(None).get(f"/api/v1/rotas/{rota_id}/schedule/").status_code == 403
    assert reader_client.get(f"/api/v1/rotas/{rota_id}/schedule/").status_code == 200
    assert reader_client.get("/api/v1/rotas/999999/schedule/").status_code == 404
