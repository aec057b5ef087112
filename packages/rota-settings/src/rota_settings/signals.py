"""Signals this app sends; other apps connect receivers in their ``AppConfig.ready()``."""

from django.dispatch import Signal

system_timezone_changed = Signal()
"""The system time zone was changed.

Sent by ``rota_settings.services.system_settings_update`` only when the zone really changes,
inside the transaction that saves it: whatever a receiver writes commits or rolls back with
the change, and an exception raised by a receiver rolls the change back and propagates.

Arguments:
    sender: the ``SystemSettings`` model class.
    old: the previous zone name (IANA, str), e.g. "UTC".
    new: the new zone name (IANA, str), e.g. "Europe/Paris".
"""
