"""System checks for misconfiguration of rota-notifications."""

from django.core import checks

from .conf import app_settings


@checks.register()
def check_retry_settings(app_configs=None, **kwargs):
    errors = []
    if int(app_settings.MAX_ATTEMPTS) < 1:
        errors.append(
            checks.Error(
                "ROTA_NOTIFICATIONS_MAX_ATTEMPTS must be at least 1.", id="rota_notifications.E001"
            )
        )
    if float(app_settings.RETRY_BASE_SECONDS) <= 0 or float(app_settings.RETRY_MAX_SECONDS) <= 0:
        errors.append(
            checks.Error(
                "ROTA_NOTIFICATIONS_RETRY_BASE_SECONDS and _RETRY_MAX_SECONDS must be positive.",
                id="rota_notifications.E002",
            )
        )
    if float(app_settings.LEASE_SECONDS) <= float(app_settings.WEBHOOK_CONNECT_TIMEOUT) + float(
        app_settings.WEBHOOK_READ_TIMEOUT
    ):
        errors.append(
            checks.Error(
                "ROTA_NOTIFICATIONS_LEASE_SECONDS must exceed the webhook timeouts, or a slow "
                "send could be handed out twice.",
                id="rota_notifications.E003",
            )
        )
    return errors
