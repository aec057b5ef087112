"""A window's timeline: shifts clipped, overrides on top, holes filled, handoffs kept visible."""

from datetime import UTC, datetime
from itertools import pairwise

import pytest

from rota_scheduling.engine import Cover, PlannedShift, Segment, build_segments


def at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 1, day, hour, tzinfo=UTC)


# Daily shifts at 09:00: A on the 1st, B on the 2nd, B again on the 3rd, C on the 4th.
SHIFTS = [
    (at(1, 9), at(2, 9), "A", "rotation", False),
    (at(2, 9), at(3, 9), "B", "rotation", False),
    (at(3, 9), at(4, 9), "B", "rotation", True),
    (at(4, 9), at(5, 9), "C", "manual", False),
]


def timeline(segments):
    return [(s.start, s.end, s.person, s.source) for s in segments]


def assert_tiles(segments, start, end):
    assert segments[0].start == start
    assert segments[-1].end == end
    assert all(s.start < s.end for s in segments)
    assert all(a.end == b.start for a, b in pairwise(segments))


def test_consecutive_shifts_of_one_person_stay_separate():
    segments = build_segments(
        shifts=SHIFTS, overrides=[], window_start=at(1, 9), window_end=at(5, 9)
    )
    assert segments == [Segment(*shift) for shift in SHIFTS]


def test_shifts_are_clipped_to_the_window():
    segments = build_segments(
        shifts=SHIFTS, overrides=[], window_start=at(2, 12), window_end=at(3, 12)
    )
    assert timeline(segments) == [
        (at(2, 12), at(3, 9), "B", "rotation"),
        (at(3, 9), at(3, 12), "B", "rotation"),
    ]
    assert [s.conflict for s in segments] == [False, True]


def test_window_before_the_first_boundary_is_nobody():
    segments = build_segments(
        shifts=SHIFTS, overrides=[], window_start=at(1, 0), window_end=at(1, 6)
    )
    assert segments == [Segment(at(1, 0), at(1, 6), None, "rotation", False)]


def test_window_starting_before_the_first_boundary():
    segments = build_segments(
        shifts=SHIFTS, overrides=[], window_start=at(1, 0), window_end=at(2, 0)
    )
    assert timeline(segments) == [
        (at(1, 0), at(1, 9), None, "rotation"),
        (at(1, 9), at(2, 0), "A", "rotation"),
    ]


def test_holes_between_and_after_shifts_are_nobody():
    shifts = [SHIFTS[0], SHIFTS[3]]
    segments = build_segments(shifts=shifts, overrides=[], window_start=at(1, 9), window_end=at(6))
    assert timeline(segments) == [
        (at(1, 9), at(2, 9), "A", "rotation"),
        (at(2, 9), at(4, 9), None, "rotation"),
        (at(4, 9), at(5, 9), "C", "manual"),
        (at(5, 9), at(6), None, "rotation"),
    ]


def test_override_inside_one_shift_splits_it():
    cover = Cover(at(2, 12), at(2, 18), "Z")
    segments = build_segments(
        shifts=SHIFTS, overrides=[cover], window_start=at(2, 9), window_end=at(3, 9)
    )
    assert timeline(segments) == [
        (at(2, 9), at(2, 12), "B", "rotation"),
        (at(2, 12), at(2, 18), "Z", "override"),
        (at(2, 18), at(3, 9), "B", "rotation"),
    ]
    assert segments[1].conflict is False


def test_override_spanning_several_shifts_is_one_segment():
    cover = Cover(at(1, 12), at(4, 12), "Z")
    segments = build_segments(
        shifts=SHIFTS, overrides=[cover], window_start=at(1, 9), window_end=at(5, 9)
    )
    assert timeline(segments) == [
        (at(1, 9), at(1, 12), "A", "rotation"),
        (at(1, 12), at(4, 12), "Z", "override"),
        (at(4, 12), at(5, 9), "C", "manual"),
    ]


def test_override_replacing_a_whole_shift_exactly():
    cover = Cover(at(2, 9), at(3, 9), "Z")
    segments = build_segments(
        shifts=SHIFTS, overrides=[cover], window_start=at(1, 9), window_end=at(4, 9)
    )
    assert timeline(segments) == [
        (at(1, 9), at(2, 9), "A", "rotation"),
        (at(2, 9), at(3, 9), "Z", "override"),
        (at(3, 9), at(4, 9), "B", "rotation"),
    ]


def test_overrides_across_the_window_edges_are_clipped():
    overrides = [Cover(at(1), at(2, 0), "Y"), Cover(at(3, 0), at(9), "Z")]
    segments = build_segments(
        shifts=SHIFTS, overrides=overrides, window_start=at(1, 12), window_end=at(4, 0)
    )
    assert timeline(segments) == [
        (at(1, 12), at(2, 0), "Y", "override"),
        (at(2, 0), at(2, 9), "A", "rotation"),
        (at(2, 9), at(3, 0), "B", "rotation"),
        (at(3, 0), at(4, 0), "Z", "override"),
    ]


def test_override_over_nobody_and_adjacent_overrides_stay_apart():
    overrides = [Cover(at(1, 3), at(1, 6), "Y"), Cover(at(1, 6), at(1, 10), "Y")]
    segments = build_segments(
        shifts=SHIFTS, overrides=overrides, window_start=at(1, 0), window_end=at(1, 12)
    )
    assert timeline(segments) == [
        (at(1, 0), at(1, 3), None, "rotation"),
        (at(1, 3), at(1, 6), "Y", "override"),
        (at(1, 6), at(1, 10), "Y", "override"),
        (at(1, 10), at(1, 12), "A", "rotation"),
    ]


def test_overrides_outside_the_window_are_ignored():
    overrides = [Cover(at(1), at(1, 9), "Y"), Cover(at(8), at(9), "Z")]
    segments = build_segments(
        shifts=SHIFTS, overrides=overrides, window_start=at(1, 9), window_end=at(2, 9)
    )
    assert segments == [Segment(*SHIFTS[0])]


def test_planned_shifts_in_any_order_are_accepted():
    planned = [
        PlannedShift(start, end, person, source, conflict, (), k)
        for k, (start, end, person, source, conflict) in enumerate(SHIFTS)
    ]
    segments = build_segments(
        shifts=list(reversed(planned)), overrides=[], window_start=at(1), window_end=at(6)
    )
    assert_tiles(segments, at(1), at(6))
    assert [s.person for s in segments] == [None, "A", "B", "B", "C", None]


def test_overlapping_input_still_tiles_the_window():
    # Callers should not pass overlaps; if they do the earlier-starting piece keeps the time.
    shifts = [(at(1, 9), at(2, 12), "A", "rotation", False), SHIFTS[1]]
    overrides = [Cover(at(1, 10), at(1, 14), "Y"), Cover(at(1, 12), at(1, 16), "Z")]
    segments = build_segments(
        shifts=shifts, overrides=overrides, window_start=at(1, 9), window_end=at(3, 9)
    )
    assert_tiles(segments, at(1, 9), at(3, 9))
    assert timeline(segments) == [
        (at(1, 9), at(1, 10), "A", "rotation"),
        (at(1, 10), at(1, 14), "Y", "override"),
        (at(1, 14), at(1, 16), "Z", "override"),
        (at(1, 16), at(2, 12), "A", "rotation"),
        (at(2, 12), at(3, 9), "B", "rotation"),
    ]


def test_empty_window_is_rejected():
    with pytest.raises(ValueError):
        build_segments(shifts=SHIFTS, overrides=[], window_start=at(2), window_end=at(2))
