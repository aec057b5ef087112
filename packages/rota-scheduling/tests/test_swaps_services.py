"""Swaps: the request, take and cancel rules, and the swap applied when the schedule is read."""

from datetime import UTC, datetime, time

import pytest
from django.core.exceptions import ValidationError

from rota_core.services import person_update, unavailability_create
from rota_core.testing.factories import PersonFactory
from rota_scheduling.models import Swap, SwapStatus
from rota_scheduling.selectors import rota_on_duty, rota_segments, rota_stats
from rota_scheduling.services import (
    SwapNotOpen,
    override_create,
    rota_update,
    rotate_due,
    swap_cancel,
    swap_request,
    swap_take,
)
from rota_scheduling.signals import swap_cancelled, swap_requested, swap_taken

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2027, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def rota(make_rota, people):
    """Weekly from Monday 1 March 09:00 UTC: A holds week 1, B week 2, C week 3, D week 4."""
    return make_rota(people, now=at(1))


@pytest.fixture
def taken(rota, people):
    """B's Tuesday of week 2 (9–10 March) taken by C."""
    _a, b, c, _d = people
    swap = swap_request(rota=rota, requester=b, starts_at=at(9), ends_at=at(10), now=NOW)
    return swap_take(swap=swap, taker=c, now=NOW)


def rows(segments):
    return [(s.start, s.end, s.person, s.source, s.swap_id) for s in segments]


def test_a_taken_swap_gives_the_requesters_time_in_its_window_to_the_taker(rota, people, taken):
    _a, b, c, _d = people

    segments = rota_segments(rota=rota, start=at(8), end=at(15))

    assert rows(segments) == [
        (at(8), at(9), b.pk, "rotation", None),
        (at(9), at(10), c.pk, "swap", taken.pk),
        (at(10), at(15), b.pk, "rotation", None),
    ]
    assert rota_on_duty(rota=rota, at=at(9, 12)).person_id == c.pk
    assert rota_on_duty(rota=rota, at=at(9, 12)).source == "swap"


def test_an_open_or_cancelled_swap_changes_nothing(rota, people, taken):
    _a, b, _c, _d = people
    swap_request(rota=rota, requester=b, starts_at=at(11), ends_at=at(12), now=NOW)
    swap_cancel(swap=taken, now=NOW)

    segments = rota_segments(rota=rota, start=at(8), end=at(15))

    assert rows(segments) == [(at(8), at(15), b.pk, "rotation", None)]


def test_stats_count_the_swapped_hours_for_the_taker(rota, people, taken):
    _a, b, c, _d = people

    hours = {row.person_id: row.hours for row in rota_stats(rota=rota, start=at(8), end=at(15))}

    assert hours[b.pk] == 6 * 24 and hours[c.pk] == 24


def test_the_handoff_inside_a_taken_swap_announces_the_taker(rota, people, signals):
    _a, b, c, _d = people
    swap = swap_request(rota=rota, requester=b, starts_at=at(8, 6), ends_at=at(8, 18), now=NOW)
    swap_take(swap=swap, taker=c, now=NOW)

    rotate_due(now=at(8, 10))

    (start,) = signals.shift_started
    assert start["shift"].person == b  # the stored shift keeps the rotation's holder
    assert start["person"] == c and start["swap"] == swap


def test_a_request_over_time_the_requester_does_not_hold_is_refused(rota, people):
    a = people[0]

    with pytest.raises(ValidationError) as error:
        swap_request(rota=rota, requester=a, starts_at=at(9), ends_at=at(10), now=NOW)

    assert "holds no duty on this rota" in error.value.message_dict["requester"][0]
    assert not Swap.objects.exists()


def test_a_request_over_an_override_of_the_requesters_time_is_refused(rota, people):
    _a, b, _c, d = people
    override_create(rota=rota, person=d, starts_at=at(9), ends_at=at(10), now=NOW)

    with pytest.raises(ValidationError) as error:
        swap_request(rota=rota, requester=b, starts_at=at(9), ends_at=at(10), now=NOW)

    assert "requester" in error.value.message_dict


