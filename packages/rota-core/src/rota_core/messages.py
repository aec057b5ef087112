"""The wording of each kind of error, in one place for every Rota Round app.

A client (and a translator) meets one sentence per kind of mistake, whichever endpoint or app
finds it: the API, the admin and the services all build their messages here. rota-settings
sits below rota-core and cannot import this module; its unknown-zone message is the same
words as ``unknown_timezone`` (a test holds the two together).
"""

from collections.abc import Iterable
from datetime import datetime


def _ids(ids: Iterable[object]) -> str:
    return ", ".join(str(i) for i in ids)


def must_be_after(later: str, earlier: str) -> str:
    """An interval whose end is not after its start: ``ends_at must be after starts_at.``"""
    return f"{later} must be after {earlier}."


def unknown_timezone(value: object) -> str:
    return f'Unknown time zone "{value}".'


def unknown_ids(kind: str, ids: Iterable[object]) -> str:
    """Ids that name nothing: ``Unknown person id(s): 7, 9.``"""
    return f"Unknown {kind} id(s): {_ids(ids)}."


def inactive_people(ids: Iterable[object]) -> str:
    return f"Only active people can be chosen; inactive person id(s): {_ids(ids)}."


def unavailable(name: str, start: datetime, end: datetime | None, window: str) -> str:
    """Leave (or deactivation: no end) inside a window someone is asked to hold:
    ``Ann is unavailable from 2027-03-09 20:00Z to 2027-03-11 09:00Z, inside the swap's window.``
    """
    until = f" to {end:%Y-%m-%d %H:%M}Z" if end else ""
    return f"{name} is unavailable from {start:%Y-%m-%d %H:%M}Z{until}, inside {window}."


def already_exists(kind: str, field: str) -> str:
    """A unique value taken: ``A rota with this name already exists.``"""
    return f"A {kind} with this {field} already exists."


def repeated(item: str) -> str:
    return f"Each {item} may appear once."


def too_many(what: str, limit: int) -> str:
    return f"Give at most {limit} {what}."


WINDOW_TOO_LONG = "The window may span at most 366 days."
NOT_DAILY_WEEKDAYS = "Only daily rotas have weekdays: send null (or leave it out) for this cadence."
