"""Overrides: validation, override_started once, their place in the schedule."""

import time
from datetime import UTC, datetime, timedelta

import pytest
from django.core.exceptions import ValidationError

from rota_core.testing.factories import PersonFactory
from rota_scheduling import tasks
from rota_scheduling.models import Override
from rota_scheduling.selectors import rota_on_duty, rota_segments
from rota_scheduling.services import announce_started_overrides, override_create, override_delete
from rota_scheduling.testing.factories import OverrideFactory

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)


def at(day: int, hour: int = 9) -> datetime:
    return datetime(2027, 3, day, hour, 0, tzinfo=UTC)


@pytest.fixture
def rota(make_rota, people):
    return make_rota(people, now=at(1))


def test_an_override_replaces_the_assignee_without_changing_the_order(rota, people):
    a, b, _c, d = people
    override_create(rota=rota, person=d, starts_at=at(2), ends_at=at(3), now=NOW)

    segments = rota_segments(rota=rota, start=at(1), end=at(15))

    assert [(s.start, s.end, s.person, s.source) for s in segments] == [
        (at(1), at(2), a.pk, "rotation"),
        (at(2), at(3), d.pk, "override"),
        (at(3), at(8), a.pk, "rotation"),
        (at(8), at(15), b.pk, "rotation"),
    ]


def test_overlapping_overrides_are_refused_naming_the_field(rota, people):
    override_create(rota=rota, person=people[3], starts_at=at(2), ends_at=at(4), now=NOW)

    with pytest.raises(ValidationError) as error:
        override_create(rota=rota, person=people[2], starts_at=at(3), ends_at=at(5), now=NOW)

    assert "starts_at" in error.value.message_dict
    assert Override.objects.count() == 1


def test_touching_overrides_do_not_overlap(rota, people):
    override_create(rota=rota, person=people[3], starts_at=at(2), ends_at=at(4), now=NOW)
    override_create(rota=rota, person=people[2], starts_at=at(4), ends_at=at(5), now=NOW)

    assert Override.objects.count() == 2


def test_overrides_on_other_rotas_do_not_clash(rota, make_rota, people):
    other = make_rota(people, now=at(1))
    override_create(rota=rota, person=people[3], starts_at=at(2), ends_at=at(4), now=NOW)
    override_create(rota=other, person=people[3], starts_at=at(2), ends_at=at(4), now=NOW)

    assert Override.objects.count() == 2


@pytest.mark.parametrize(
    ("starts_at", "ends_at", "field"),
    [
        (at(1, 0), NOW, "ends_at"),  # ends now: in the past
        (at(1, 0), at(1, 11), "ends_at"),
        (at(3), at(2), "ends_at"),
    ],
)
def test_an_override_ending_in_the_past_or_before_it_starts_is_refused(
    rota, people, starts_at, ends_at, field
):
    with pytest.raises(ValidationError) as error:
        override_create(rota=rota, person=people[3], starts_at=starts_at, ends_at=ends_at, now=NOW)

    assert field in error.value.message_dict
    assert not Override.objects.exists()


def test_an_inactive_person_cannot_cover(rota):
    with pytest.raises(ValidationError) as error:
        override_create(
            rota=rota,
            person=PersonFactory(is_active=False),
            starts_at=at(2),
            ends_at=at(3),
            now=NOW,
        )
    assert "person" in error.value.message_dict


def test_anyone_active_may_cover_not_only_members(rota):
    outsider = PersonFactory(name="Outsider")
    override_create(rota=rota, person=outsider, starts_at=at(2), ends_at=at(3), now=NOW)

    assert rota_on_duty(rota=rota, at=at(2, 12)).person_id == outsider.pk


def test_an_override_already_started_is_announced_on_creation_once(rota, people, signals):
    d = people[3]
    override = override_create(rota=rota, person=d, starts_at=at(1, 10), ends_at=at(2), now=NOW)

    assert [(s["override"], s["person"]) for s in signals.override_started] == [(override, d)]
    assert announce_started_overrides(now=at(1, 13)) == 0
    assert len(signals.override_started) == 1


def test_a_future_override_is_announced_by_the_sweep_when_it_starts(rota, people, signals):
    override = override_create(rota=rota, person=people[3], starts_at=at(2), ends_at=at(3), now=NOW)
    assert signals.override_started == []

    assert announce_started_overrides(now=at(2) - timedelta(seconds=1)) == 0
    assert announce_started_overrides(now=at(2)) == 1
    assert announce_started_overrides(now=at(2, 10)) == 0

    assert [s["override"] for s in signals.override_started] == [override]


def test_an_override_that_ended_unseen_during_downtime_is_not_announced(rota, people, signals):
    override_create(rota=rota, person=people[3], starts_at=at(2), ends_at=at(3), now=NOW)

    assert announce_started_overrides(now=at(5)) == 0
    assert signals.override_started == []
    assert Override.objects.get().started_notified_at == at(5)


def test_the_periodic_task_announces_started_overrides(make_rota, people, signals):
    from django.utils import timezone

    real_now = timezone.now()
    rota = make_rota(people, starts_on=real_now.date() - timedelta(days=1), now=real_now)
    override = OverrideFactory(
        rota=rota,
        person=people[3],
        starts_at=real_now + timedelta(milliseconds=50),
        now=real_now,
    )
    assert signals.override_started == []
    time.sleep(max(0.0, (override.starts_at - timezone.now()).total_seconds()) + 0.01)

    tasks.rotate_due_rotas()

    assert [s["override"] for s in signals.override_started] == [override]


def test_deleting_an_override_gives_the_time_back_to_the_rotation(rota, people):
    a, _b, _c, d = people
    override = override_create(rota=rota, person=d, starts_at=at(2), ends_at=at(3), now=NOW)

    override_delete(override=override, now=NOW)

    assert rota_on_duty(rota=rota, at=at(2, 12)).person_id == a.pk


def test_an_announcement_that_fails_does_not_hold_back_the_others(make_rota, people, signals):
    from rota_scheduling.signals import override_started

    first = make_rota(people, now=at(1), name="First")
    second = make_rota(people, now=at(1), name="Second")
    broken = override_create(rota=first, person=people[3], starts_at=at(2), ends_at=at(3), now=NOW)
    fine = override_create(rota=second, person=people[3], starts_at=at(2), ends_at=at(3), now=NOW)

    def fail_for_broken(sender, override, **kwargs):
        if override.pk == broken.pk:
            raise RuntimeError("webhook on fire")

    override_started.connect(fail_for_broken, weak=False)
    try:
        assert announce_started_overrides(now=at(2)) == 1
    finally:
        override_started.disconnect(fail_for_broken)

    assert Override.objects.get(pk=fine.pk).started_notified_at == at(2)
    assert Override.objects.get(pk=broken.pk).started_notified_at is None
    assert announce_started_overrides(now=at(2, 10)) == 1  # tried again