def test_overlapping_open_or_taken_requests_of_one_requester_are_refused(rota, people, taken):
    b = people[1]
    open_one = swap_request(rota=rota, requester=b, starts_at=at(11), ends_at=at(12), now=NOW)

    for window in [(at(9, 12), at(9, 18)), (at(11, 12), at(13))]:
        with pytest.raises(ValidationError) as error:
            swap_request(rota=rota, requester=b, starts_at=window[0], ends_at=window[1], now=NOW)
        assert "Overlaps swap #" in error.value.message_dict["starts_at"][0]

    swap_cancel(swap=open_one, now=NOW)  # a cancelled request no longer blocks
    swap_request(rota=rota, requester=b, starts_at=at(11, 12), ends_at=at(13), now=NOW)


@pytest.mark.parametrize(
    ("who", "reason"),
    [
        ("requester", "cannot take their own swap"),
        ("inactive", "Only active people"),
        ("outsider", "is not a member of this rota"),
        ("on_leave", "is unavailable from 2027-03-09 20:00Z to 2027-03-11 09:00Z"),
    ],
)
def test_a_taker_who_cannot_hold_the_window_is_refused_naming_the_reason(rota, people, who, reason):
    _a, b, c, d = people
    swap = swap_request(rota=rota, requester=b, starts_at=at(9), ends_at=at(10), now=NOW)
    if who == "inactive":
        person_update(person=d, data={"is_active": False})
        taker = d
    elif who == "outsider":
        taker = PersonFactory(name="Outsider")
    elif who == "on_leave":
        unavailability_create(person=c, starts_at=at(9, 20), ends_at=at(11))
        taker = c
    else:
        taker = b

    with pytest.raises(ValidationError) as error:
        swap_take(swap=swap, taker=taker, now=NOW)

    assert reason in error.value.message_dict["person"][0]
    swap.refresh_from_db()
    assert swap.taker is None


@pytest.mark.parametrize("state", ["taken", "cancelled", "expired"])
def test_only_an_open_swap_can_be_taken(rota, people, state):
    _a, b, c, d = people
    swap = swap_request(rota=rota, requester=b, starts_at=at(9), ends_at=at(10), now=NOW)
    now = NOW
    if state == "taken":
        swap_take(swap=swap, taker=c, now=NOW)
    elif state == "cancelled":
        swap_cancel(swap=swap, now=NOW)
    else:
        now = at(9, 10)

    with pytest.raises(SwapNotOpen, match=f"This swap is {state}"):
        swap_take(swap=swap, taker=d, now=now)


def test_status_is_derived_and_filterable(rota, people, taken):
    b, c = people[1], people[2]
    opened = swap_request(rota=rota, requester=b, starts_at=at(11), ends_at=at(12), now=NOW)
    cancelled = swap_request(rota=rota, requester=c, starts_at=at(16), ends_at=at(17), now=NOW)
    swap_cancel(swap=cancelled, now=NOW)

    def having(status, now):
        return set(Swap.objects.with_status(now).filter(status=status).values_list("pk", flat=True))

    assert having(SwapStatus.OPEN, NOW) == {opened.pk}
    assert having(SwapStatus.TAKEN, NOW) == {taken.pk}
    assert having(SwapStatus.CANCELLED, NOW) == {cancelled.pk}
    assert having(SwapStatus.EXPIRED, at(11, 10)) == {opened.pk}


def test_leave_the_taker_adds_after_taking_flags_the_swapped_time(rota, people, taken):
    c = people[2]
    unavailability_create(person=c, starts_at=at(9, 20), ends_at=at(11))

    (swapped,) = [s for s in rota_segments(rota=rota, start=at(8), end=at(15)) if s.swap_id]

    assert swapped.person == c.pk and swapped.conflict is True


