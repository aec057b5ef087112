"""iCalendar (RFC 5545) feeds of a person's or a rota's shifts, reached by a secret token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe
from icalendar import Calendar, Event, vText

from rota_core.models import Person

from .adapters import load_members, rota_zone
from .engine import Segment, build_segments
from .models import Rota
from .selectors import rota_covers, rota_timeline, rota_trades

PAST = timedelta(days=30)
FUTURE = timedelta(days=180)
PRODID = "-//Rota Round//Duty rota feed//EN"


def segment_uid(rota: Rota, segment: Segment) -> str:
    """Stable across fetches: the same rota, start and source give the same event."""
    return (
        f"rota{rota.pk}-{segment.start.astimezone(UTC):%Y%m%dT%H%M%SZ}-{segment.source}@rota-round"
    )


def _calendar(name: str) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    # An X- property is untyped to icalendar: typed as TEXT, a line break in a name stored
    # before names were checked is escaped instead of breaking the feed.
    cal.add("x-wr-calname", vText(name))
    return cal


def _event(rota: Rota, segment: Segment, names: dict[int, str], stamp: datetime) -> Event:
    event = Event()
    event.add("uid", segment_uid(rota, segment))
    event.add("dtstamp", stamp)
    event.add("dtstart", segment.start.astimezone(UTC))
    event.add("dtend", segment.end.astimezone(UTC))
    who = names.get(segment.person, "nobody")
    suffix = {"override": " (override)", "swap": " (swap)"}.get(segment.source, "")
    event.add("summary", f"{rota.name}: {who} on duty{suffix}")
    event.add("description", f"Rota {rota.name} ({rota_zone(rota).key}); source {segment.source}.")
    if segment.conflict:
        event.add("categories", ["conflict"])
    return event


def _segments(rota: Rota, now: datetime, members: tuple[int, ...] | None = None) -> list[Segment]:
    """The turns overlapping [now - PAST, now + FUTURE), each with its real start and end.

    Segments are cut at the window's edges; the feed widens the window to the shifts and
    overrides that straddle them, so an edge event keeps its times (and its UID, made from
    its start) from one fetch to the next instead of sliding along with ``now``.
    """
    start, end = now - PAST, now + FUTURE
    shifts = rota_timeline(rota=rota, start=start, end=end, members=members)
    covers = rota_covers(rota=rota, start=start, end=end)
    wide_start = min([start, *(s.start for s in shifts), *(c.start for c in covers)])
    wide_end = max([end, *(s.end for s in shifts), *(c.end for c in covers)])
    segments = build_segments(
        shifts=shifts,
        overrides=covers,
        swaps=rota_trades(rota=rota, start=wide_start, end=wide_end),
        window_start=wide_start,
        window_end=wide_end,
    )
    return [s for s in segments if s.person and s.end > start and s.start < end]


def _response(cal: Calendar, filename: str) -> HttpResponse:
    response = HttpResponse(cal.to_ical(), content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{filename}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@require_safe
def calendar_feed(request, token: str) -> HttpResponse:
    now = timezone.now()
    rota = Rota.objects.filter(calendar_token=token).first()
    if rota is not None:
        cal = _calendar(f"{rota.name} rota")
        segments = _segments(rota, now)
        names = dict(
            Person.objects.filter(id__in={s.person for s in segments}).values_list("id", "name")
        )
        for segment in segments:
            cal.add_component(_event(rota, segment, names, now))
        return _response(cal, rota.slug)
    person = Person.objects.filter(calendar_token=token).first()
    if person is None:
        raise Http404("No calendar for this token.")
    cal = _calendar(f"{person.name} on duty")
    names = {person.pk: person.name}
    rotas = list(
        Rota.objects.filter(
            id__in=set(person.rota_memberships.values_list("rota_id", flat=True))
            | set(person.shifts.values_list("rota_id", flat=True))
            | set(person.overrides.values_list("rota_id", flat=True))
            | set(person.swaps_taken.taken().values_list("rota_id", flat=True))
        )
    )
    members = load_members(rotas)
    for rota in rotas:
        for segment in _segments(rota, now, members.of(rota)):
            if segment.person == person.pk:
                cal.add_component(_event(rota, segment, names, now))
    return _response(cal, "on-duty")
