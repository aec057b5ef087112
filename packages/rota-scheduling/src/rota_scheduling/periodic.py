"""Register django-celery-beat periodic tasks without ever overwriting what ops changed, each
with a schedule row of its own (editing one task's "every 60 seconds" must never re-time
another)."""

from __future__ import annotations

from dataclasses import dataclass

# The schedule foreign keys of a PeriodicTask that several tasks could point at.
SCHEDULE_FIELDS = ("interval", "crontab", "solar")


@dataclass(frozen=True)
class PeriodicSpec:
    """A periodic task as shipped: ``every_seconds`` or a ``crontab`` dict, never both."""

    name: str
    task: str
    description: str
    every_seconds: int | None = None
    crontab: dict | None = None


@dataclass(frozen=True)
class SharedSchedule:
    """One schedule row that several periodic tasks point at."""

    schedule: str
    task_names: list[str]


def ensure_periodic_tasks(specs: list[PeriodicSpec]) -> list[str]:
    """Create each missing task by its readable name, on a schedule row of its own; leave
    existing ones as they are (a task ops disabled or re-timed in the admin stays so), except
    that one still sharing its schedule row with another task gets its own copy of that row,
    with the same values. Returns the names created."""
    from django_celery_beat.models import CrontabSchedule, IntervalSchedule, PeriodicTask

    created = []
    for spec in specs:
        existing = PeriodicTask.objects.filter(name=spec.name).first()
        if existing is not None:
            periodic_task_own_schedule(task=existing)
            continue
        if spec.crontab is not None:
            # Rows are created, never looked up: a row found by its values may be another
            # task's, and editing it would re-time both (django-celery-beat shares them).
            kind = {"crontab": CrontabSchedule.objects.create(timezone="UTC", **spec.crontab)}
        else:
            schedule = IntervalSchedule.objects.create(
                every=spec.every_seconds, period=IntervalSchedule.SECONDS
            )
            kind = {"interval": schedule}
        PeriodicTask.objects.create(
            name=spec.name, task=spec.task, description=spec.description, **kind
        )
        created.append(spec.name)
    return created


def periodic_task_own_schedule(*, task) -> bool:
    """Give ``task`` a copy of its schedule row if another task points at the same row.
    The values (what ops set) are kept; only the row is no longer shared. Returns whether a
    copy was made."""
    from django_celery_beat.models import PeriodicTask

    for field in SCHEDULE_FIELDS:
        schedule = getattr(task, field)
        if schedule is None:
            continue
        if not PeriodicTask.objects.filter(**{field: schedule}).exclude(pk=task.pk).exists():
            return False
        schedule.pk = None
        schedule._state.adding = True
        schedule.save()
        setattr(task, field, schedule)
        task.save(update_fields=[field])  # PeriodicTask.save tells a running beat
        return True
    return False


def shared_schedules() -> list[SharedSchedule]:
    """Each schedule row that more than one periodic task points at, with those tasks' names
    (what the admin warns about: editing the row re-times every one of them)."""
    from django.db.models import Count
    from django_celery_beat.models import PeriodicTask

    shared = []
    for field in SCHEDULE_FIELDS:
        rows = (
            PeriodicTask.objects.filter(**{f"{field}__isnull": False})
            .values(field)
            .annotate(tasks=Count("id"))
            .filter(tasks__gt=1)
            .values_list(field, flat=True)
        )
        model = PeriodicTask._meta.get_field(field).related_model
        for schedule in model.objects.filter(pk__in=list(rows)).order_by("pk"):
            names = PeriodicTask.objects.filter(**{field: schedule}).order_by("name")
            shared.append(SharedSchedule(str(schedule), list(names.values_list("name", flat=True))))
    return shared
