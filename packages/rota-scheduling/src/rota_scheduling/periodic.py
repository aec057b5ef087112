"""Register django-celery-beat periodic tasks without ever overwriting what ops changed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PeriodicSpec:
    """A periodic task as shipped: ``every_seconds`` or a ``crontab`` dict, never both."""

    name: str
    task: str
    description: str
    every_seconds: int | None = None
    crontab: dict | None = None


def ensure_periodic_tasks(specs: list[PeriodicSpec]) -> list[str]:
    """Create each missing task by its readable name; leave existing ones exactly as they are
    (a task ops disabled or re-timed in the admin stays so). Returns the names created."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    created = []
    for spec in specs:
        if PeriodicTask.objects.filter(name=spec.name).exists():
            continue
        if spec.crontab is not None:
            schedule, _ = CrontabSchedule.objects.get_or_create(timezone="UTC", **spec.crontab)
            kind = {"crontab": schedule}
        else:
            schedule, _ = IntervalSchedule.objects.get_or_create(
                every=spec.every_seconds, period=IntervalSchedule.SECONDS
            )
            kind = {"interval": schedule}
        PeriodicTask.objects.create(
            name=spec.name, task=spec.task, description=spec.description, **kind
        )
        created.append(spec.name)
    return created
