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


def test_each_task_has_a_schedule_row_of_its_own():
    rotate = PeriodicTask.objects.get(name="Rotate due rotas")
    remind = PeriodicTask.objects.get(name="Send shift reminders")
    assert rotate.interval_id != remind.interval_id

    rotate.interval.every = 120  # ops edit "every 60 seconds" from the rotate task's page
    rotate.interval.save()

    remind.refresh_from_db()
    assert (remind.interval.every, remind.interval.period) == (60, IntervalSchedule.SECONDS)


def share_one_row(every: int) -> IntervalSchedule:
    """What registration did before: both tasks on one row, here re-timed by ops."""
    shared = IntervalSchedule.objects.create(every=every, period=IntervalSchedule.SECONDS)
    PeriodicTask.objects.filter(name__in=["Rotate due rotas", "Send shift reminders"]).update(
        interval=shared
    )
    return shared


def test_registering_splits_a_shared_row_keeping_what_ops_set():
    share_one_row(every=90)

    register_periodic_tasks(sender=apps.get_app_config("rota_scheduling"))

    rotate = PeriodicTask.objects.get(name="Rotate due rotas")
    remind = PeriodicTask.objects.get(name="Send shift reminders")
    assert rotate.interval_id != remind.interval_id
    for task in (rotate, remind):
        assert (task.interval.every, task.interval.period) == (90, IntervalSchedule.SECONDS)
    rotate.interval.every = 30
    rotate.interval.save()
    remind.refresh_from_db()
    assert remind.interval.every == 90


def test_the_admin_says_which_tasks_share_a_schedule(admin_client):
    changelist = "/admin/django_celery_beat/periodictask/"
    page = admin_client.get(changelist, follow=True).content.decode()
    assert "share one schedule" not in page

    share_one_row(every=60)

    page = admin_client.get(changelist).content.decode()
    warning = '"Rotate due rotas", "Send shift reminders" share one schedule (every 60 seconds)'
    assert warning in page.replace("&quot;", '"')
    rotate = PeriodicTask.objects.get(name="Rotate due rotas")
    form = admin_client.get(f"{changelist}{rotate.pk}/change/").content.decode()
    assert warning in form.replace("&quot;", '"')


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
