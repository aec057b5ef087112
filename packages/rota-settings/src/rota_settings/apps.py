from django.apps import AppConfig


class RotaSettingsConfig(AppConfig):
    name = "rota_settings"
    verbose_name = "Rota settings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.models.signals import post_delete, post_save

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import SystemSettings
        from .receivers import drop_timezone_cache

        for signal in (post_save, post_delete):
            signal.connect(
                drop_timezone_cache,
                sender=SystemSettings,
                dispatch_uid="rota_settings.drop_timezone_cache",
            )
