"""Handoff instants: local dates per cadence, DST gaps and overlaps (RFC 5545), index lookups."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from rota_scheduling.engine import Recurrence, resolve_local

LONDON = ZoneInfo("Europe/London")
NEW_YORK = ZoneInfo("America/New_York")
LORD_HOWE = ZoneInfo("Australia/Lord_Howe")
AUCKLAND = ZoneInfo("Pacific/Auckland")
KOLKATA = ZoneInfo("Asia/Kolkata")
SANTIAGO = ZoneInfo("America/Santiago")
APIA = ZoneInfo("Pacific/Apia")

US = timedelta(microseconds=1)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def rota(tz: ZoneInfo, cadence: str, starts_on: date, at: time, **kwargs) -> Recurrence:
    return Recurrence(
        tz=tz,
        cadence=cadence,
        interval=kwargs.pop("interval", 1),
        starts_on=starts_on,
        handoff_time=at,
        **kwargs,
    )


def local(instant: datetime, tz: ZoneInfo) -> tuple[date, time]:
    shown = instant.astimezone(tz)
    return shown.date(), shown.time()


# --- resolve_local -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tz", "day", "wall", "expected"),
    [
        # Ordinary times: the zone's offset, no surprises.
        (LONDON, date(2024, 1, 15), time(9), utc(2024, 1, 15, 9)),
        (LONDON, date(2024, 7, 15), time(9), utc(2024, 7, 15, 8)),
        (KOLKATA, date(2024, 7, 15), time(9), utc(2024, 7, 15, 3, 30)),
        (LORD_HOWE, date(2024, 7, 15), time(9), utc(2024, 7, 14, 22, 30)),
        # Gaps: the offset before the gap, so the time lands later by the gap's length.
        # London springs forward 01:00 GMT -> 02:00 BST: 01:30 becomes 02:30 BST.
        (LONDON, date(2024, 3, 31), time(1, 30), utc(2024, 3, 31, 1, 30)),
        # New York 02:00 EST -> 03:00 EDT: 02:30 becomes 03:30 EDT.
        (NEW_YORK, date(2024, 3, 10), time(2, 30), utc(2024, 3, 10, 7, 30)),
        # Lord Howe moves only 30 minutes (02:00 +10:30 -> 02:30 +11): 02:15 becomes 02:45.
        (LORD_HOWE, date(2024, 10, 6), time(2, 15), utc(2024, 10, 5, 15, 45)),
        # Auckland 02:00 NZST -> 03:00 NZDT: 02:30 becomes 03:30 NZDT.
        (AUCKLAND, date(2024, 9, 29), time(2, 30), utc(2024, 9, 28, 14, 30)),
        # Santiago springs forward at midnight: 00:00 -04 -> 01:00 -03.
        (SANTIAGO, date(2024, 9, 8), time(0), utc(2024, 9, 8, 4)),
        # Overlaps: the first occurrence, i.e. still on summer time.
        (LONDON, date(2024, 10, 27), time(1, 30), utc(2024, 10, 27, 0, 30)),
        (NEW_YORK, date(2024, 11, 3), time(1, 30), utc(2024, 11, 3, 5, 30)),
        (LORD_HOWE, date(2024, 4, 7), time(1, 45), utc(2024, 4, 6, 14, 45)),
        (AUCKLAND, date(2024, 4, 7), time(2, 30), utc(2024, 4, 6, 13, 30)),
        # Santiago falls back at midnight (00:00 -03 -> 23:00 -04 on Saturday): Saturday's
        # 23:00-24:00 happens twice, Sunday's 00:00 only once.
        (SANTIAGO, date(2024, 4, 6), time(23, 30), utc(2024, 4, 7, 2, 30)),
        (SANTIAGO, date(2024, 4, 7), time(0), utc(2024, 4, 7, 4)),
    ],
)
def test_resolve_local(tz, day, wall, expected):
    resolved = resolve_local(day, wall, tz)
    assert resolved == expected
    assert resolved.tzinfo is UTC


@pytest.mark.parametrize(
    ("tz", "day", "wall", "shown"),
    [
        (LONDON, date(2024, 3, 31), time(1, 30), time(2, 30)),
        (NEW_YORK, date(2024, 3, 10), time(2, 30), time(3, 30)),
        (LORD_HOWE, date(2024, 10, 6), time(2, 15), time(2, 45)),
        (AUCKLAND, date(2024, 9, 29), time(2, 30), time(3, 30)),
        (SANTIAGO, date(2024, 9, 8), time(0), time(1)),
    ],
)
def test_gap_time_is_shown_later_by_the_gap_length(tz, day, wall, shown):
    assert local(resolve_local(day, wall, tz), tz) == (day, shown)


def test_ambiguous_time_is_the_first_occurrence():
    first = resolve_local(date(2024, 11, 3), time(1, 30), NEW_YORK)
    shown = first.astimezone(NEW_YORK)
    assert shown.utcoffset() == timedelta(hours=-4)  # EDT, not the repeat in EST
    assert shown.fold == 0


def test_resolve_local_ignores_fold_and_tzinfo_on_the_wall_time():
    day = date(2024, 11, 3)
    assert resolve_local(day, time(1, 30, fold=1), NEW_YORK) == utc(2024, 11, 3, 5, 30)
    assert resolve_local(day, time(1, 30, tzinfo=UTC), NEW_YORK) == utc(2024, 11, 3, 5, 30)


# --- local dates per cadence ---------------------------------------------------------------


def test_daily_in_london_keeps_the_wall_time_across_both_changes():
    recurrence = rota(LONDON, "daily", date(2024, 3, 29), time(9))
    assert [recurrence.boundary(k) for k in range(4)] == [
        utc(2024, 3, 29, 9),
        utc(2024, 3, 30, 9),
        utc(2024, 3, 31, 8),  # BST from here: the Saturday shift lasts 23 hours
        utc(2024, 4, 1, 8),
    ]
    autumn = rota(LONDON, "daily", date(2024, 10, 26), time(9))
    assert autumn.boundary(1) - autumn.boundary(0) == timedelta(hours=25)


def test_daily_handoff_inside_the_london_gap():
    recurrence = rota(LONDON, "daily", date(2024, 3, 30), time(1, 30))
    starts = [recurrence.boundary(k) for k in range(3)]
    assert starts == [utc(2024, 3, 30, 1, 30), utc(2024, 3, 31, 1, 30), utc(2024, 4, 1, 0, 30)]
    assert local(starts[1], LONDON) == (date(2024, 3, 31), time(2, 30))
    assert local(starts[2], LONDON) == (date(2024, 4, 1), time(1, 30))


def test_daily_interval_two_in_kolkata_has_no_dst():
    recurrence = rota(KOLKATA, "daily", date(2024, 1, 1), time(9), interval=2)
    assert recurrence.local_date(3) == date(2024, 1, 7)
    for k in range(0, 400, 37):
        assert recurrence.boundary(k) == datetime.combine(
            recurrence.local_date(k), time(3, 30), tzinfo=UTC
        )


def test_weekly_interval_two_lands_on_the_new_york_gap():
    recurrence = rota(NEW_YORK, "weekly", date(2024, 2, 25), time(2, 30), interval=2)
    assert [recurrence.local_date(k) for k in range(3)] == [
        date(2024, 2, 25),
        date(2024, 3, 10),
        date(2024, 3, 24),
    ]
    assert [recurrence.boundary(k) for k in range(3)] == [
        utc(2024, 2, 25, 7, 30),  # 02:30 EST
        utc(2024, 3, 10, 7, 30),  # 02:30 does not exist: 03:30 EDT
        utc(2024, 3, 24, 6, 30),  # 02:30 EDT
    ]


def test_weekly_in_auckland_over_the_spring_gap():
    recurrence = rota(AUCKLAND, "weekly", date(2024, 9, 22), time(2, 30))
    assert local(recurrence.boundary(1), AUCKLAND) == (date(2024, 9, 29), time(3, 30))
    assert local(recurrence.boundary(2), AUCKLAND) == (date(2024, 10, 6), time(2, 30))
    # Read with the offset before the gap, the 29th's handoff is a whole week after the 22nd's;
    # the hour lost to summer time comes off the week that follows.
    assert recurrence.boundary(1) - recurrence.boundary(0) == timedelta(days=7)
    assert recurrence.boundary(2) - recurrence.boundary(1) == timedelta(days=7, hours=-1)


def test_monthly_clamps_to_the_month_end_counting_from_starts_on():
    recurrence = rota(LONDON, "monthly", date(2028, 1, 31), time(9))
    assert [recurrence.local_date(k) for k in range(6)] == [
        date(2028, 1, 31),
        date(2028, 2, 29),  # leap year
        date(2028, 3, 31),  # back to the 31st, not stuck on the 29th
        date(2028, 4, 30),
        date(2028, 5, 31),
        date(2028, 6, 30),
    ]
    assert rota(LONDON, "monthly", date(2027, 1, 31), time(9)).local_date(1) == date(2027, 2, 28)


def test_monthly_interval_three_across_a_year_end():
    recurrence = rota(AUCKLAND, "monthly", date(2024, 11, 30), time(9), interval=3)
    assert [recurrence.local_date(k) for k in range(4)] == [
        date(2024, 11, 30),
        date(2025, 2, 28),
        date(2025, 5, 30),
        date(2025, 8, 30),
    ]
    # 09:00 NZDT in February, 09:00 NZST in May.
    assert recurrence.boundary(1) == utc(2025, 2, 27, 20)
    assert recurrence.boundary(2) == utc(2025, 5, 29, 21)


def test_weekdays_monday_to_friday_hand_over_every_working_morning():
    weekdays = frozenset(range(5))
    recurrence = rota(LONDON, "daily", date(2024, 1, 1), time(9), weekdays=weekdays)  # a Monday
    dates = [recurrence.local_date(k) for k in range(7)]
    assert dates == [date(2024, 1, d) for d in (1, 2, 3, 4, 5, 8, 9)]
    # Friday's shift lasts until Monday morning.
    assert recurrence.boundary(5) - recurrence.boundary(4) == timedelta(days=3)
    assert recurrence.index_at(utc(2024, 1, 7, 12)) == 4  # Sunday: still Friday's shift


def test_weekdays_with_interval_two_count_only_allowed_days():
    recurrence = rota(
        LONDON, "daily", date(2024, 1, 1), time(9), interval=2, weekdays=frozenset(range(5))
    )
    assert [recurrence.local_date(k) for k in range(6)] == [
        date(2024, 1, d) for d in (1, 3, 5, 9, 11, 15)
    ]


def test_weekdays_starting_mid_week_and_far_ahead():
    weekdays = frozenset({0, 2, 4})  # Mon, Wed, Fri
    recurrence = rota(NEW_YORK, "daily", date(2024, 1, 3), time(9), weekdays=weekdays)
    assert [recurrence.local_date(k) for k in range(5)] == [
        date(2024, 1, d) for d in (3, 5, 8, 10, 12)
    ]
    # 3 handoffs a week: 3000 handoffs are exactly 1000 weeks on.
    assert recurrence.local_date(3000) == date(2024, 1, 3) + timedelta(weeks=1000)


def test_all_seven_weekdays_are_the_same_as_none():
    every_day = rota(LONDON, "daily", date(2024, 1, 3), time(9), weekdays=frozenset(range(7)))
    plain = rota(LONDON, "daily", date(2024, 1, 3), time(9))
    assert [every_day.local_date(k) for k in range(20)] == [plain.local_date(k) for k in range(20)]


def test_weekdays_are_ignored_for_weekly_and_monthly():
    recurrence = rota(LONDON, "weekly", date(2024, 1, 3), time(9), weekdays=frozenset({0}))
    assert recurrence.local_date(1) == date(2024, 1, 10)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"cadence": "hourly"},
        {"interval": 0},
        {"interval": -1},
        {"interval": True},
        {"weekdays": frozenset({7})},
        {"weekdays": frozenset({-1, 0})},
        {"weekdays": frozenset()},
        {"weekdays": frozenset({1, 2})},  # starts_on (a Monday) is not one of them
        {"handoff_time": time(9, tzinfo=UTC)},
    ],
)
def test_invalid_definitions_are_rejected(kwargs):
    definition = {
        "tz": LONDON,
        "cadence": "daily",
        "interval": 1,
        "starts_on": date(2024, 1, 1),
        "handoff_time": time(9),
        "weekdays": None,
    }
    with pytest.raises(ValueError):
        Recurrence(**(definition | kwargs))


# --- zones that change at midnight or by 30 minutes ----------------------------------------


def test_santiago_midnight_handoff_over_spring_forward():
    recurrence = rota(SANTIAGO, "daily", date(2024, 9, 7), time(0))
    starts = [recurrence.boundary(k) for k in range(3)]
    assert starts == [utc(2024, 9, 7, 4), utc(2024, 9, 8, 4), utc(2024, 9, 9, 3)]
    # 00:00 does not exist on the 8th: the handoff happens at 01:00 local time.
    assert local(starts[1], SANTIAGO) == (date(2024, 9, 8), time(1))
    assert starts[2] - starts[1] == timedelta(hours=23)


def test_santiago_midnight_handoff_over_fall_back():
    recurrence = rota(SANTIAGO, "daily", date(2024, 4, 6), time(0))
    starts = [recurrence.boundary(k) for k in range(3)]
    assert starts == [utc(2024, 4, 6, 3), utc(2024, 4, 7, 4), utc(2024, 4, 8, 4)]
    assert starts[1] - starts[0] == timedelta(hours=25)
    # A 23:30 handoff falls in the repeated hour: the first (summer time) occurrence wins.
    late = rota(SANTIAGO, "daily", date(2024, 4, 5), time(23, 30))
    assert late.boundary(1) == utc(2024, 4, 7, 2, 30)
    assert late.boundary(1).astimezone(SANTIAGO).utcoffset() == timedelta(hours=-3)


def test_lord_howe_half_hour_changes():
    spring = rota(LORD_HOWE, "daily", date(2024, 10, 5), time(2, 15))
    starts = [spring.boundary(k) for k in range(3)]
    assert starts == [utc(2024, 10, 4, 15, 45), utc(2024, 10, 5, 15, 45), utc(2024, 10, 6, 15, 15)]
    assert local(starts[1], LORD_HOWE) == (date(2024, 10, 6), time(2, 45))
    assert starts[2] - starts[1] == timedelta(hours=23, minutes=30)
    autumn = rota(LORD_HOWE, "daily", date(2024, 4, 6), time(1, 45))
    assert autumn.boundary(1) == utc(2024, 4, 6, 14, 45)  # first 01:45, still at +11
    assert autumn.boundary(2) - autumn.boundary(1) == timedelta(hours=24, minutes=30)


def test_apia_skipped_day_makes_two_boundaries_coincide():
    # Samoa skipped 30 December 2011 entirely. RFC 5545 reads 09:00 on the lost day with the
    # old offset, which is the same instant as 09:00 on the 31st; that period is empty.
    recurrence = rota(APIA, "daily", date(2011, 12, 29), time(9))
    starts = [recurrence.boundary(k) for k in range(4)]
    assert starts == [
        utc(2011, 12, 29, 19),
        utc(2011, 12, 30, 19),
        utc(2011, 12, 30, 19),
        utc(2011, 12, 31, 19),
    ]
    assert recurrence.index_at(starts[1]) == 2
    assert recurrence.index_at(starts[1] - US) == 0


# --- index lookups -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "recurrence",
    [
        rota(LONDON, "daily", date(2024, 3, 25), time(1, 30)),
        rota(NEW_YORK, "weekly", date(2024, 2, 25), time(2, 30), interval=2),
        rota(LORD_HOWE, "daily", date(2024, 9, 30), time(2, 15)),
        rota(AUCKLAND, "monthly", date(2024, 1, 31), time(2, 30)),
        rota(KOLKATA, "daily", date(2024, 1, 1), time(9), interval=3),
        rota(SANTIAGO, "daily", date(2024, 9, 2), time(0), weekdays=frozenset({0, 6})),
    ],
    ids=["london", "new-york", "lord-howe", "auckland", "kolkata", "santiago"],
)
def test_index_at_around_boundaries(recurrence):
    assert recurrence.index_at(recurrence.boundary(0) - US) == -1
    assert recurrence.first_after(recurrence.boundary(0) - US) == 0
    for k in range(0, 30):
        boundary = recurrence.boundary(k)
        assert recurrence.index_at(boundary) == k
        assert recurrence.index_at(boundary - US) == k - 1
        assert recurrence.index_at(boundary + US) == k
        assert recurrence.first_after(boundary) == k + 1
        assert recurrence.first_after(boundary - US) == k


def test_index_at_accepts_any_aware_instant():
    recurrence = rota(NEW_YORK, "daily", date(2024, 1, 1), time(9))
    in_kolkata = datetime(2024, 1, 3, 19, 29, tzinfo=KOLKATA)  # 08:59 New York time
    assert recurrence.index_at(in_kolkata) == 1
    with pytest.raises(ValueError):
        recurrence.index_at(datetime(2024, 1, 3, 12))


class CountingRecurrence(Recurrence):
    calls = 0

    def boundary(self, k):
        type(self).calls += 1
        return super().boundary(k)


@pytest.mark.parametrize("cadence", ["daily", "weekly", "monthly"])
def test_index_at_far_from_the_start_is_computed_not_walked(cadence):
    recurrence = CountingRecurrence(
        tz=LORD_HOWE,
        cadence=cadence,
        interval=2,
        starts_on=date(1970, 1, 31),
        handoff_time=time(2, 15),
        weekdays=frozenset({0, 3, 5}) if cadence == "daily" else None,
    )
    instant = utc(2099, 10, 4, 16)
    CountingRecurrence.calls = 0
    k = recurrence.index_at(instant)
    assert CountingRecurrence.calls <= 4
    assert recurrence.boundary(k) <= instant < recurrence.boundary(k + 1)


def test_iter_boundaries_stops_before_until():
    recurrence = rota(LONDON, "daily", date(2024, 1, 1), time(9))
    listed = list(recurrence.iter_boundaries(3, utc(2024, 1, 7, 9)))
    assert listed == [(k, utc(2024, 1, k + 1, 9)) for k in range(3, 6)]
    assert list(recurrence.iter_boundaries(-5, utc(2024, 1, 2, 9))) == [(0, utc(2024, 1, 1, 9))]
    assert list(recurrence.iter_boundaries(0, utc(2024, 1, 1, 9))) == []
