"""System checks for misconfiguration of rota-scheduling."""

from django.conf import settings
from django.core import checks

from .conf import app_settings


@checks.register()
def check_settings(app_configs=None, **kwargs):
    errors = []
    if not settings.USE_TZ:
        errors.append(
            checks.Error(
                "rota-scheduling stores handoff instants in UTC and needs USE_TZ = True.",
                id="rota_scheduling.E001",
            )
        )
    for name in ("SWEEP_BATCH_SIZE", "MAX_CATCH_UP", "ARM_HORIZON_SECONDS"):
        value = getattr(app_settings, name)
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            errors.append(
                checks.Error(
                    f"ROTA_SCHEDULING_{name} must be a whole number of at least 1.",
                    id="rota_scheduling.E002",
                )
            )
    if "django_celery_beat" not in settings.INSTALLED_APPS:
        errors.append(
            checks.Error(
                "rota-scheduling registers its periodic tasks with django-celery-beat: add "
                '"django_celery_beat" to INSTALLED_APPS.',
                id="rota_scheduling.E003",
            )
        )
    return errors
