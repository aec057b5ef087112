"""Reads: the timeline (stored history, then projection), who is on duty, stats, query counts."""

from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rota_core.models import Unavailability
from rota_core.testing.factories import PersonFactory
from rota_scheduling.models import Membership, Override, Rota, Shift
from rota_scheduling.selectors import (
    oncall_at,
    rota_on_duty,
    rota_segments,
    rota_stats,
    rota_timeline,
    rotas_for_api,
    rotas_now,
)
from rota_scheduling.services import override_create, rota_advance, rota_update, rotate_due

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour, 0, tzinfo=UTC)


def spans(segments) -> list[tuple]:
    return [(s.start, s.end, s.person, s.source) for s in segments]


# -- Never stale ---------------------------------------------------------------------------


def test_a_passed_handoff_shows_the_new_person_before_the_sweep_stores_it(make_rota, people):
    a, b, c, _d = people
    rota = make_rota(people, now=at(1))
    late = at(8, 12)  # the sweep has not run since 1 March

    [row] = oncall_at(at=late)
    assert (row.person_id, row.starts_at, row.ends_at) == (b.pk, at(8), at(15))

    state = rotas_now(rotas=list(rotas_for_api()), now=late)[rota.pk]
    assert (state.current.person_id, state.current.starts_at) == (b.pk, at(8))
    assert (state.next.person_id, state.next_handoff_at) == (c.pk, at(15))

    assert spans(rota_segments(rota=rota, start=at(1), end=at(22))) == [
        (at(1), at(8), a.pk, "rotation"),
        (at(8), at(15), b.pk, "rotation"),
        (at(15), at(22), c.pk, "rotation"),
    ]
    assert rota.shifts.count() == 1  # nothing was stored by reading


def test_after_long_downtime_the_reads_already_match_what_the_sweep_will_store(make_rota, people):
    rota = make_rota(people, cadence="daily", now=at(1))
    late = at(11, 12)
    before = spans(rota_segments(rota=rota, start=at(1), end=at(13)))
    on_duty = rota_on_duty(rota=rota, at=late).person_id

    rotate_due(now=late)

    assert spans(rota_segments(rota=rota, start=at(1), end=at(13))) == before
    assert rota_on_duty(rota=rota, at=late).person_id == on_duty


def test_the_timeline_is_stored_history_before_the_next_handoff_and_projection_after(
    make_rota, people
):
    a, b, c, d = people
    rota = make_rota(people, now=at(1))
    rota = rota_advance(rota=rota, now=at(3, 15))
    # The manual handoff is history: the projection goes on from the cycle it left.
    timeline = rota_timeline(rota=rota, start=at(1), end=at(22))

    assert [(s.start, s.end, s.person, s.source) for s in timeline] == [
        (at(1), at(3, 15), a.pk, "rotation"),
        (at(3, 15), at(8), b.pk, "manual"),
        (at(8), at(15), c.pk, "rotation"),
        (at(15), at(22), d.pk, "rotation"),
    ]


def test_a_window_before_the_first_boundary_has_nobody(make_rota, people):
    rota = make_rota(people, starts_on=date(2027, 3, 10))

    assert spans(rota_segments(rota=rota, start=at(1), end=at(11))) == [
        (at(1), at(10), None, "rotation"),
        (at(10), at(11), people[0].pk, "rotation"),
    ]
    state = rotas_now(rotas=[rota], now=NOW)[rota.pk]
    assert state.current is None
    assert (state.next.person_id, state.next_handoff_at) == (people[0].pk, at(10))


def test_a_paused_rota_shows_its_assignee_and_no_next(make_rota, people):
    rota = make_rota(people, now=at(1))
    rota = rota_update(rota=rota, fields={"is_active": False}, now=at(2))

    state = rotas_now(rotas=[rota], now=at(20))[rota.pk]
    assert state.current.person_id == people[0].pk
    assert (state.next, state.next_handoff_at) == (None, None)
    assert spans(rota_segments(rota=rota, start=at(15), end=at(29))) == [
        (at(15), at(29), people[0].pk, "rotation")
    ]
    assert oncall_at(at=at(20)) == []  # one row per active rota


def test_on_duty_prefers_the_override(make_rota, people):
    _a, _b, _c, d = people
    rota = make_rota(people, now=at(1))
    override_create(rota=rota, person=d, starts_at=at(8), ends_at=at(9), now=NOW)

    [row] = oncall_at(at=at(8, 12))
    assert (row.person_id, row.source, row.starts_at, row.ends_at) == (
        d.pk,
        "override",
        at(8),
        at(9),
    )
    state = rotas_now(rotas=[rota], now=at(2))[rota.pk]
    assert state.next.person_id == d.pk  # who will actually be on duty at the handoff


def test_the_projection_honours_unavailability(make_rota, people):
    a, b, c, d = people
    rota = make_rota(people, now=at(1))
    Unavailability.objects.create(person=b, starts_at=at(9), ends_at=at(10))

    assert [s.person for s in rota_segments(rota=rota, start=at(1), end=at(29))] == [
        a.pk,
        c.pk,
        b.pk,
        d.pk,
    ]


