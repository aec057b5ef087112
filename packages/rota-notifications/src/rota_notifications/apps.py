import logging

from django.apps import AppConfig
from django.db.models.signals import post_migrate


def register_periodic_tasks(sender, **kwargs) -> None:
    from rota_scheduling.periodic import PeriodicSpec, ensure_periodic_tasks

    ensure_periodic_tasks(
        [
            PeriodicSpec(
                name="Relay pending deliveries",
                task="rota_notifications.relay_pending",
                description="Re-enqueues pending deliveries whose time has come (broker "
                "outages, lost tasks, retries).",
                every_seconds=60,
            )
        ]
    )


def quiet_http_client_logs() -> None:
    """httpx logs every request's full URL at INFO, and a webhook URL is a secret: its loggers
    start at WARNING unless the site set a level for them."""
    for name in ("httpx", "httpcore"):
        logger = logging.getLogger(name)
        if logger.level == logging.NOTSET:
            logger.setLevel(logging.WARNING)


class RotaNotificationsConfig(AppConfig):
    name = "rota_notifications"
    verbose_name = "Rota notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rota_core.signals import me_extra
        from rota_scheduling import signals

        from . import checks, receivers  # noqa: F401 - checks register themselves

        quiet_http_client_logs()
        uid = "rota_notifications"
        signals.shifts_started.connect(receivers.on_shifts_started, dispatch_uid=f"{uid}.started")
        signals.shift_upcoming.connect(receivers.on_shift_upcoming, dispatch_uid=f"{uid}.upcoming")
        signals.override_started.connect(
            receivers.on_override_started, dispatch_uid=f"{uid}.override"
        )
        signals.schedule_changed.connect(
            receivers.on_schedule_changed, dispatch_uid=f"{uid}.changed"
        )
        for name in ("swap_requested", "swap_taken", "swap_cancelled", "swap_taker_unavailable"):
            getattr(signals, name).connect(
                getattr(receivers, f"on_{name}"), dispatch_uid=f"{uid}.{name}"
            )
        me_extra.connect(receivers.unread_count, dispatch_uid=f"{uid}.unread")
        post_migrate.connect(register_periodic_tasks, sender=self, dispatch_uid=f"{uid}.periodic")
