"""Human texts: times in the recipient's zone (person, else rota, else system) with the
zone's abbreviation, e.g. "Tue 3 Mar 09:00–Wed 4 Mar 09:00 CET"."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime
from zoneinfo import ZoneInfo

from rota_settings.selectors import get_system_timezone

# A batch of events pins the system zone once instead of asking the cache per message.
_pinned_system_zone: ContextVar[ZoneInfo | None] = ContextVar("pinned_system_zone", default=None)


@contextmanager
def system_zone_pinned() -> Iterator[None]:
    token = _pinned_system_zone.set(get_system_timezone())
    try:
        yield
    finally:
        _pinned_system_zone.reset(token)


def recipient_zone(*, person, rota=None) -> ZoneInfo:
    if getattr(person, "timezone", ""):
        return ZoneInfo(person.timezone)
    if rota is not None and rota.timezone:
        return ZoneInfo(rota.timezone)
    return _pinned_system_zone.get() or get_system_timezone()


def _wall(value: datetime, tz: ZoneInfo) -> datetime:
    return value.astimezone(tz)


def when(value: datetime, tz: ZoneInfo) -> str:
    """``Tue 3 Mar 09:00 CET``."""
    local = _wall(value, tz)
    return f"{local:%a} {local.day} {local:%b %H:%M} {local.tzname()}"


def span(start: datetime, end: datetime | None, tz: ZoneInfo) -> str:
    """``Tue 3 Mar 09:00–Wed 4 Mar 09:00 CET``; both abbreviations when they differ (a clock
    change inside the span); ``from … (open-ended)`` without an end."""
    a = _wall(start, tz)
    if end is None:
        return f"from {when(start, tz)} (until further notice)"
    b = _wall(end, tz)
    first = f"{a:%a} {a.day} {a:%b %H:%M}"
    if a.tzname() != b.tzname():
        first += f" {a.tzname()}"
    return f"{first}–{b:%a} {b.day} {b:%b %H:%M} {b.tzname()}"


def spans(intervals: Sequence[tuple[datetime, datetime]], tz: ZoneInfo) -> str:
    return ", ".join(span(start, end, tz) for start, end in intervals)


def change_sentence(before, after, tz: ZoneInfo) -> str:
    """ "You now cover … instead of …" for one person's turns on one rota."""
    if before and after:
        return f"You now cover {spans(after, tz)} instead of {spans(before, tz)}."
    if after:
        return f"You now cover {spans(after, tz)}."
    return f"You no longer cover {spans(before, tz)}."