def test_stats_count_shifts_hours_and_times_passed_over(make_rota, people):
    a, b, c, d = people
    rota = make_rota(people, now=at(1))
    Unavailability.objects.create(person=b, starts_at=at(9), ends_at=at(10))
    override_create(rota=rota, person=d, starts_at=at(2), ends_at=at(3), now=NOW)
    rotate_due(now=at(15))

    rows = {row.person_id: row for row in rota_stats(rota=rota, start=at(1), end=at(15))}

    assert (rows[a.pk].shifts, rows[a.pk].hours, rows[a.pk].passed_over) == (1, 144.0, 0)
    assert (rows[b.pk].shifts, rows[b.pk].hours, rows[b.pk].passed_over) == (0, 0.0, 1)
    assert (rows[c.pk].shifts, rows[c.pk].hours) == (1, 168.0)
    assert (rows[d.pk].shifts, rows[d.pk].hours) == (0, 24.0)  # the override counts for D


# -- Query budgets -------------------------------------------------------------------------


def _mixed_rotas(make_rota, members, count: int, *, offset: int = 0) -> list[Rota]:
    """Rotas in every state the readers meet: current, overdue, before B_0, covered, paused."""
    made = []
    for i in range(offset, offset + count):
        kind = i % 5
        if kind == 0:
            rota = make_rota(members, name=f"R{i}", now=at(1))
        elif kind == 1:
            rota = make_rota(members, name=f"R{i}", cadence="daily", starts_on=date(2027, 2, 20))
        elif kind == 2:
            rota = make_rota(members, name=f"R{i}", starts_on=date(2027, 3, 20))
        elif kind == 3:
            rota = make_rota(members, name=f"R{i}", now=at(1))
            override_create(rota=rota, person=members[-1], starts_at=at(5), ends_at=at(9), now=NOW)
        else:
            rota = make_rota(members, name=f"R{i}", now=at(1), is_active=False)
        made.append(rota)
    return made


def _clone(rota: Rota, copies: int) -> None:
    """``copies`` more rotas in the state of ``rota``, written in bulk (hundreds made through
    the service would take most of this suite's time on PostgreSQL)."""
    rota = Rota.objects.select_related("current_shift").get(pk=rota.pk)
    skip = {"id", "name", "slug", "calendar_token", "current_shift"}
    values = {f.attname: getattr(rota, f.attname) for f in Rota._meta.concrete_fields}
    values = {name: value for name, value in values.items() if name not in skip}
    made = Rota.objects.bulk_create(
        Rota(
            **values,
            name=f"{rota.name}-{i}",
            slug=f"{rota.slug}-{i}",
            calendar_token=f"{rota.pk}-{i}",
        )
        for i in range(copies)
    )
    memberships, overrides = list(rota.memberships.all()), list(rota.overrides.all())
    Membership.objects.bulk_create(
        Membership(rota=copy, person_id=m.person_id, position=m.position)
        for copy in made
        for m in memberships
    )
    if (shift := rota.current_shift) is not None:
        fields = ("person_id", "starts_at", "ends_at", "boundary", "source", "conflict")
        copied = Shift.objects.bulk_create(
            Shift(rota=copy, **{f: getattr(shift, f) for f in fields}) for copy in made
        )
        for copy, current in zip(made, copied, strict=True):
            copy.current_shift = current
        Rota.objects.bulk_update(made, ["current_shift"])
    Override.objects.bulk_create(
        Override(rota=copy, person_id=o.person_id, starts_at=o.starts_at, ends_at=o.ends_at)
        for copy in made
        for o in overrides
    )


def _count(func) -> int:
    with CaptureQueriesContext(connection) as queries:
        func()
    return len(queries)


@pytest.fixture
def five_members(db):
    return PersonFactory.create_batch(5)


def test_rotas_now_and_oncall_use_as_many_queries_for_500_rotas_as_for_5(
    make_rota, five_members, django_assert_max_num_queries
):
    kinds = _mixed_rotas(make_rota, five_members, 5)
    later = at(8, 12)  # kind 1 rotas are overdue then
    small_now = _count(lambda: rotas_now(rotas=list(rotas_for_api()), now=later))
    small_oncall = _count(lambda: oncall_at(at=later))

    for rota in kinds:
        _clone(rota, 99)
    rotas = list(rotas_for_api())
    assert len(rotas) == 500
    with django_assert_max_num_queries(small_now - 1):  # the query listing the rotas
        states = rotas_now(rotas=rotas, now=later)
    with django_assert_max_num_queries(small_oncall):
        rows = oncall_at(at=later)

    assert len(states) == 500 and len(rows) == 400
    assert small_now <= 10 and small_oncall <= 8


def test_rota_segments_uses_a_constant_number_of_queries(
    make_rota, people, django_assert_max_num_queries
):
    rota = make_rota(people, cadence="daily", now=at(1))
    override_create(rota=rota, person=people[3], starts_at=at(2), ends_at=at(3), now=NOW)
    week = _count(lambda: rota_segments(rota=rota, start=at(1), end=at(8)))

    rotate_due(now=at(1, month=6))  # three months of stored history

    with django_assert_max_num_queries(week):
        segments = rota_segments(rota=rota, start=at(1), end=at(1, month=12))
    assert len(segments) > 250
    assert week <= 6  # members, leave, shifts, overrides, taken swaps
