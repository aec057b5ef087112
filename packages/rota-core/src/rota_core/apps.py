from django.apps import AppConfig


class RotaCoreConfig(AppConfig):
    name = "rota_core"
    verbose_name = "Rota core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import checks  # noqa: F401  (registers the system checks)
