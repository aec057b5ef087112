"""Events of the apps below: unavailability, deactivation, the system time zone.

These receivers act at the real current time, so the rotas here are set up around it.
"""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from rota_core.models import Person
from rota_core.services import (
    people_delete,
    person_delete,
    person_update,
    unavailability_create,
    unavailability_delete,
)
from rota_scheduling.models import Rota
from rota_scheduling.selectors import rota_segments
from rota_scheduling.services import rotate_due
from rota_settings.services import system_settings_update


@pytest.fixture
def real_now():
    return timezone.now()


@pytest.fixture
def weekly(make_rota, people, real_now):
    """A weekly rota handing over at 09:00 UTC that started yesterday: A is on duty whatever
    the time of day, B is next."""
    return make_rota(people, starts_on=real_now.date() - timedelta(days=1), now=real_now)


def next_local(after: datetime, zone: str, wall: time) -> datetime:
    tz = ZoneInfo(zone)
    local = after.astimezone(tz)
    candidate = datetime.combine(local.date(), wall, tzinfo=tz)
    if candidate <= after:
        candidate = datetime.combine(local.date() + timedelta(days=1), wall, tzinfo=tz)
    return candidate.astimezone(UTC)


def test_deleting_a_member_tells_those_whose_turns_moved_and_says_nothing_to_them(
    weekly, people, signals, real_now
):
    b, c = people[1], people[2]  # b is next, then c: never on duty yet, so b can be deleted
    later = real_now + timedelta(days=60)
    unavailability_create(person=b, starts_at=later, ends_at=later + timedelta(days=1))
    assert signals.schedule_changed == []  # leave beyond the 14 days moves nothing

    person_delete(person=b)  # their leave and memberships go with them

    [changed] = signals.schedule_changed
    assert changed["cause"] == "members"
    assert b.pk not in changed["changes"]
    assert changed["changes"][c.pk]["before"] != changed["changes"][c.pk]["after"]
    assert list(Rota.objects.get(pk=weekly.pk).memberships.values_list("person", flat=True)) == [
        people[0].pk,
        c.pk,
        people[3].pk,
    ]


def test_deleting_several_members_at_once_says_nothing_to_any_of_them(
    weekly, people, signals, real_now
):
    _a, b, c, _d = people  # a holds the current shift, so only b, c and d can be deleted
    for person in (b, c):
        later = real_now + timedelta(days=60)
        unavailability_create(person=person, starts_at=later, ends_at=later + timedelta(days=1))

    people_delete(people=Person.objects.filter(pk__in=[b.pk, c.pk]))  # "delete selected"

    told = {pid for sent in signals.schedule_changed for pid in sent["changes"]}
    assert told and not told & {b.pk, c.pk}
    assert {sent["cause"] for sent in signals.schedule_changed} == {"members"}


def test_new_and_removed_unavailability_send_schedule_changed(weekly, people, signals, real_now):
    b = people[1]
    rota = Rota.objects.get(pk=weekly.pk)
    b_turns = [
        (s.start, s.end)
        for s in rota_segments(rota=rota, start=real_now, end=real_now + timedelta(days=14))
        if s.person == b.pk
    ]
    assert b_turns

    leave = unavailability_create(
        person=b, starts_at=real_now - timedelta(days=1), ends_at=real_now + timedelta(days=30)
    )
    unavailability_delete(unavailability=leave)

    added, removed = signals.schedule_changed
    assert (added["cause"], removed["cause"]) == ("unavailability", "unavailability")
    assert added["rota"] == weekly
    assert added["changes"][b.pk] == {"before": b_turns, "after": []}
    assert removed["changes"][b.pk] == {"before": [], "after": b_turns}


def test_unavailability_outside_the_next_14_days_sends_nothing(weekly, people, signals, real_now):
    unavailability_create(
        person=people[1],
        starts_at=real_now + timedelta(days=20),
        ends_at=real_now + timedelta(days=21),
    )
    assert signals.schedule_changed == []


def test_unavailability_of_a_non_member_sends_nothing(weekly, signals, real_now):
    from rota_core.testing.factories import PersonFactory

    unavailability_create(
        person=PersonFactory(), starts_at=real_now, ends_at=real_now + timedelta(days=3)
    )
    assert signals.schedule_changed == []


def test_a_deactivated_person_is_unavailable_from_then_on(weekly, people, signals, real_now):
    b = people[1]

    person_update(person=b, data={"is_active": False})

    [sent] = signals.schedule_changed
    assert sent["cause"] == "unavailability"
    assert sent["changes"][b.pk]["after"] == []
    window = rota_segments(rota=weekly, start=real_now, end=real_now + timedelta(days=14))
    assert b.pk not in {s.person for s in window if s.start >= weekly.next_handoff_at}
    result = rotate_due(now=real_now + timedelta(weeks=5))
    assert len(result.shifts) == 5
    assert b.pk not in {shift.person_id for shift in result.shifts}


def test_a_person_s_unrelated_edit_sends_nothing(weekly, people, signals):
    person_update(person=people[1], data={"name": "Beatrice"})
    assert signals.schedule_changed == []


