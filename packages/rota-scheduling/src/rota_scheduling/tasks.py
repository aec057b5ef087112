"""Celery tasks: thin wrappers over the services, idempotent, safe to run concurrently."""

from celery import shared_task

from . import services


@shared_task(name="rota_scheduling.rotate_due_rotas", ignore_result=True)
def rotate_due_rotas() -> int:
    """Store due handoffs of every rota and announce overrides that started."""
    result = services.rotate_due()
    services.announce_started_overrides()
    return len(result.shifts)


@shared_task(name="rota_scheduling.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return services.send_reminders()
