"""Overrides of nobody (``person: null``) and the covering person's availability (SPEC 6.2)."""

from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from rota_core.api.fields import utc_iso
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory
from rota_scheduling import feeds
from rota_scheduling.models import Override
from rota_scheduling.selectors import rota_on_duty, rota_segments
from rota_scheduling.selectors.stats import rota_stats
from rota_scheduling.services import override_create, swap_request, swap_take
from rota_scheduling.testing.api import anchor, create_weekly_rota

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
OVERRIDES = "/api/v1/overrides/"
HOUR = timedelta(hours=1)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2027, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def rota(make_rota, people):
    """Weekly A B C D from 2027-03-01 09:00 UTC: A holds it until 03-08."""
    return make_rota(people, now=at(1))


def nobody(rota, start, end) -> Override:
    return override_create(rota=rota, person=None, starts_at=start, ends_at=end, now=NOW)


def test_an_override_of_nobody_leaves_the_rota_unheld_over_its_interval(rota, people):
    a, b = people[:2]
    made = nobody(rota, at(2), at(3))

    segments = rota_segments(rota=rota, start=at(1), end=at(15))
    held = rota_on_duty(rota=rota, at=at(2, 12))

    assert [(s.start, s.end, s.person, s.source, s.override_id) for s in segments] == [
        (at(1), at(2), a.pk, "rotation", None),
        (at(2), at(3), None, "override", made.pk),
        (at(3), at(8), a.pk, "rotation", None),
        (at(8), at(15), b.pk, "rotation", None),
    ]
    assert (held.person_id, held.source, held.starts_at, held.ends_at) == (
        None, "override", at(2), at(3),
    )  # fmt: skip


def test_an_override_of_nobody_wins_over_a_taken_swap(rota, people):
    a, b = people[:2]
    swap = swap_request(rota=rota, requester=a, starts_at=at(2), ends_at=at(4), now=NOW)
    swap_take(swap=swap, taker=b, now=NOW)
    nobody(rota, at(2), at(3))

    segments = rota_segments(rota=rota, start=at(2), end=at(5))

    assert [(s.start, s.end, s.person, s.source) for s in segments] == [
        (at(2), at(3), None, "override"),
        (at(3), at(4), b.pk, "swap"),
        (at(4), at(5), a.pk, "rotation"),
    ]
    assert rota_on_duty(rota=rota, at=at(2, 12)).person_id is None


def test_stats_and_feeds_count_nobody_over_an_override_of_nobody(rota, people):
    a = people[0]
    nobody(rota, at(2), at(3))

    stats = {row.person_id: row for row in rota_stats(rota=rota, start=at(1), end=at(8))}
    events = feeds._segments(rota, at(2, 12))

    assert stats[a.pk].hours == 6 * 24
    assert sum(row.hours for row in stats.values()) == 6 * 24
    assert (at(2), at(3)) not in [(s.start, s.end) for s in events]
    assert all(s.person is not None for s in events)


def test_the_api_takes_a_null_person_and_shows_nobody_on_duty(staff_client, people):
    rota_id = create_weekly_rota(staff_client, people, name="Ops", first=anchor(HOUR))["id"]
    start, end = anchor(2 * HOUR), anchor(-HOUR)

    response = staff_client.post(
        OVERRIDES,
        {"rota": rota_id, "person": None, "starts_at": utc_iso(start), "ends_at": utc_iso(end)},
        format="json",
    )

    assert response.status_code == 201, response.json()
    assert response.json()["person"] is None
    schedule = staff_client.get(
        f"/api/v1/rotas/{rota_id}/schedule/", {"start": utc_iso(start), "end": utc_iso(end)}
    ).json()
    assert [(s["person"], s["source"], s["override_id"]) for s in schedule] == [
        (None, "override", response.json()["id"])
    ]
    oncall = staff_client.get("/api/v1/oncall/").json()
    assert [(row["person"], row["source"]) for row in oncall] == [(None, "override")]


def test_an_override_for_someone_on_leave_is_refused_naming_the_leave(staff_client, people):
    rota_id = create_weekly_rota(staff_client, people, name="Ops", first=anchor(HOUR))["id"]
    start = anchor(-HOUR)
    a = people[0]
    leave = UnavailabilityFactory(person=a, starts_at=start + 2 * HOUR, ends_at=start + 5 * HOUR)
    body = {"rota": rota_id, "person": a.pk, "starts_at": utc_iso(start)}

    refused = staff_client.post(OVERRIDES, {**body, "ends_at": utc_iso(start + 3 * HOUR)})
    before_leave = staff_client.post(OVERRIDES, {**body, "ends_at": utc_iso(leave.starts_at)})

    assert refused.status_code == 400
    assert refused.json() == {
        "person": [
            f"A is unavailable from {leave.starts_at:%Y-%m-%d %H:%M}Z to "
            f"{leave.ends_at:%Y-%m-%d %H:%M}Z, inside the override."
        ]
    }
    assert before_leave.status_code == 201


def test_every_broken_rule_is_reported_at_once(rota, people):
    a = people[0]
    UnavailabilityFactory(person=a, starts_at=at(2), ends_at=at(4))
    nobody(rota, at(2), at(3))

    with pytest.raises(ValidationError) as error:
        override_create(rota=rota, person=a, starts_at=at(2, 12), ends_at=at(3, 12), now=NOW)

    assert set(error.value.message_dict) == {"person", "starts_at"}
    assert "A is unavailable from 2027-03-02 09:00Z to 2027-03-04 09:00Z" in str(error.value)
    with pytest.raises(ValidationError, match="inactive person"):
        override_create(
            rota=rota,
            person=PersonFactory(is_active=False),
            starts_at=at(5),
            ends_at=at(6),
            now=NOW,
        )
