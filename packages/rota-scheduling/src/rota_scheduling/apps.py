from django.apps import AppConfig
from django.db.models.signals import post_migrate


def register_periodic_tasks(sender, **kwargs) -> None:
    from .periodic import ensure_periodic_tasks
    from .periodic_tasks import SPECS

    ensure_periodic_tasks(SPECS)


class RotaSchedulingConfig(AppConfig):
    name = "rota_scheduling"
    verbose_name = "Rota scheduling"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from rota_core.signals import availability_changed, availability_changing
        from rota_settings.signals import system_timezone_changed

        from . import checks, receivers  # noqa: F401 - checks register themselves

        post_migrate.connect(
            register_periodic_tasks, sender=self, dispatch_uid="rota_scheduling.periodic"
        )
        system_timezone_changed.connect(
            receivers.follow_system_timezone, dispatch_uid="rota_scheduling.system_tz"
        )
        availability_changing.connect(
            receivers.turns_before_availability_change,
            dispatch_uid="rota_scheduling.availability_changing",
        )
        availability_changed.connect(
            receivers.announce_moved_turns, dispatch_uid="rota_scheduling.availability_changed"
        )
        availability_changed.connect(
            receivers.flag_swaps_of_unavailable_takers,
            dispatch_uid="rota_scheduling.swap_takers_unavailable",
        )
