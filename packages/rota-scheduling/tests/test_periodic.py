"""The periodic tasks: registered after migrate, never overwritten, thin over the services."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.utils import timezone
from django_celery_beat.models import IntervalSchedule, PeriodicTask

from rota_scheduling import tasks
from rota_scheduling.apps import register_periodic_tasks

pytestmark = pytest.mark.django_db


def test_migrate_registers_both_tasks_with_readable_names():
    rotate = PeriodicTask.objects.get(name="Rotate due rotas")
    remind = PeriodicTask.objects.get(name="Send shift reminders")

    assert rotate.task == "rota_scheduling.rotate_due_rotas"
    assert (rotate.interval.every, rotate.interval.period) == (60, IntervalSchedule.SECONDS)
    assert remind.task == "rota_scheduling.send_reminders"
    assert rotate.enabled and remind.enabled


def test_registering_again_keeps_what_ops_changed():
    rotate = PeriodicTask.objects.get(name="Rotate due rotas")
    every_five_minutes, _ = IntervalSchedule.objects.get_or_create(
        every=5, period=IntervalSchedule.MINUTES
    )
    rotate.enabled = False
    rotate.interval = every_five_minutes
    rotate.save()

    register_periodic_tasks(sender=apps.get_app_config("rota_scheduling"))

    rotate = PeriodicTask.objects.get(name="Rotate due rotas")
    assert rotate.enabled is False
    assert (rotate.interval.every, rotate.interval.period) == (5, IntervalSchedule.MINUTES)
    assert PeriodicTask.objects.filter(name="Send shift reminders").count() == 1


def test_registering_again_restores_a_deleted_task():
    PeriodicTask.objects.filter(name="Send shift reminders").delete()

    register_periodic_tasks(sender=apps.get_app_config("rota_scheduling"))

    assert PeriodicTask.objects.filter(name="Send shift reminders").exists()


def test_the_tasks_are_registered_with_celery_under_their_stable_names():
    assert tasks.rotate_due_rotas.name == "rota_scheduling.rotate_due_rotas"
    assert tasks.send_reminders.name == "rota_scheduling.send_reminders"
    assert tasks.rotate_due_rotas.ignore_result and tasks.send_reminders.ignore_result


def test_the_rotate_task_stores_due_handoffs(make_rota, people, signals):
    three_days_ago = timezone.now() - timedelta(days=3)
    rota = make_rota(
        people,
        cadence="daily",
        starts_on=three_days_ago.date() - timedelta(days=1),
        now=three_days_ago,
    )
    signals.clear()

    assert tasks.rotate_due_rotas() == 3
    assert rota.shifts.count() == 4
    assert len(signals.shift_started) == 1


def test_the_reminder_task_sends_due_reminders(make_rota, people, signals):
    real_now = timezone.now()
    make_rota(
        people,
        cadence="daily",
        starts_on=real_now.date() - timedelta(days=1),
        reminder_minutes=60 * 24 * 2,
        now=real_now,
    )

    assert tasks.send_reminders() == 1
    assert tasks.send_reminders() == 0
    assert len(signals.shift_upcoming) == 1
