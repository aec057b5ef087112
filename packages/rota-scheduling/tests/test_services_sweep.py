"""The rotation sweep (rotate_due) and the reminders (send_reminders)."""

import gc
import itertools
from datetime import UTC, date, datetime, time, timedelta

import pytest

from rota_scheduling.models import Rota, Shift
from rota_scheduling.services import override_create, rota_update, rotate_due, send_reminders

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 9, minute: int = 0, month: int = 3) -> datetime:
    return datetime(2027, month, day, hour, minute, tzinfo=UTC)


def fresh(rota: Rota) -> Rota:
    return Rota.objects.select_related("current_shift__person").get(pk=rota.pk)


# -- Materialization -----------------------------------------------------------------------


def test_the_sweep_stores_the_due_handoff_and_announces_it_once(make_rota, people, signals):
    rota = make_rota(people, now=at(1))
    signals.clear()

    result = rotate_due(now=at(8))

    rota = fresh(rota)
    assert [s.person.name for s in result.shifts] == ["B"]
    assert (rota.current_shift.person.name, rota.current_shift.starts_at) == ("B", at(8))
    assert rota.next_handoff_at == at(15)
    assert Shift.objects.get(rota=rota, starts_at=at(1)).ends_at == at(8)
    assert [(s["person"].name, s["shift"].starts_at) for s in signals.shift_started] == [
        ("B", at(8))
    ]


def test_each_batch_is_announced_by_one_shifts_started_carrying_all_its_rotas(
    make_rota, people, signals
):
    rotas = [make_rota(people, name=f"R{i}", cadence="daily", now=at(1)) for i in range(7)]
    signals.clear()

    rotate_due(now=at(3, 12), batch_size=3)

    assert [len(starts) for starts in signals.shifts_started] == [3, 3, 1]
    announced = [start for starts in signals.shifts_started for start in starts]
    assert [start.rota.pk for start in announced] == [rota.pk for rota in rotas]
    for start in announced:
        assert start.shift.starts_at == at(3)  # the latest of the two stored, only
        assert start.person == start.shift.person and start.override is None


def test_nothing_is_due_before_the_handoff(make_rota, people, signals):
    rota = make_rota(people, now=at(1))
    signals.clear()

    assert rotate_due(now=at(8) - timedelta(microseconds=1)).shifts == []
    assert rota.shifts.count() == 1
    assert signals.shift_started == []


def test_after_ten_days_down_the_sweep_stores_ten_daily_shifts_and_announces_the_latest(
    make_rota, people, signals, held_by
):
    rota = make_rota(people, cadence="daily", now=at(1))
    signals.clear()

    result = rotate_due(now=at(11, 12))

    assert len(result.shifts) == 10
    assert held_by(rota) == list("ABCDABCDABC")
    starts = list(rota.shifts.order_by("starts_at").values_list("starts_at", "ends_at"))
    assert all(end == next_start for (_, end), (next_start, _) in itertools.pairwise(starts))
    rota = fresh(rota)
    assert rota.current_shift.starts_at == at(11)
    assert rota.next_handoff_at == at(12)
    assert [s["shift"].pk for s in signals.shift_started] == [rota.current_shift.pk]


def test_running_the_sweep_twice_stores_nothing_new_and_announces_nothing(
    make_rota, people, signals
):
    rota = make_rota(people, cadence="daily", now=at(1))
    rotate_due(now=at(4, 12))
    signals.clear()
    count = rota.shifts.count()

    again = rotate_due(now=at(4, 12))

    assert again.shifts == []
    assert rota.shifts.count() == count
    assert signals.shift_started == []


def test_the_sweep_skips_paused_rotas(make_rota, people):
    rota = make_rota(people, now=at(1))
    Rota.objects.filter(pk=rota.pk).update(is_active=False)  # even with a due handoff left

    assert rotate_due(now=at(20)).shifts == []


def test_a_failing_rota_does_not_stop_the_others(make_rota, people, signals, monkeypatch):
    broken = make_rota(people, now=at(1), name="Broken")
    fine = make_rota(people, now=at(1), name="Fine")
    Rota.objects.filter(pk=broken.pk).update(cadence="hourly")  # the engine refuses it

    result = rotate_due(now=at(8))

    assert result.failed == [broken.pk]
    assert [s.rota_id for s in result.shifts] == [fine.pk]
    assert fresh(broken).next_handoff_at == at(8)  # untouched, still due
    assert broken.shifts.count() == 1


