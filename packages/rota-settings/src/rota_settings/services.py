"""Writes of the system settings: the only place that sends ``system_timezone_changed``."""

from django.db import transaction

from .cache import drop_cached_timezone
from .models import SINGLETON_PK, SystemSettings
from .signals import system_timezone_changed
from .validators import validate_timezone


def system_settings_update(*, timezone: str) -> SystemSettings:
    """Set the system zone; raise django ValidationError for an unknown zone name.

    Saving the zone it already has writes nothing and sends nothing. A change is saved under
    a row lock and ``system_timezone_changed`` is sent inside that transaction; a receiver
    that raises rolls the change back.
    """
    validate_timezone(timezone)
    try:
        with transaction.atomic():
            SystemSettings.load()
            row = SystemSettings.objects.select_for_update().get(pk=SINGLETON_PK)
            old = row.timezone
            if old == timezone:
                return row
            row.timezone = timezone
            row.save(update_fields=["timezone", "updated_at"])
            system_timezone_changed.send(sender=SystemSettings, old=old, new=timezone)
    except Exception:
        # A receiver may have cached the new zone before the rollback.
        drop_cached_timezone()
        raise
    return row