def test_a_system_timezone_change_moves_rotas_that_follow_it(make_rota, people, real_now):
    since = real_now.date() - timedelta(days=1)
    follows = make_rota(people, cadence="daily", timezone=None, starts_on=since, now=real_now)
    own = make_rota(people, cadence="daily", timezone="UTC", starts_on=since, now=real_now)
    assert follows.next_handoff_at == own.next_handoff_at == next_local(real_now, "UTC", time(9))

    system_settings_update(timezone="America/New_York")

    follows, own = Rota.objects.get(pk=follows.pk), Rota.objects.get(pk=own.pk)
    moved = next_local(timezone.now(), "America/New_York", time(9))
    assert follows.next_handoff_at == moved
    assert Rota.objects.get(pk=follows.pk).current_shift.ends_at == moved
    assert own.next_handoff_at == next_local(real_now, "UTC", time(9))


def test_a_system_timezone_change_first_stores_handoffs_the_sweep_missed(
    make_rota, people, signals, real_now
):
    two_days_ago = real_now - timedelta(days=2)
    rota = make_rota(
        people,
        cadence="daily",
        timezone=None,
        starts_on=two_days_ago.date() - timedelta(days=1),
        now=two_days_ago,
    )
    signals.clear()

    system_settings_update(timezone="America/New_York")

    rota = Rota.objects.select_related("current_shift").get(pk=rota.pk)
    assert rota.shifts.count() == 3  # the two 09:00 UTC handoffs of the last two days
    assert rota.current_shift.starts_at <= timezone.now() < rota.current_shift.ends_at
    assert rota.current_shift.ends_at == rota.next_handoff_at
    assert [s["shift"] for s in signals.shift_started] == [rota.current_shift]


def test_a_rota_whose_first_handoff_moves_into_the_past_starts_at_once(
    make_rota, people, signals, real_now
):
    first = (real_now + timedelta(hours=1)).replace(second=0, microsecond=0)
    rota = make_rota(
        people,
        cadence="daily",
        timezone=None,
        starts_on=first.date(),
        handoff_time=first.time(),
        now=real_now,
    )
    assert rota.current_shift is None

    system_settings_update(timezone="Asia/Tokyo")  # the same wall time came 9 hours earlier

    rota = Rota.objects.select_related("current_shift").get(pk=rota.pk)
    assert rota.current_shift.starts_at == first - timedelta(hours=9)
    assert [s["shift"] for s in signals.shift_started] == [rota.current_shift]


def test_moving_unavailability_to_someone_else_tells_both_rotas(make_rota, real_now, signals):
    from rota_core.services import unavailability_update
    from rota_core.testing.factories import PersonFactory

    a, b, x, y = PersonFactory.create_batch(4)
    since = real_now.date() - timedelta(days=1)
    first = make_rota([a, x], name="First", starts_on=since, now=real_now)
    second = make_rota([b, y], name="Second", starts_on=since, now=real_now)
    leave = unavailability_create(
        person=x, starts_at=real_now, ends_at=real_now + timedelta(days=30)
    )
    signals.clear()

    unavailability_update(unavailability=leave, data={"person": y})

    changed = {sent["rota"].pk: set(sent["changes"]) for sent in signals.schedule_changed}
    assert changed == {first.pk: {a.pk, x.pk}, second.pk: {b.pk, y.pk}}


def test_raw_writes_stash_nothing_on_the_instance_and_announce_nothing(
    weekly, people, signals, real_now
):
    from django.db.models.signals import pre_delete, pre_save

    from rota_core.models import Unavailability

    stashed = []

    def look(sender, instance, **kwargs):
        stashed.extend(name for name in vars(instance) if name.startswith("_rota"))

    for signal in (pre_save, pre_delete):
        for model in (Person, Unavailability):
            signal.connect(look, sender=model, weak=False)
    try:
        b = people[1]
        b.is_active = False
        b.save()  # not through the services: nobody is told
        leave = Unavailability.objects.create(
            person=people[2], starts_at=real_now, ends_at=real_now + timedelta(days=30)
        )
        leave.delete()
    finally:
        for signal in (pre_save, pre_delete):
            for model in (Person, Unavailability):
                signal.disconnect(look, sender=model)

    assert stashed == []
    assert signals.schedule_changed == []


def test_deleting_people_in_the_admin_tells_the_others(weekly, people, signals, client):
    from rota_core.testing.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    _a, b, c, _d = people

    response = client.post(
        "/admin/rota_core/person/",
        {"action": "delete_selected", "_selected_action": [b.pk, c.pk], "post": "yes"},
    )

    assert response.status_code == 302
    assert not Person.objects.filter(pk__in=[b.pk, c.pk]).exists()
    [changed] = signals.schedule_changed
    assert changed["cause"] == "members"
    assert set(changed["changes"]) and not set(changed["changes"]) & {b.pk, c.pk}


def test_leave_added_on_a_person_s_admin_page_tells_them(weekly, people, signals, client, real_now):
    from rota_core.testing.factories import UserFactory

    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    b = people[1]
    start, end = real_now - timedelta(days=1), real_now + timedelta(days=30)
    form = {
        "name": b.name, "email": b.email, "user": "", "timezone": "", "is_active": "on",
        "notify_email": "on",
        "unavailability-TOTAL_FORMS": "1", "unavailability-INITIAL_FORMS": "0",
        "unavailability-0-starts_at_0": f"{start:%Y-%m-%d}",
        "unavailability-0-starts_at_1": f"{start:%H:%M:%S}",
        "unavailability-0-ends_at_0": f"{end:%Y-%m-%d}",
        "unavailability-0-ends_at_1": f"{end:%H:%M:%S}",
    }  # fmt: skip

    response = client.post(f"/admin/rota_core/person/{b.pk}/change/", form)

    assert response.status_code == 302
    [changed] = signals.schedule_changed
    assert changed["cause"] == "unavailability"
    assert changed["changes"][b.pk]["after"] == []
