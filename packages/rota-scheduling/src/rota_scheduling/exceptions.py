"""Errors rota-scheduling's services raise (the API answers 409 to them, see rota-core)."""

from rota_core.exceptions import StateConflict


class RotaNotRunning(StateConflict):
    """The rota is paused or has nobody to hand over to, so it cannot be advanced."""
