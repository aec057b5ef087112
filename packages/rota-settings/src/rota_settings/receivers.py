"""Receivers of model signals, connected in ``RotaSettingsConfig.ready()``."""

from typing import Any

from django.db import transaction

from .cache import drop_cached_timezone


def drop_timezone_cache(*, using: str, **kwargs: Any) -> None:
    """Drop the cached zone when the row is saved or deleted, however that happens.

    Dropped at once (this transaction reads the new value) and again on commit: another
    request may have cached the old committed value in between.
    """
    drop_cached_timezone()
    transaction.on_commit(drop_cached_timezone, using=using)
