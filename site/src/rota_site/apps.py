from django.apps import AppConfig
from django.db.models.signals import post_migrate

RESULT_CLEANUP = "Purge old task results"
# What beat's database scheduler names the purge it adds by itself when result_expires is set.
BEAT_BUILTIN_CLEANUP = "celery.backend_cleanup"


def register_result_cleanup(sender, **kwargs) -> None:
    """One purge: ours (ops-editable, never overwritten). A task of ours still running
    Celery's built-in moves to the site's task (its schedule and switch kept); the entry beat
    added by itself before the site stopped it is deleted."""
    from django_celery_beat.models import PeriodicTask, PeriodicTasks

    from rota_scheduling.periodic import PeriodicSpec, ensure_periodic_tasks

    from .tasks import PURGE_TASK_RESULTS

    ensure_periodic_tasks(
        [
            PeriodicSpec(
                name=RESULT_CLEANUP,
                task=PURGE_TASK_RESULTS,
                description="Deletes task results older than TASK_RESULTS_MAX_AGE (7 days).",
                crontab={"minute": "30", "hour": "3"},
            )
        ]
    )
    moved = PeriodicTask.objects.filter(name=RESULT_CLEANUP, task=BEAT_BUILTIN_CLEANUP).update(
        task=PURGE_TASK_RESULTS
    )
    deleted, _ = PeriodicTask.objects.filter(
        name=BEAT_BUILTIN_CLEANUP, task=BEAT_BUILTIN_CLEANUP
    ).delete()
    if moved or deleted:
        PeriodicTasks.update_changed()  # a running beat reloads its schedule


class RotaSiteConfig(AppConfig):
    name = "rota_site"
    verbose_name = "Rota Round site"

    def ready(self) -> None:
        post_migrate.connect(register_result_cleanup, sender=self, dispatch_uid="rota_site.cleanup")
