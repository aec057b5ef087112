"""Celery tasks of rota-notifications (ids in, idempotent, stable names)."""

from celery import shared_task

from . import delivery


@shared_task(name="rota_notifications.deliver", ignore_result=True)
def deliver(delivery_id: int) -> None:
    delivery.attempt(delivery_id)


@shared_task(name="rota_notifications.deliver_many", ignore_result=True)
def deliver_many(delivery_ids: list[int]) -> None:
    for delivery_id in delivery_ids:
        delivery.attempt(delivery_id)


@shared_task(name="rota_notifications.relay_pending", ignore_result=True)
def relay_pending() -> int:
    return delivery.relay_pending()
