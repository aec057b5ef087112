"""Properties of the engine over generated zones, definitions, absences and overrides."""

from datetime import UTC, date, datetime, time, timedelta
from itertools import pairwise
from zoneinfo import ZoneInfo, available_timezones

from hypothesis import assume, event, example, given, settings
from hypothesis import strategies as st

from rota_scheduling.engine import (
    Availability,
    Cover,
    CycleState,
    Recurrence,
    assign,
    build_segments,
    resolve_local,
)

ALL_ZONES = sorted(available_timezones())
# Zones whose clocks change in awkward ways: 30-minute and 2-hour shifts, changes at midnight,
# negative DST, a skipped day, odd offsets. Half of the generated zones come from here.
DST_HEAVY = [
    "Europe/London",
    "Europe/Dublin",
    "America/New_York",
    "America/St_Johns",
    "America/Santiago",
    "America/Havana",
    "America/Asuncion",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Chatham",
    "Pacific/Apia",
    "Asia/Kolkata",
    "Asia/Tehran",
    "Africa/Casablanca",
    "Antarctica/Troll",
]
US = timedelta(microseconds=1)
EXAMPLES = settings(max_examples=200, deadline=None, database=None)

zones = st.one_of(st.sampled_from(DST_HEAVY), st.sampled_from(ALL_ZONES)).map(ZoneInfo)
cadences = st.sampled_from(["daily", "weekly", "monthly"])
intervals = st.integers(min_value=1, max_value=3)
handoff_times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
start_dates = st.dates(min_value=date(1970, 1, 1), max_value=date(2100, 12, 31))
weekday_sets = st.none() | st.frozensets(st.integers(0, 6), min_size=1, max_size=7)


@st.composite
def recurrences(draw):
    starts_on = draw(start_dates)
    cadence = draw(cadences)
    weekdays = draw(weekday_sets) if cadence == "daily" else None
    if weekdays is not None:
        weekdays |= {starts_on.weekday()}
    return Recurrence(
        tz=draw(zones),
        cadence=cadence,
        interval=draw(intervals),
        starts_on=starts_on,
        handoff_time=draw(handoff_times),
        weekdays=weekdays,
    )


def _transitions(tz: ZoneInfo, year: int) -> list[datetime]:
    """UTC instants (to the second) at which the zone's offset changes during ``year``."""
    found = []
    day = datetime(year, 1, 1, tzinfo=UTC)
    while day.year == year:
        low, high = day, day + timedelta(days=1)
        if low.astimezone(tz).utcoffset() != high.astimezone(tz).utcoffset():
            while high - low > timedelta(seconds=1):
                middle = low + (high - low) / 2
                if middle.astimezone(tz).utcoffset() == low.astimezone(tz).utcoffset():
                    low = middle
                else:
                    high = middle
            found.append(high.replace(microsecond=0))
        day += timedelta(days=1)
    return found


