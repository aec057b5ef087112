import pytest
from django.core.management import call_command
from django_celery_beat.models import PeriodicTask

pytestmark = pytest.mark.django_db

SHIPPED = {
    "Rotate due rotas": "rota_scheduling.rotate_due_rotas",
    "Send shift reminders": "rota_scheduling.send_reminders",
    "Relay pending deliveries": "rota_notifications.relay_pending",
    "Purge old task results": "celery.backend_cleanup",
}


def test_migrate_registers_every_periodic_task_of_the_site_with_readable_names():
    tasks = dict(PeriodicTask.objects.values_list("name", "task"))
    assert {name: tasks.get(name) for name in SHIPPED} == SHIPPED


def test_migrating_again_never_overwrites_what_ops_changed_in_the_admin():
    for name in SHIPPED:
        PeriodicTask.objects.filter(name=name).update(enabled=False, description="ops")
    call_command("migrate", verbosity=0)
    for task in PeriodicTask.objects.filter(name__in=SHIPPED):
        assert (task.enabled, task.description) == (False, "ops"), task.name
