"""The SystemSettings singleton: one row, primary key 1."""

from typing import Self

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .validators import validate_timezone

SINGLETON_PK = 1


class SystemSettings(models.Model):
    """Site-wide settings. Change them with ``services.system_settings_update``."""

    # A fixed primary key: creating a second row is an IntegrityError, never a new row.
    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON_PK, editable=False)
    timezone = models.CharField(
        _("time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_timezone],
        help_text=_('IANA time zone name, e.g. "Europe/Paris".'),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("system settings")
        verbose_name_plural = _("system settings")
        constraints = [
            models.CheckConstraint(condition=Q(pk=SINGLETON_PK), name="rota_settings_singleton"),
        ]

    def __str__(self) -> str:
        return str(_("System settings"))

    @classmethod
    def load(cls) -> Self:
        """Return the row, creating it with the defaults on first use."""
        row, _created = cls.objects.get_or_create(pk=SINGLETON_PK)
        return row