def test_cancelling_a_taken_swap_gives_the_duty_back(rota, people, taken):
    b = people[1]

    swap_cancel(swap=taken, now=NOW)

    assert rota_on_duty(rota=rota, at=at(9, 12)).person_id == b.pk
    with pytest.raises(SwapNotOpen):
        swap_cancel(swap=taken, now=NOW)


def test_each_swap_signal_is_sent_once(rota, people):
    _a, b, c, _d = people
    sent = []

    def record(sender, signal, swap, **kwargs):
        sent.append((signal, swap.pk))

    for signal in (swap_requested, swap_taken, swap_cancelled):
        signal.connect(record, weak=False)
    try:
        swap = swap_request(rota=rota, requester=b, starts_at=at(9), ends_at=at(10), now=NOW)
        swap_take(swap=swap, taker=c, now=NOW)
        swap_cancel(swap=swap, now=NOW)
    finally:
        for signal in (swap_requested, swap_taken, swap_cancelled):
            signal.disconnect(record)

    assert sent == [(swap_requested, swap.pk), (swap_taken, swap.pk), (swap_cancelled, swap.pk)]


# Read-time application: the swap follows later edits of the rota.


def test_a_swap_survives_an_edit_of_the_definition_that_keeps_the_requesters_duty(
    rota, people, taken
):
    _a, _b, c, _d = people

    before = rows(rota_segments(rota=rota, start=at(1), end=at(15)))
    rota = rota_update(rota=rota, fields={"handoff_time": time(12, 0)}, now=NOW)

    after = rows(rota_segments(rota=rota, start=at(1), end=at(15)))
    assert after != before  # the handoffs moved
    assert (at(9), at(10), c.pk, "swap", taken.pk) in after
    assert [row for row in after if row[0] < at(10) and row[1] > at(9)] == [
        (at(9), at(10), c.pk, "swap", taken.pk)
    ]


def test_a_definition_edit_moving_the_requesters_duty_away_unswaps_it_and_tells_both(
    rota, people, taken, signals
):
    a, b, c, _d = people

    rota = rota_update(rota=rota, fields={"interval": 2}, now=NOW)  # A holds until 15 March

    day = rota_segments(rota=rota, start=at(9), end=at(10))
    assert rows(day) == [(at(9), at(10), a.pk, "rotation", None)]
    (change,) = signals.schedule_changed
    assert (at(9), at(10)) in change["changes"][c.pk]["before"]
    assert (at(9), at(10)) not in change["changes"][c.pk]["after"]
    assert b.pk in change["changes"]


def test_a_member_edit_moving_the_requesters_duty_away_tells_requester_and_taker(
    rota, people, taken, signals
):
    a, b, c, d = people

    rota = rota_update(rota=rota, fields={}, members=[a.pk, d.pk, b.pk, c.pk], now=NOW)

    assert rows(rota_segments(rota=rota, start=at(8), end=at(15))) == [
        (at(8), at(15), d.pk, "rotation", None)
    ]
    (change,) = signals.schedule_changed
    assert change["changes"][c.pk] == {
        "before": [(at(9), at(10)), (at(15), at(15, 12))],
        "after": [],
    }
    assert change["changes"][b.pk]["before"] == [(at(8), at(9)), (at(10), at(15))]


def test_a_swap_survives_an_edit_of_the_members_that_keeps_the_requesters_duty(
    rota, people, taken, signals
):
    a, b, c, d = people
    e = PersonFactory(name="E")

    rota = rota_update(rota=rota, fields={}, members=[a.pk, b.pk, c.pk, d.pk, e.pk], now=NOW)

    assert (at(9), at(10), c.pk, "swap", taken.pk) in rows(
        rota_segments(rota=rota, start=at(8), end=at(15))
    )
    assert not signals.schedule_changed  # nobody's turns in the next 14 days moved
