"""Projected shifts: boundaries and holders together, availability over each shift's span."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo

import pytest

from rota_scheduling.engine import Availability, CycleState, PlannedShift, Recurrence, project

LONDON = ZoneInfo("Europe/London")
AUCKLAND = ZoneInfo("Pacific/Auckland")
MEMBERS = ("A", "B", "C", "D")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def weekly_london() -> Recurrence:
    # Mondays 09:00 from 1 January 2024 (GMT, so boundaries are 09:00 UTC until March).
    return Recurrence(
        tz=LONDON, cadence="weekly", interval=1, starts_on=date(2024, 1, 1), handoff_time=time(9)
    )


def project_weekly(availability, policy="defer", shifts=6, **kwargs):
    recurrence = weekly_london()
    options = {
        "recurrence": recurrence,
        "members": MEMBERS,
        "state": CycleState.starting_at(0, len(MEMBERS)),
        "policy": policy,
        "availability": availability,
        "from_k": 0,
        "until": recurrence.boundary(shifts),
    } | kwargs
    return project(**options)


def people(shifts):
    return [shift.person for shift in shifts]


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("defer", ["A", "C", "B", "D", "A", "B"]), ("skip", ["A", "C", "D", "A", "B", "C"])],
)
def test_spec_example_with_b_away_in_week_one(policy, expected):
    away = Availability({"B": [(utc(2024, 1, 8, 9), utc(2024, 1, 15, 9))]})
    shifts, _ = project_weekly(away, policy=policy)
    assert people(shifts) == expected
    assert shifts[1].passed_over == ("B",)


def test_shifts_run_from_boundary_to_boundary():
    shifts, state = project_weekly(Availability(), shifts=3)
    assert shifts == [
        PlannedShift(utc(2024, 1, 1, 9), utc(2024, 1, 8, 9), "A", "rotation", False, (), 0),
        PlannedShift(utc(2024, 1, 8, 9), utc(2024, 1, 15, 9), "B", "rotation", False, (), 1),
        PlannedShift(utc(2024, 1, 15, 9), utc(2024, 1, 22, 9), "C", "rotation", False, (), 2),
    ]
    assert state == CycleState(cycle_person="C", cycle_index=2, owed=())


def test_an_hour_of_leave_anywhere_in_the_shift_passes_the_member_over():
    away = Availability({"B": [(utc(2024, 1, 15, 8), utc(2024, 1, 15, 9, 0, 1))]})
    shifts, _ = project_weekly(away, policy="skip", shifts=2)
    assert people(shifts) == ["A", "C"]


def test_leave_is_half_open():
    # Leave ending as the shift starts, or starting as it ends, does not touch it.
    away = Availability(
        {"B": [(utc(2024, 1, 1), utc(2024, 1, 8, 9)), (utc(2024, 1, 15, 9), utc(2024, 2, 1))]}
    )
    shifts, _ = project_weekly(away, policy="skip", shifts=2)
    assert people(shifts) == ["A", "B"]


def test_deactivated_member_is_passed_over_from_then_on():
    # Deactivated during shift 2: unavailable for it and every later one, available for shift 1.
    gone = Availability(inactive_since={"B": utc(2024, 1, 20)})
    shifts, _ = project_weekly(gone, policy="skip", shifts=9)
    assert people(shifts) == ["A", "B", "C", "D", "A", "C", "D", "A", "C"]
    assert Availability(inactive_since={"B": utc(2024, 1, 15, 9)}).is_available(
        "B", utc(2024, 1, 8, 9), utc(2024, 1, 15, 9)
    )


def test_deactivated_member_under_defer_is_never_repaid():
    gone = Availability(inactive_since={"B": utc(2024, 1, 1)})
    shifts, state = project_weekly(gone, shifts=6)
    assert people(shifts) == ["A", "C", "D", "A", "C", "D"]
    assert state.owed == ("B",)


def test_everyone_away_is_a_conflict_for_the_cycle_pick():
    week = (utc(2024, 1, 8, 9), utc(2024, 1, 15, 9))
    away = Availability({person: [week] for person in MEMBERS})
    shifts, state = project_weekly(away, shifts=3)
    assert [(s.person, s.conflict, s.passed_over) for s in shifts] == [
        ("A", False, ()),
        ("B", True, ()),
        ("C", False, ()),
    ]
    assert state.owed == ()


def test_projection_can_be_resumed_from_its_state():
    away = Availability({"B": [(utc(2024, 1, 8, 9), utc(2024, 1, 15, 9))]})
    whole, final = project_weekly(away, shifts=10)
    recurrence = weekly_london()
    first, middle = project_weekly(away, shifts=2)
    rest, resumed = project_weekly(away, state=middle, from_k=2, until=recurrence.boundary(10))
    assert first + rest == whole
    assert resumed == final


def test_limit_and_until():
    shifts, state = project_weekly(Availability(), shifts=100, limit=3)
    assert [s.k for s in shifts] == [0, 1, 2]
    assert state.cycle_person == "C"
    empty, unchanged = project_weekly(Availability(), until=utc(2024, 1, 1, 9))
    assert empty == []
    assert unchanged == CycleState.starting_at(0, 4)
    none, _ = project_weekly(Availability(), limit=0)
    assert none == []
    with pytest.raises(ValueError):
        project_weekly(Availability(), limit=-1)


def test_rota_starting_later_in_its_recurrence():
    # Started at boundary 6 of a 4-member rota: the first turn goes to position 6 mod 4.
    shifts, _ = project_weekly(
        Availability(), from_k=6, state=CycleState.starting_at(6, 4), until=utc(2024, 3, 1)
    )
    assert [(s.k, s.person) for s in shifts] == [(6, "C"), (7, "D"), (8, "A")]
    assert shifts[0].start == utc(2024, 2, 12, 9)


def test_period_before_the_first_boundary_holds_no_shift():
    shifts, _ = project_weekly(Availability(), from_k=-1, shifts=1)
    assert [(s.k, s.start) for s in shifts] == [(0, utc(2024, 1, 1, 9))]


def test_friday_shift_of_a_working_week_rota_lasts_until_monday():
    recurrence = Recurrence(
        tz=AUCKLAND,
        cadence="daily",
        interval=1,
        starts_on=date(2024, 9, 23),  # a Monday; clocks go forward on Sunday the 29th
        handoff_time=time(8, 30),
        weekdays=frozenset(range(5)),
    )
    shifts, _ = project(
        recurrence=recurrence,
        members=("A", "B", "C"),
        state=CycleState.starting_at(0, 3),
        policy="defer",
        availability=Availability(),
        from_k=0,
        until=recurrence.boundary(6),
    )
    friday = shifts[4]
    assert friday.start.astimezone(AUCKLAND).strftime("%a %H:%M") == "Fri 08:30"
    assert friday.end.astimezone(AUCKLAND).strftime("%a %H:%M") == "Mon 08:30"
    assert friday.end - friday.start == timedelta(days=3, hours=-1)
    assert people(shifts) == ["A", "B", "C", "A", "B", "C"]


def test_empty_period_of_a_skipped_day_gets_no_shift():
    recurrence = Recurrence(
        tz=ZoneInfo("Pacific/Apia"),
        cadence="daily",
        interval=1,
        starts_on=date(2011, 12, 28),
        handoff_time=time(9),
    )
    shifts, _ = project(
        recurrence=recurrence,
        members=("A", "B"),
        state=CycleState.starting_at(0, 2),
        policy="skip",
        availability=Availability(),
        from_k=0,
        until=recurrence.boundary(5),
    )
    assert [s.k for s in shifts] == [0, 1, 3, 4]
    assert all(s.start < s.end for s in shifts)
    assert all(a.end == b.start for a, b in pairwise(shifts))
    assert people(shifts) == ["A", "B", "A", "B"]