def test_shift_started_names_the_covering_person_when_an_override_covers_the_handoff(
    make_rota, people, signals
):
    _a, b, _c, d = people
    rota = make_rota(people, now=at(1))
    cover = override_create(rota=rota, person=d, starts_at=at(7), ends_at=at(9), now=at(2))
    signals.clear()

    rotate_due(now=at(8))

    [sent] = signals.shift_started
    assert sent["shift"].person == b  # the rotation order is unchanged
    assert sent["person"] == d
    assert sent["override"] == cover


# -- Daylight saving time (Europe/London) -----------------------------------------------------


def test_daily_handoffs_at_0130_across_the_october_fall_back(make_rota, people):
    rota = make_rota(
        people,
        cadence="daily",
        timezone="Europe/London",
        handoff_time=time(1, 30),
        starts_on=date(2027, 10, 29),
        now=datetime(2027, 10, 29, 12, 0, tzinfo=UTC),
    )
    for day in (30, 31):
        rotate_due(now=datetime(2027, 10, day, 12, 0, tzinfo=UTC))
    rotate_due(now=datetime(2027, 11, 1, 12, 0, tzinfo=UTC))

    assert list(rota.shifts.order_by("starts_at").values_list("starts_at", flat=True)) == [
        datetime(2027, 10, 29, 0, 30, tzinfo=UTC),  # 01:30 BST
        datetime(2027, 10, 30, 0, 30, tzinfo=UTC),
        datetime(2027, 10, 31, 0, 30, tzinfo=UTC),  # the first 01:30 of the repeated hour
        datetime(2027, 11, 1, 1, 30, tzinfo=UTC),  # 01:30 GMT
    ]
    assert fresh(rota).next_handoff_at == datetime(2027, 11, 2, 1, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("zone", "wall", "expected"),
    [
        # London skips 01:00-02:00: 01:30 is read as GMT, so it lands at 02:30 BST.
        (
            "Europe/London",
            time(1, 30),
            [at(26, 1, 30), at(27, 1, 30), at(28, 1, 30), at(29, 0, 30)],
        ),
        # Paris skips 02:00-03:00: 02:30 is read as CET, so it lands at 03:30 CEST (SPEC's case).
        ("Europe/Paris", time(2, 30), [at(26, 1, 30), at(27, 1, 30), at(28, 1, 30), at(29, 0, 30)]),
        # 02:30 exists in London on the day of the change (02:30 BST).
        (
            "Europe/London",
            time(2, 30),
            [at(26, 2, 30), at(27, 2, 30), at(28, 1, 30), at(29, 1, 30)],
        ),
    ],
    ids=["london-0130", "paris-0230", "london-0230"],
)
def test_daily_handoffs_across_the_march_gap(make_rota, people, zone, wall, expected):
    rota = make_rota(
        people,
        cadence="daily",
        timezone=zone,
        handoff_time=wall,
        starts_on=date(2027, 3, 26),
        now=at(26, 12),
    )
    for day in (27, 28, 29):
        rotate_due(now=at(day, 12))

    assert list(rota.shifts.order_by("starts_at").values_list("starts_at", flat=True)) == expected


# -- Reminders -------------------------------------------------------------------------------


def test_a_reminder_goes_out_once_reminder_minutes_before_the_handoff(make_rota, people, signals):
    _a, b, _c, _d = people
    make_rota(people, now=at(1), reminder_minutes=60)

    assert send_reminders(now=at(8, 7, 59)) == 0
    assert send_reminders(now=at(8, 8, 0)) == 1
    assert send_reminders(now=at(8, 8, 30)) == 0

    [sent] = signals.shift_upcoming
    assert (sent["person"], sent["starts_at"], sent["ends_at"]) == (b, at(8), at(15))


def test_the_next_handoff_gets_its_own_reminder(make_rota, people, signals):
    make_rota(people, now=at(1), reminder_minutes=60)
    send_reminders(now=at(8, 8))
    rotate_due(now=at(8))

    assert send_reminders(now=at(15, 8)) == 1
    assert [s["person"].name for s in signals.shift_upcoming] == ["B", "C"]


def test_no_reminder_without_reminder_minutes(make_rota, people, signals):
    make_rota(people, now=at(1), reminder_minutes=None)

    assert send_reminders(now=at(8) - timedelta(seconds=1)) == 0
    assert signals.shift_upcoming == []


def test_switching_reminders_off_stops_the_pending_one(make_rota, people, signals):
    rota = make_rota(people, now=at(1), reminder_minutes=60)

    rota_update(rota=rota, fields={"reminder_minutes": None}, now=at(2))

    assert send_reminders(now=at(8, 8, 30)) == 0
    assert signals.shift_upcoming == []


