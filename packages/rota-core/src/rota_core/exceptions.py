"""Errors the services of the Rota Round apps raise (plain Python, no DRF).

The API maps them (``rota_core.api.exceptions.exception_handler``); other callers (the admin,
commands, tasks) catch them as they are. Invalid input is Django's ``ValidationError``.
"""


class StateConflict(Exception):
    """A valid request that clashes with the current state of the data (API: 409, with the
    message as ``detail``). Apps subclass it for their own cases."""
