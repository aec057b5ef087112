"""SPEC 3 "Rotas" through the services: start, who is next, advance, pause, edits, members."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from rest_framework.exceptions import APIException

from rota_core.models import Unavailability
from rota_core.testing.factories import PersonFactory
from rota_scheduling.exceptions import RotaNotRunning
from rota_scheduling.models import Rota, Shift
from rota_scheduling.services import rota_advance, rota_create, rota_update, rotate_due

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)  # a Monday


def at(day: int, hour: int = 9, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour, 0, tzinfo=UTC)


def away(person, start: datetime, end: datetime) -> None:
    Unavailability.objects.create(person=person, starts_at=start, ends_at=end)


def current(rota: Rota) -> Shift | None:
    rota = Rota.objects.select_related("current_shift__person").get(pk=rota.pk)
    return rota.current_shift


# -- Start ---------------------------------------------------------------------------------


def test_start_stores_the_shift_of_the_period_containing_now_for_member_k_mod_n(
    make_rota, people, signals
):
    # Weekly from Monday 25 January: NOW (1 March, 12:00) is in period k = 5, and 5 mod 4 = 1.
    rota = make_rota(people, starts_on=date(2027, 1, 25))

    shift = current(rota)
    assert (shift.person.name, shift.starts_at, shift.ends_at) == ("B", at(1), at(8))
    assert rota.shifts.count() == 1  # earlier periods are not fabricated as history
    assert rota.next_handoff_at == at(8)
    assert [(s["person"].name, s["shift"].pk) for s in signals.shift_started] == [("B", shift.pk)]


def test_start_passes_over_an_unavailable_member(make_rota, people):
    away(people[1], at(1, 0), at(2))
    rota = make_rota(people, starts_on=date(2027, 1, 25))

    assert current(rota).person.name == "C"


def test_nobody_is_on_duty_before_the_first_boundary(make_rota, people, signals, held_by):
    rota = make_rota(people, starts_on=date(2027, 3, 10))

    assert rota.current_shift is None
    assert rota.next_handoff_at == at(10)
    assert not Shift.objects.exists()
    assert signals.shift_started == []

    rotate_due(now=at(10))
    assert held_by(rota) == ["A"]
    assert current(rota).starts_at == at(10)


def test_a_rota_created_paused_starts_when_resumed(make_rota, people, signals):
    rota = make_rota(people, starts_on=date(2027, 1, 25), is_active=False)
    assert rota.current_shift is None and rota.next_handoff_at is None

    rota_update(rota=rota, fields={"is_active": True}, now=at(9, 12))

    shift = current(rota)
    assert (shift.person.name, shift.starts_at, shift.ends_at) == ("C", at(8), at(15))
    assert [s["person"].name for s in signals.shift_started] == ["C"]


def test_a_rota_without_members_starts_when_it_gets_some(make_rota, people):
    rota = make_rota([], starts_on=date(2027, 3, 1))
    assert rota.current_shift is None and rota.next_handoff_at is None

    rota_update(rota=rota, fields={}, members=[p.pk for p in people], now=NOW)

    assert current(rota).person.name == "A"
    assert Rota.objects.get(pk=rota.pk).next_handoff_at == at(8)


# -- Who is next -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("policy", "expected"),
    [("defer", ["A", "C", "B", "D", "A", "B"]), ("skip", ["A", "C", "D", "A", "B", "C"])],
)
def test_spec_example_b_away_in_week_one(make_rota, people, held_by, policy, expected):
    rota = make_rota(people, skip_policy=policy, now=at(1))
    away(people[1], at(8) + timedelta(days=1), at(8) + timedelta(days=2))

    for week in range(1, 6):
        rotate_due(now=at(1) + timedelta(weeks=week))

    assert held_by(rota) == expected
    owed = Shift.objects.get(rota=rota, starts_at=at(8))
    assert owed.passed_over == [people[1].pk]


def test_when_everyone_is_away_the_cycle_pick_holds_a_conflict_and_nobody_is_owed(
    make_rota, people, held_by
):
    rota = make_rota(people, now=at(1))
    for person in people:
        away(person, at(8), at(15))

    rotate_due(now=at(8))
    shift = current(rota)
    assert (shift.person.name, shift.conflict) == ("B", True)
    assert Rota.objects.get(pk=rota.pk).owed == []

    rotate_due(now=at(15))
    assert held_by(rota) == ["A", "B", "C"]
    assert current(rota).conflict is False


# -- Manual advance ------------------------------------------------------------------------


def test_advance_hands_over_now_until_the_next_regular_boundary(make_rota, people, signals):
    rota = make_rota(people, now=at(1))
    signals.clear()

    rota = rota_advance(rota=rota, now=at(3, 15))

    shift = current(rota)
    assert (shift.person.name, shift.starts_at, shift.ends_at) == ("B", at(3, 15), at(8))
    assert shift.source == "manual"
    assert Shift.objects.get(rota=rota, starts_at=at(1)).ends_at == at(3, 15)
    assert rota.next_handoff_at == at(8)  # the regular handoff does not move
    assert [s["person"].name for s in signals.shift_started] == ["B"]

    rotate_due(now=at(8))
    assert current(rota).person.name == "C"


def test_advance_applies_the_availability_rules(make_rota, people):
    rota = make_rota(people, now=at(1))
    away(people[1], at(3), at(5))

    rota = rota_advance(rota=rota, now=at(3, 15))

    assert current(rota).person.name == "C"


def test_advance_of_a_paused_rota_is_refused(make_rota, people):
    rota = make_rota(people, now=at(1))
    rota_update(rota=rota, fields={"is_active": False}, now=at(2))

    with pytest.raises(RotaNotRunning, match="paused") as refused:
        rota_advance(rota=rota, now=at(3))
    assert not isinstance(refused.value, APIException)  # the app's own error; the API maps it


# -- Pause ---------------------------------------------------------------------------------


def test_a_paused_rota_keeps_its_assignee_and_resumes_at_the_first_boundary_after(
    make_rota, people, signals, held_by
):
    rota = make_rota(people, now=at(1))
    rota_update(rota=rota, fields={"is_active": False}, now=at(3))
    assert Rota.objects.get(pk=rota.pk).next_handoff_at is None

    result = rotate_due(now=at(20))
    assert result.shifts == []
    assert held_by(rota) == ["A"]
    assert current(rota).ends_at is None  # A stays on duty while paused

    signals.clear()
    rota = rota_update(rota=rota, fields={"is_active": True}, now=at(20, 12))
    assert rota.next_handoff_at == at(22)
    assert current(rota).person.name == "A"
    assert current(rota).ends_at == at(22)
    assert signals.shift_started == []  # nobody new is on duty

    rotate_due(now=at(22))
    assert held_by(rota) == ["A", "B"]


# -- Edits ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "next_handoff"),
    [
        ({"cadence": "daily"}, at(4)),
        ({"interval": 2}, at(15)),
        ({"starts_on": date(2027, 3, 4)}, at(4)),
        ({"handoff_time": time(18, 0)}, at(8, 18)),
        ({"timezone": "America/New_York"}, at(8, 14)),  # 09:00 EST
    ],
    ids=["cadence", "interval", "starts_on", "handoff_time", "timezone"],
)
def test_an_edit_keeps_the_assignee_and_moves_the_next_handoff(
    make_rota, people, held_by, fields, next_handoff
):
    rota = make_rota(people, now=at(1))

    rota = rota_update(rota=rota, fields=fields, now=at(3, 12))

    assert rota.next_handoff_at == next_handoff
    assert current(rota).person.name == "A"
    assert current(rota).ends_at == next_handoff
    rotate_due(now=next_handoff - timedelta(seconds=1))
    assert held_by(rota) == ["A"]
    rotate_due(now=next_handoff)
    assert held_by(rota) == ["A", "B"]


def test_an_edit_after_a_missed_handoff_stores_it_first(make_rota, people, held_by):
    rota = make_rota(people, now=at(1))

    rota_update(rota=rota, fields={"handoff_time": time(18, 0)}, now=at(9, 12))

    assert held_by(rota) == ["A", "B"]
    assert Rota.objects.get(pk=rota.pk).next_handoff_at == at(15, 18)


def test_when_the_current_assignee_leaves_the_member_now_at_their_position_is_next(
    make_rota, people, held_by
):
    a, b, c, d = people
    rota = make_rota(people, now=at(1))
    rotate_due(now=at(8))
    assert current(rota).person == b

    rota_update(rota=rota, fields={}, members=[a.pk, c.pk, d.pk], now=at(9))
    rotate_due(now=at(15))

    assert held_by(rota) == ["A", "B", "C"]


def test_reordering_members_changes_who_is_next(make_rota, people, held_by):
    a, b, c, d = people
    rota = make_rota(people, now=at(1))

    rota_update(rota=rota, fields={}, members=[a.pk, d.pk, c.pk, b.pk], now=at(2))
    rotate_due(now=at(8))
    rotate_due(now=at(15))

    assert held_by(rota) == ["A", "D", "C"]


def test_removing_every_member_stops_rotation_and_the_assignee_stays(make_rota, people):
    rota = make_rota(people, now=at(1))

    rota = rota_update(rota=rota, fields={}, members=[], now=at(2))

    assert rota.next_handoff_at is None
    assert rotate_due(now=at(30)).shifts == []
    assert current(rota).person.name == "A"


# -- Validation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"timezone": "Mars/Olympus_Mons"}, "timezone"),
        ({"interval": 0}, "interval"),
        ({"interval": -3}, "interval"),
        ({"cadence": "hourly"}, "cadence"),
        ({"cadence": "daily", "weekdays": [0, 1, 2, 3, 4]}, "starts_on"),  # starts on a Sunday
        ({"weekdays": [0, 7]}, "weekdays"),
        ({"weekdays": [-1]}, "weekdays"),
        ({"weekdays": []}, "weekdays"),
        ({"skip_policy": "swap"}, "skip_policy"),
        ({"name": ""}, "name"),
        ({"name": "Ops\nBcc: all@example.com"}, "name"),
        ({"name": "Ops\tDesk"}, "name"),
    ],
)
def test_an_invalid_definition_is_refused_naming_the_field(db, people, fields, field):
    with pytest.raises(ValidationError) as error:
        rota_create(
            fields={"name": "Ops", "starts_on": date(2027, 2, 28), **fields},
            members=[p.pk for p in people],
            now=NOW,
        )
    assert field in error.value.message_dict
    assert not Rota.objects.exists()


def test_invalid_members_are_refused_naming_the_field(db, people):
    inactive = PersonFactory(is_active=False)
    a = people[0]
    for members in ([a.pk, a.pk], [a.pk, 999_999], [a.pk, inactive.pk]):
        with pytest.raises(ValidationError) as error:
            rota_create(fields={"name": "Ops", "starts_on": NOW.date()}, members=members, now=NOW)
        assert list(error.value.message_dict) == ["members"], members
    assert not Rota.objects.exists()


def test_rota_names_are_unique_ignoring_case(make_rota, people):
    make_rota(people, name="Ops")
    with pytest.raises(ValidationError) as error:
        make_rota(people, name="OPS")
    assert "name" in error.value.message_dict


def test_an_invalid_edit_changes_nothing(make_rota, people):
    rota = make_rota(people, now=at(1))
    with pytest.raises(ValidationError) as error:
        rota_update(rota=rota, fields={"interval": 0}, now=at(2))
    assert "interval" in error.value.message_dict
    assert Rota.objects.get(pk=rota.pk).interval == 1


@pytest.mark.parametrize("members", ["ABC", "ABCDE", "DCBA"])
def test_members_changed_before_the_first_boundary_start_with_the_first_member(
    make_rota, people, held_by, members
):
    by_name = {p.name: p for p in [*people, PersonFactory(name="E")]}
    rota = make_rota(people, starts_on=date(2027, 3, 10))

    rota_update(rota=rota, fields={}, members=[by_name[n].pk for n in members], now=at(2))
    rotate_due(now=at(10))

    assert held_by(rota) == [members[0]]