def test_changing_reminder_minutes_moves_the_pending_reminder(make_rota, people, signals):
    rota = make_rota(people, now=at(1), reminder_minutes=60)

    rota_update(rota=rota, fields={"reminder_minutes": 30}, now=at(2))

    assert send_reminders(now=at(8, 8, 0)) == 0
    assert send_reminders(now=at(8, 8, 30)) == 1


def test_an_unrelated_edit_does_not_send_the_reminder_twice(make_rota, people, signals):
    rota = make_rota(people, now=at(1), reminder_minutes=60)
    send_reminders(now=at(8, 8))

    rota_update(rota=rota, fields={"description": "Ops on call"}, now=at(8, 8, 10))
    rota_update(rota=rota, fields={"skip_policy": "skip"}, now=at(8, 8, 15))

    assert send_reminders(now=at(8, 8, 20)) == 0
    assert len(signals.shift_upcoming) == 1


def test_the_reminder_names_whoever_covers_the_handoff(make_rota, people, signals):
    _a, _b, _c, d = people
    rota = make_rota(people, now=at(1), reminder_minutes=60)
    override_create(rota=rota, person=d, starts_at=at(8), ends_at=at(9), now=at(2))

    send_reminders(now=at(8, 8))

    assert [s["person"] for s in signals.shift_upcoming] == [d]


@pytest.mark.parametrize("cadence", ["daily", "weekly"])
def test_a_moved_handoff_gets_a_reminder_for_its_new_time(make_rota, people, signals, cadence):
    rota = make_rota(people, now=at(1), cadence=cadence, reminder_minutes=60)
    first = fresh(rota).next_handoff_at
    send_reminders(now=first - timedelta(minutes=60))

    rota_update(rota=rota, fields={"handoff_time": time(18, 0)}, now=first - timedelta(minutes=50))

    assert send_reminders(now=first + timedelta(hours=9) - timedelta(minutes=60)) == 1
    assert [s["starts_at"] for s in signals.shift_upcoming] == [first, first + timedelta(hours=9)]


# -- Query budget --------------------------------------------------------------------------------


def test_the_sweep_uses_a_bounded_number_of_queries_per_rota(
    make_rota, db, django_assert_max_num_queries, monkeypatch
):
    from rota_core.testing.factories import PersonFactory
    from rota_scheduling.signals import shifts_started

    members = PersonFactory.create_batch(5)
    for i in range(50):
        make_rota(members, name=f"R{i}", cadence="daily", now=at(1))
    # The sweep's own queries: receivers of other apps (notifications) have their own budget.
    monkeypatch.setattr(shifts_started, "receivers", [])

    # Per batch: list and lock, memberships, availability (2), people, overrides. Per rota: a
    # savepoint and its release, store the new shift, save the state.
    with django_assert_max_num_queries(12 + 4 * 50):
        result = rotate_due(now=at(2))

    assert len(result.shifts) == 50


def test_a_sweep_leaves_no_reference_cycles_behind_its_batches(make_rota, people):
    """Each batch's rotas and shifts are freed as soon as the batch is done rather than at the
    next cyclic collection, so the sweep's memory stays at one batch however many are due."""
    for i in range(6):
        make_rota(people, name=f"R{i}", cadence="daily", now=at(1))
    gc.collect()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)  # what the collector finds unreachable lands in gc.garbage
    try:
        result = rotate_due(now=at(3), batch_size=2, collect=False)
        gc.collect()
        cyclic = [type(o).__name__ for o in gc.garbage if isinstance(o, (Rota, Shift))]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()

    assert result.stored == 12
    assert cyclic == []


def test_a_reminder_that_fails_does_not_hold_back_the_others(make_rota, people, signals):
    from rota_scheduling.signals import shift_upcoming

    broken = make_rota(people, now=at(1), reminder_minutes=60, name="Broken")
    make_rota(people, now=at(1), reminder_minutes=60, name="Fine")

    def fail_for_broken(sender, rota, **kwargs):
        if rota.pk == broken.pk:
            raise RuntimeError("mail server on fire")

    shift_upcoming.connect(fail_for_broken, weak=False)
    try:
        assert send_reminders(now=at(8, 8)) == 1
    finally:
        shift_upcoming.disconnect(fail_for_broken)

    assert [s["rota"].name for s in signals.shift_upcoming] == ["Broken", "Fine"]
    assert send_reminders(now=at(8, 8, 1)) == 1  # the failed one is tried again
    assert [s["rota"].name for s in signals.shift_upcoming][-1] == "Broken"