@st.composite
def recurrences_near_a_transition(draw):
    """A definition whose boundary ``k`` lands on a clock change, handoff near its wall time."""
    tz = ZoneInfo(draw(st.sampled_from(DST_HEAVY)))
    year = draw(st.integers(1975, 2090))
    transitions = _transitions(tz, year)
    assume(transitions)
    change = draw(st.sampled_from(transitions))
    before = (change - US).astimezone(tz)
    # From 90 minutes before the old wall time of the change to 150 minutes after: covers the
    # times before, inside and after any gap or repeated hour.
    wall = before.replace(tzinfo=None) + timedelta(minutes=draw(st.integers(-90, 150)))
    day, handoff = wall.date(), wall.time().replace(second=0, microsecond=0)
    cadence = draw(cadences)
    interval = draw(intervals)
    k = draw(st.integers(0, 3))
    weekdays = None
    if cadence == "daily":
        starts_on = day - timedelta(days=k * interval)
        if draw(st.booleans()):
            # Every day from starts_on to the change allowed, plus random others.
            span = {(starts_on + timedelta(days=i)).weekday() for i in range(k * interval + 1)}
            weekdays = frozenset(span) | draw(st.frozensets(st.integers(0, 6)))
    elif cadence == "weekly":
        starts_on = day - timedelta(weeks=k * interval)
    else:
        months = day.year * 12 + day.month - 1 - k * interval
        starts_on = date(months // 12, months % 12 + 1, min(day.day, 28))
    return Recurrence(
        tz=tz,
        cadence=cadence,
        interval=interval,
        starts_on=starts_on,
        handoff_time=handoff,
        weekdays=weekdays,
    )


def _offset_before_change(tz: ZoneInfo, instant: datetime) -> timedelta:
    """The UTC offset just before the last change at or before ``instant`` (within a day)."""
    low, high = instant - timedelta(hours=26), instant
    after = instant.astimezone(tz).utcoffset()
    assert low.astimezone(tz).utcoffset() != after, "no clock change in the last 26 hours"
    while high - low > US:
        middle = low + (high - low) / 2
        if middle.astimezone(tz).utcoffset() == after:
            high = middle
        else:
            low = middle
    return low.astimezone(tz).utcoffset()


def _round_trips(naive: datetime, tz: ZoneInfo) -> bool:
    return any(
        naive.replace(tzinfo=tz, fold=fold).astimezone(UTC).astimezone(tz).replace(tzinfo=None)
        == naive
        for fold in (0, 1)
    )


def check_boundaries(recurrence: Recurrence, ks: range) -> None:
    tz = recurrence.tz
    boundaries = {k: recurrence.boundary(k) for k in range(ks.start, ks.stop + 1)}
    for k in ks:
        boundary = boundaries[k]
        assert boundary.tzinfo is UTC
        expected = datetime.combine(recurrence.local_date(k), recurrence.handoff_time)
        shown = boundary.astimezone(tz)
        if shown.replace(tzinfo=None) == expected:
            assert shown.fold == 0, "an ambiguous handoff must be its first occurrence"
            if tz.utcoffset(expected) != tz.utcoffset(expected.replace(fold=1)):
                event("handoff in a repeated hour")
        else:
            event("handoff in a gap")
            # Only a time lost to a gap moves, and by exactly the gap's length.
            assert not _round_trips(expected, tz)
            gap = shown.utcoffset() - _offset_before_change(tz, boundary)
            assert shown.replace(tzinfo=None) - expected == gap
        following = boundaries[k + 1]
        if following == boundary:
            # Only a zone that skipped a whole calendar day (Pacific/Apia 2011) can do this.
            assert not _round_trips(expected, tz)
            assert shown.replace(tzinfo=None) - expected >= timedelta(days=1)
        else:
            assert following > boundary

    for k in ks:
        boundary = boundaries[k]
        ties = [j for j in boundaries if boundaries[j] == boundary]
        assert recurrence.index_at(boundary) == max(ties)
        if min(ties) > ks.start or ks.start == 0:
            assert recurrence.index_at(boundary - US) == min(ties) - 1
        if boundaries[k + 1] > boundary:
            assert recurrence.index_at(boundaries[k + 1] - US) == k
            middle = boundary + (boundaries[k + 1] - boundary) / 3
            assert recurrence.index_at(middle) == k
            assert recurrence.first_after(middle) == k + 1


@EXAMPLES
@given(recurrence=recurrences(), first=st.integers(0, 1500))
def test_boundaries_anywhere(recurrence, first):
    check_boundaries(recurrence, range(first, first + 12))


def _daily(zone: str, starts_on: date, handoff: time) -> Recurrence:
    return Recurrence(
        tz=ZoneInfo(zone), cadence="daily", interval=1, starts_on=starts_on, handoff_time=handoff
    )


@EXAMPLES
@given(recurrence=recurrences_near_a_transition())
# Whole days skipped when crossing the date line: two boundaries coincide.
@example(recurrence=_daily("Pacific/Apia", date(2011, 12, 27), time(9)))
@example(recurrence=_daily("Pacific/Kiritimati", date(1994, 12, 28), time(23, 59)))
@example(recurrence=_daily("America/Santiago", date(2024, 9, 5), time(0)))
@example(recurrence=_daily("Australia/Lord_Howe", date(2024, 10, 3), time(2, 0)))
def test_boundaries_across_clock_changes(recurrence):
    check_boundaries(recurrence, range(0, 6))


@EXAMPLES
@given(recurrence=recurrences(), k=st.integers(0, 200))
def test_local_dates_follow_the_definition(recurrence, k):
    day = recurrence.local_date(k)
    starts_on, steps = recurrence.starts_on, k * recurrence.interval
    if recurrence.cadence == "weekly":
        assert day == starts_on + timedelta(weeks=steps)
    elif recurrence.cadence == "monthly":
        assert (day.year - starts_on.year) * 12 + day.month - starts_on.month == steps
        next_month = date(day.year + day.month // 12, day.month % 12 + 1, 1)
        assert day.day == min(starts_on.day, (next_month - timedelta(days=1)).day)
    elif recurrence.weekdays in (None, frozenset(range(7))):
        assert day == starts_on + timedelta(days=steps)
    else:
        # The steps-th allowed day after starts_on, counted one day at a time.
        allowed, seen, probe = recurrence.weekdays, 0, starts_on
        while seen < steps:
            probe += timedelta(days=1)
            seen += probe.weekday() in allowed
        assert day == probe


@EXAMPLES
@given(recurrence=recurrences(), offset_minutes=st.integers(-(10**7), 10**8))
def test_index_at_any_instant(recurrence, offset_minutes):
    origin = recurrence.boundary(0)
    instant = origin + timedelta(minutes=offset_minutes)
    k = recurrence.index_at(instant)
    if k == -1:
        assert instant < origin
    else:
        assert recurrence.boundary(k) <= instant < recurrence.boundary(k + 1)


@EXAMPLES
@given(zone=zones, day=start_dates, wall=handoff_times)
def test_resolve_local_is_rfc5545(zone, day, wall):
    resolved = resolve_local(day, wall, zone)
    naive = datetime.combine(day, wall)
    if _round_trips(naive, zone):
        # Shown as asked, and no earlier instant shows the same wall time.
        assert resolved.astimezone(zone).replace(tzinfo=None) == naive
        assert resolved.astimezone(zone).fold == 0
    else:
        shown = resolved.astimezone(zone)
        gap = shown.utcoffset() - _offset_before_change(zone, resolved)
        assert gap > timedelta(0)
        assert shown.replace(tzinfo=None) == naive + gap


# --- availability -----------------------------------------------------------------------------

BASE = datetime(2024, 1, 1, tzinfo=UTC)


def minutes(n: int) -> datetime:
    return BASE + timedelta(minutes=n)


spans = st.tuples(st.integers(0, 500), st.integers(0, 500))


@EXAMPLES
@given(
    periods=st.lists(spans, max_size=25),
    inactive=st.none() | st.integers(0, 500),
    query=st.tuples(st.integers(0, 499), st.integers(1, 100)).map(lambda q: (q[0], q[0] + q[1])),
)
def test_availability_matches_a_linear_scan(periods, inactive, query):
    availability = Availability(
        {"P": [(minutes(s), minutes(e)) for s, e in periods]},
        {} if inactive is None else {"P": minutes(inactive)},
    )
    start, end = query
    blocked = any(s < e and s < end and e > start for s, e in periods)
    gone = inactive is not None and inactive < end
    assert availability.is_available("P", minutes(start), minutes(end)) is not (blocked or gone)
    assert availability.is_available("Q", minutes(start), minutes(end))


# --- segments ---------------------------------------------------------------------------------


@st.composite
def timelines(draw):
    cuts = sorted(draw(st.sets(st.integers(0, 200), min_size=0, max_size=14)))
    shifts = []
    for start, end in pairwise(cuts):
        if draw(st.integers(0, 4)):  # leave some holes
            person = draw(st.sampled_from("ABC"))
            source = draw(st.sampled_from(["rotation", "manual"]))
            shifts.append((start, end, person, source, draw(st.booleans())))
    marks = sorted(draw(st.sets(st.integers(-20, 220), max_size=8)))
    covers = [
        (start, end, draw(st.sampled_from("XYZ")))
        for start, end in zip(marks[::2], marks[1::2], strict=False)
    ]
    window = sorted(draw(st.sets(st.integers(-20, 220), min_size=2, max_size=2)))
    return shifts, covers, window


def holder_at(t, shifts, covers):
    for start, end, person in covers:
        if start <= t < end:
            return person, "override", False
    for start, end, person, source, conflict in shifts:
        if start <= t < end:
            return person, source, conflict
    return None, "rotation", False


@EXAMPLES
@given(timeline=timelines(), reverse=st.booleans())
def test_segments_tile_the_window_and_show_who_holds_each_minute(timeline, reverse):
    shifts, covers, (window_start, window_end) = timeline
    given_shifts = [(minutes(s), minutes(e), p, src, c) for s, e, p, src, c in shifts]
    if reverse:
        given_shifts.reverse()
    segments = build_segments(
        shifts=given_shifts,
        overrides=[Cover(minutes(s), minutes(e), p) for s, e, p in covers],
        window_start=minutes(window_start),
        window_end=minutes(window_end),
    )
    assert segments[0].start == minutes(window_start)
    assert segments[-1].end == minutes(window_end)
    assert all(s.start < s.end for s in segments)
    assert all(a.end == b.start for a, b in pairwise(segments))

    for t in range(window_start, window_end):
        [segment] = [s for s in segments if s.start <= minutes(t) < s.end]
        assert (segment.person, segment.source, segment.conflict) == holder_at(t, shifts, covers)

    # Each override in the window is one segment, and every handoff outside them stays visible.
    in_window = [c for c in covers if c[0] < window_end and c[1] > window_start]
    assert sum(s.source == "override" for s in segments) == len(in_window)
    starts = {s.start for s in segments}
    for start, *_ in shifts:
        covered = any(c[0] <= start < c[1] for c in covers)
        if window_start < start < window_end and not covered:
            assert minutes(start) in starts


# --- rotation -------------------------------------------------------------------------------

member_lists = st.lists(st.integers(0, 99), min_size=1, max_size=7, unique=True).map(tuple)


@st.composite
def cycle_states(draw, members):
    n = len(members)
    if draw(st.booleans()):
        return CycleState.starting_at(draw(st.integers(0, 10**6)), n)
    person = draw(st.sampled_from(members) | st.just(-1))  # -1: someone who left the rota
    return CycleState(cycle_person=person, cycle_index=draw(st.integers(0, n)))


def everyone(_person):
    return True


@EXAMPLES
@given(data=st.data(), members=member_lists, policy=st.sampled_from(["defer", "skip"]))
def test_everyone_available_means_one_turn_each_per_round(data, members, policy):
    n = len(members)
    state = data.draw(cycle_states(members))
    first = members[state.next_position(members)]
    holders = []
    for _ in range(3 * n + 2):
        turn = assign(members=members, state=state, policy=policy, is_available=everyone)
        assert not turn.conflict and turn.passed_over == () and turn.state.owed == ()
        holders.append(turn.person)
        state = turn.state
    assert holders[0] == first
    for i in range(len(holders) - n + 1):
        assert sorted(holders[i : i + n]) == sorted(members)
    counts = [holders.count(person) for person in members]
    assert max(counts) - min(counts) <= 1


@EXAMPLES
@given(
    members=st.lists(st.integers(0, 99), min_size=2, max_size=7, unique=True).map(tuple),
    data=st.data(),
)
def test_defer_repays_a_passed_over_member_within_n_shifts(members, data):
    n = len(members)
    absent = data.draw(st.sampled_from(members))
    away_from = data.draw(st.integers(0, 12))
    back_at = data.draw(st.integers(away_from + 1, away_from + 3 * n))
    state = CycleState.starting_at(data.draw(st.integers(0, 50)), n)
    holders, passed_at = [], []
    for shift in range(back_at + 2 * n):
        away = away_from <= shift < back_at
        turn = assign(
            members=members,
            state=state,
            policy="defer",
            is_available=lambda person, away=away: not (away and person == absent),
        )
        assert not turn.conflict
        holders.append(turn.person)
        if absent in turn.passed_over:
            passed_at.append(shift)
        state = turn.state
    assert absent not in holders[away_from:back_at]
    if passed_at:
        assert absent in holders[back_at : back_at + n]
        # Owed turns go first: back at the very next handoff.
        assert holders[back_at] == absent


@EXAMPLES
@given(
    members=member_lists,
    data=st.data(),
    policy=st.sampled_from(["defer", "skip"]),
)
def test_owed_are_served_first_then_rounds_are_fair_again(members, data, policy):
    n = len(members)
    rounds = data.draw(st.integers(1, 12))
    absences = [data.draw(st.frozensets(st.sampled_from(members))) for _ in range(rounds)]
    state = data.draw(cycle_states(members))
    for away in absences:
        before = state.owed
        turn = assign(
            members=members,
            state=state,
            policy=policy,
            is_available=lambda person, away=away: person not in away,
        )
        if turn.conflict:
            assert len(away) == n
            assert turn.person == members[state.next_position(members)]
            assert turn.state.owed == tuple(p for p in before if p in members)
        else:
            assert turn.person not in away
        if policy == "skip":
            assert turn.state.owed == ()
        state = turn.state

    owed = state.owed
    assert len(set(owed)) == len(owed)
    holders = []
    for _ in range(len(owed) + 2 * n):
        turn = assign(members=members, state=state, policy=policy, is_available=everyone)
        holders.append(turn.person)
        state = turn.state
    assert tuple(holders[: len(owed)]) == owed
    fair = holders[len(owed) :]
    for i in range(len(fair) - n + 1):
        assert sorted(fair[i : i + n]) == sorted(members)
