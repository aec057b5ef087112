from datetime import date, datetime, timedelta
from datetime import time as wall_time
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rota_notifications.models import Kind, Notification
from rota_scheduling.services import (
    override_create,
    rota_update,
    rotate_due,
    send_reminders,
)

pytestmark = pytest.mark.django_db
HOURS_2 = timedelta(hours=2)


def daily_rota(rota_factory, people, **fields):
    return rota_factory(
        people, cadence="daily", starts_on=timezone.now().date() - timedelta(days=3), **fields
    )


def test_a_handoff_with_an_override_in_force_notifies_the_covering_person(rota_factory, people):
    rota = daily_rota(rota_factory, people[:3])
    handoff = rota.next_handoff_at
    coverer = people[3]
    override_create(
        rota=rota,
        person=coverer,
        starts_at=handoff - timedelta(hours=1),
        ends_at=handoff + timedelta(hours=2),
    )
    Notification.objects.all().delete()
    rotate_due(now=handoff + timedelta(seconds=5))
    started = Notification.objects.get(kind=Kind.SHIFT_STARTED)
    assert started.person == coverer
    assert "covering" in started.body


def test_a_handoff_inside_an_override_of_nobody_notifies_no_one(rota_factory, people):
    rota = daily_rota(rota_factory, people[:3])
    handoff = rota.next_handoff_at
    override_create(
        rota=rota, person=None, starts_at=handoff - timedelta(hours=1), ends_at=handoff + HOURS_2
    )
    Notification.objects.all().delete()
    rotate_due(now=handoff + timedelta(seconds=5))
    rota.refresh_from_db()
    assert rota.current_shift.starts_at == handoff  # the handoff is stored all the same
    assert not Notification.objects.filter(kind=Kind.SHIFT_STARTED).exists()


def test_an_override_of_nobody_that_starts_now_notifies_no_one(rota_factory, people):
    rota = daily_rota(rota_factory, people[:2])
    Notification.objects.all().delete()
    now = timezone.now()
    made = override_create(rota=rota, person=None, starts_at=now, ends_at=now + HOURS_2)
    made.refresh_from_db()
    assert made.started_notified_at is not None  # announced: never tried again
    assert not Notification.objects.filter(kind=Kind.OVERRIDE_STARTED).exists()
    # the holder it relieves hears of it as a schedule change
    assert Notification.objects.filter(kind=Kind.SCHEDULE_CHANGED).exists()


def test_reminder_goes_once_to_the_next_person_in_their_zone(rota_factory, people):
    people[1].timezone = "Asia/Kolkata"
    people[1].save()
    rota = rota_factory(
        people[:2],
        cadence="weekly",
        starts_on=date(2026, 1, 5),
        handoff_time=wall_time(9, 0),
        timezone="Europe/London",
        reminder_minutes=60,
    )
    next_person = rota.current_shift.person_id
    next_person = people[1] if next_person == people[0].pk else people[0]
    when = rota.next_handoff_at - timedelta(minutes=59)
    Notification.objects.all().delete()
    assert send_reminders(now=when) == 1
    assert send_reminders(now=when + timedelta(minutes=1)) == 0
    reminder = Notification.objects.get(kind=Kind.SHIFT_UPCOMING)
    assert reminder.person == next_person
    local = rota.next_handoff_at.astimezone(ZoneInfo(next_person.timezone or "Europe/London"))
    assert f"{local:%H:%M} {local.tzname()}" in reminder.body


def test_an_override_that_starts_now_notifies_the_covering_person(rota_factory, people):
    rota = daily_rota(rota_factory, people[:2])
    Notification.objects.all().delete()
    now = timezone.now()
    override_create(rota=rota, person=people[2], starts_at=now, ends_at=now + timedelta(hours=3))
    notice = Notification.objects.get(kind=Kind.OVERRIDE_STARTED)
    assert notice.person == people[2]


def test_reordering_members_tells_each_person_whose_turns_moved_before_and_after(
    rota_factory, people
):
    rota = daily_rota(rota_factory, people[:3], timezone="UTC")
    Notification.objects.all().delete()
    order = people[:3]
    current = order.index(rota.current_shift.person)
    x, y, z = order[current], order[(current + 1) % 3], order[(current + 2) % 3]
    rota_update(rota=rota, fields={}, members=[x.pk, z.pk, y.pk])  # y and z swap turns
    changed = Notification.objects.filter(kind=Kind.SCHEDULE_CHANGED)
    assert {n.person for n in changed} == {y, z}  # x keeps every turn it had
    notice = changed.get(person=y)
    assert "You now cover" in notice.body and "instead of" in notice.body
    assert notice.payload["before"] and notice.payload["after"]


def test_a_no_op_edit_sends_no_change_notice(rota_factory, people):
    rota = daily_rota(rota_factory, people[:3])
    Notification.objects.all().delete()
    rota_update(rota=rota, fields={"description": "Only words changed"})
    rota_update(rota=rota, fields={}, members=[p.pk for p in people[:3]])
    assert not Notification.objects.exists()


def test_texts_use_the_person_zone_with_its_abbreviation(rota_factory, people):
    people[0].timezone = "America/New_York"
    people[0].save()
    rota = rota_factory(
        [people[0]],
        cadence="daily",
        starts_on=date(2026, 1, 1),
        handoff_time=wall_time(9, 0),
        timezone="Europe/Paris",
    )
    notice = Notification.objects.get(kind=Kind.SHIFT_STARTED)
    start = rota.current_shift.starts_at.astimezone(ZoneInfo("America/New_York"))
    assert f"{start:%H:%M}" in notice.body
    assert start.tzname() in notice.body  # EST or EDT
    assert isinstance(rota.current_shift.starts_at, datetime)


def test_one_shifts_started_writes_every_items_notification_in_a_fixed_number_of_queries(
    rota_factory, people
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rota_scheduling.signals import ShiftStart, shifts_started

    rotas = [daily_rota(rota_factory, people) for _ in range(5)]
    starts = [ShiftStart(r, r.current_shift, r.current_shift.person, None) for r in rotas]
    Notification.objects.all().delete()

    def queries(items) -> int:
        with CaptureQueriesContext(connection) as captured:
            shifts_started.send(sender=type(rotas[0]), starts=items)
        return len(captured.captured_queries)

    assert queries(starts[:2]) == queries(starts[2:])  # 2 items or 3: the same statements
    assert sorted(Notification.objects.values_list("rota_id", flat=True)) == sorted(
        r.pk for r in rotas
    )
