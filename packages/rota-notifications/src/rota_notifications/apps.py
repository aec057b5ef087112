from django.apps import AppConfig


class RotaNotificationsConfig(AppConfig):
    name = "rota_notifications"
    verbose_name = "Rota notifications"
    default_auto_field = "django.db.models.BigAutoField"
