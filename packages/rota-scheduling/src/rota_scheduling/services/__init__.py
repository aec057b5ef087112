"""Writes of the scheduling app (business rules live here, not in views or models)."""

from .overrides import announce_started_overrides, override_create, override_delete
from .rotas import (
    rota_advance,
    rota_create,
    rota_delete,
    rota_rotate_calendar_token,
    rota_update,
    rotas_follow_system_timezone,
)
from .swaps import SwapNotOpen, swap_cancel, swap_request, swap_take
from .sweep import SweepResult, rotate_due, send_reminders

__all__ = [
    "SwapNotOpen",
    "SweepResult",
    "announce_started_overrides",
    "override_create",
    "override_delete",
    "rota_advance",
    "rota_create",
    "rota_delete",
    "rota_rotate_calendar_token",
    "rota_update",
    "rotas_follow_system_timezone",
    "rotate_due",
    "send_reminders",
    "swap_cancel",
    "swap_request",
    "swap_take",
]
