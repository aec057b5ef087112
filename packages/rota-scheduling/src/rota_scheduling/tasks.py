"""Celery tasks: thin wrappers over the services, idempotent, safe to run concurrently."""

from celery import shared_task

from . import services
from .handoff_timer import upcoming_instants


@shared_task(name="rota_scheduling.rotate_due_rotas", ignore_result=True)
def rotate_due_rotas(arm: bool = True) -> int:
    """Store due handoffs of every rota and announce overrides that started; then arm a sweep
    at each handoff instant due before the next beat run (handoffs happen on time)."""
    result = services.rotate_due(collect=False)
    services.announce_started_overrides()
    if arm:
        for instant in upcoming_instants():
            rotate_due_rotas.apply_async(kwargs={"arm": False}, eta=instant)
    return result.stored


@shared_task(name="rota_scheduling.send_reminders", ignore_result=True)
def send_reminders() -> int:
    return services.send_reminders()
