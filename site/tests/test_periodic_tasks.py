from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_celery_beat.models import PeriodicTask
from django_celery_beat.schedulers import DatabaseScheduler
from django_celery_results.models import TaskResult

from rota_site import celery_app
from rota_site.tasks import purge_task_results

pytestmark = pytest.mark.django_db

SHIPPED = {
    "Rotate due rotas": "rota_scheduling.rotate_due_rotas",
    "Send shift reminders": "rota_scheduling.send_reminders",
    "Relay pending deliveries": "rota_notifications.relay_pending",
    "Purge old task results": "rota_site.purge_task_results",
}
CHANGELIST = "/admin/django_celery_beat/periodictask/"


def test_migrate_registers_every_periodic_task_of_the_site_with_readable_names():
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert {name: tasks.get(name) for name in SHIPPED} == SHIPPED


def test_migrating_again_never_overwrites_what_ops_changed_in_the_admin():
    for name in SHIPPED:
        PeriodicTask.objects.filter(name=name).update(enabled=False, description="ops")
    call_command("migrate", verbosity=0)
    for task in PeriodicTask.objects.filter(name__in=SHIPPED):
        assert (task.enabled, task.description) == (False, "ops"), task.name


def test_every_shipped_task_has_a_schedule_row_of_its_own():
    tasks = PeriodicTask.objects.filter(name__in=SHIPPED)
    rows = [(task.interval_id, task.crontab_id) for task in tasks]
    assert len(rows) == len(SHIPPED) == len(set(rows))


def test_the_admin_lists_the_registered_task_of_every_shipped_task(admin_client):
    page = admin_client.get(f"{CHANGELIST}add/")
    regtask = page.context["adminform"].form.fields["regtask"]  # "Task (registered)"
    choices = [value for value, _ in regtask.widget.choices]
    assert "rota_scheduling.rotate_due_rotas" in choices
    for name, task in SHIPPED.items():
        pk = PeriodicTask.objects.get(name=name).pk
        form = admin_client.get(f"{CHANGELIST}{pk}/change/").content.decode()
        assert f'<option value="{task}" selected>' in form, name  # "Task (registered)"


def test_beat_adds_no_purge_of_its_own_beside_ours(monkeypatch):
    scheduler = DatabaseScheduler(app=celery_app, lazy=True)
    added = {}
    monkeypatch.setattr(scheduler, "update_from_dict", added.update)

    scheduler.install_default_entries({})  # the entries `celery beat` adds at start

    assert added == {}  # no "celery.backend_cleanup" beside "Purge old task results"


def test_migrate_leaves_one_purge_in_a_database_that_had_two():
    ours = PeriodicTask.objects.get(name="Purge old task results")
    PeriodicTask.objects.filter(pk=ours.pk).update(task="celery.backend_cleanup", enabled=False)
    PeriodicTask.objects.create(
        name="celery.backend_cleanup", task="celery.backend_cleanup", crontab=ours.crontab
    )  # what beat used to add

    call_command("migrate", verbosity=0)

    assert not PeriodicTask.objects.filter(task="celery.backend_cleanup").exists()
    ours.refresh_from_db()
    assert (ours.task, ours.enabled) == ("rota_site.purge_task_results", False)  # ops' switch


def test_the_purge_deletes_results_older_than_the_max_age(settings):
    settings.TASK_RESULTS_MAX_AGE = 3600
    old, _recent = (TaskResult.objects.create(task_id=tid) for tid in ("old", "recent"))
    TaskResult.objects.filter(pk=old.pk).update(date_done=timezone.now() - timedelta(hours=2))

    purge_task_results()

    assert list(TaskResult.objects.values_list("task_id", flat=True)) == ["recent"]
