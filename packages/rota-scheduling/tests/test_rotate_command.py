"""``rota rotate``: one sweep in the foreground that prints what it stored."""

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from rota_scheduling.services import override_create


def rotate() -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("rotate", stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture
def overdue(make_rota, people):
    """A daily rota last rotated two days ago: two handoffs are due."""
    two_days_ago = timezone.now() - timedelta(days=2)
    return make_rota(
        people,
        name="Ops",
        cadence="daily",
        starts_on=two_days_ago.date() - timedelta(days=1),
        now=two_days_ago,
    )


def test_rotate_prints_each_stored_shift_and_a_summary(overdue, people):
    out, err = rotate()

    shifts = list(overdue.shifts.order_by("starts_at").select_related("person"))[1:]
    assert len(shifts) == 2
    for shift in shifts:
        assert f"Ops: {shift.person.name} from {shift.starts_at:%Y-%m-%d %H:%M}Z" in out
    assert "Stored 2 shift(s) for 1 rota(s); 0 override(s) started." in out
    assert err == ""


def test_rotate_twice_stores_nothing_the_second_time(overdue):
    rotate()
    out, _ = rotate()

    assert "Stored 0 shift(s) for 0 rota(s)" in out
    assert overdue.shifts.count() == 3


def test_rotate_reports_started_overrides(overdue, people):
    now = timezone.now()
    override_create(
        rota=overdue,
        person=people[3],
        starts_at=now - timedelta(hours=1),
        ends_at=now + timedelta(hours=1),
        now=now - timedelta(days=1),  # created yesterday: it started while nobody swept
    )

    out, _ = rotate()

    assert "1 override(s) started." in out
