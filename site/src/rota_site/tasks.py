"""The site's own periodic task: purging old task results (the one purge that runs)."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings

PURGE_TASK_RESULTS = "rota_site.purge_task_results"


@shared_task(name=PURGE_TASK_RESULTS, ignore_result=True)
def purge_task_results() -> None:
    """Delete task and group results older than ``TASK_RESULTS_MAX_AGE`` seconds.

    Celery's own ``celery.backend_cleanup`` does the same, but beat adds it whenever
    ``result_expires`` is set and rewrites its schedule at every start (ops cannot re-time
    it); the site leaves ``result_expires`` unset so beat adds nothing, and runs this one as
    "Purge old task results", which ops manage like any other periodic task."""
    from django_celery_results.models import GroupResult, TaskResult

    age = timedelta(seconds=settings.TASK_RESULTS_MAX_AGE)
    TaskResult.objects.delete_expired(age)
    GroupResult.objects.delete_expired(age)
