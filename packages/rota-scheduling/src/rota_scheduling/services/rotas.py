"""Writes on rotas: create, update (definition, members, pause/resume), advance, delete, and
a new calendar token."""

from __future__ import annotations

import copy
from collections.abc import Collection, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rota_core import messages
from rota_core.models import Person
from rota_core.validators import validate_no_control_characters

from ..adapters import load_member_ids
from ..exceptions import RotaNotRunning
from ..handoff_timer import arm_on_commit
from ..models import Cadence, Membership, Rota, all_weekdays, new_calendar_token
from ..validation import validate_definition
from .changes import schedule_change
from .rotation import (
    STATE_FIELDS,
    advance_rotation,
    announce_shift,
    catch_up,
    locked_rota,
    sync_rotation,
)

DEFINITION_FIELDS = ("cadence", "interval", "starts_on", "handoff_time", "timezone", "weekdays")
EDITABLE_FIELDS = (
    "name",
    "slug",
    "description",
    "skip_policy",
    "reminder_minutes",
    "is_active",
    *DEFINITION_FIELDS,
)


def _name_and_slug_errors(rota: Rota) -> dict[str, list[str]]:
    others = Rota.objects.exclude(pk=rota.pk)
    errors = {}
    if not rota.name or not rota.name.strip():
        errors["name"] = ["This field may not be blank."]
    elif others.filter(name__iexact=rota.name.strip()).exists():
        errors["name"] = [messages.already_exists("rota", "name")]
    try:
        validate_no_control_characters(rota.name or "")
    except ValidationError as exc:
        errors.setdefault("name", []).extend(exc.messages)
    if rota.slug and others.filter(slug=rota.slug).exists():
        errors["slug"] = [messages.already_exists("rota", "slug")]
    return errors


def _unique_slug(name: str, *, exclude_pk: int | None) -> str:
    base = slugify(name)[:200] or "rota"
    slug, n = base, 2
    while Rota.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _member_errors(ids: list[int], *, current: Collection[int]) -> list[str]:
    """Distinct, existing, active people; a current member who has since been deactivated
    may stay (a client writes back the list it read), only new members must be active."""
    if len(set(ids)) != len(ids):
        return [messages.repeated("person")]
    found = dict(Person.objects.filter(id__in=ids).values_list("id", "is_active"))
    unknown = [i for i in ids if i not in found]
    if unknown:
        return [messages.unknown_ids("person", unknown)]
    inactive = [i for i in ids if not found[i] and i not in current]
    return [messages.inactive_people(inactive)] if inactive else []


def _apply(rota: Rota, fields: dict) -> None:
    """Set ``fields`` on ``rota``: "" for the zone means null (the system zone), null weekdays
    every day."""
    for name, value in fields.items():
        setattr(rota, name, None if name == "timezone" and value == "" else value)
    if rota.weekdays is None:
        rota.weekdays = all_weekdays()


def _apply_checked(
    rota: Rota,
    *,
    fields: dict,
    members: Sequence[int] | None,
    current: Collection[int] = (),
    failed: Collection[str] = (),
) -> list[int] | None:
    """Apply ``fields`` to ``rota`` and check the result: every broken rule in one
    ValidationError, fields named in ``failed`` (already reported by the caller) left out.
    Returns the member ids to store (None: unchanged)."""
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _apply(rota, fields)
    errors: dict[str, list[str]] = {}
    try:
        validate_definition(fields=_definition(rota))
    except ValidationError as exc:
        errors.update(exc.message_dict)
    errors.update(_name_and_slug_errors(rota))
    ids = None if members is None else list(members)
    if ids is not None and (found := _member_errors(ids, current=current)):
        errors["members"] = found
    errors = {name: found for name, found in errors.items() if name not in failed}
    if errors:
        raise ValidationError(errors)
    if fields.keys() & {"cadence", "weekdays"} and rota.cadence != Cadence.DAILY:
        rota.weekdays = all_weekdays()  # only daily rotas have weekdays
    return ids


def rota_validate(
    *,
    rota: Rota | None = None,
    fields: dict,
    members: Sequence[int] | None = None,
    failed: Collection[str] = (),
) -> None:
    """Every error creating a rota (``rota`` None) or updating ``rota`` with ``fields`` and
    ``members`` would meet, at once, without saving: for forms and serializers that report
    all errors together. ``failed`` names fields whose value the caller already refused."""
    candidate = Rota() if rota is None else copy.copy(rota)
    current = () if rota is None else load_member_ids(rota)
    _apply_checked(candidate, fields=fields, members=members, current=current, failed=failed)


def _replace_members(rota: Rota, ids: list[int]) -> None:
    Membership.objects.filter(rota=rota).delete()
    Membership.objects.bulk_create(
        Membership(rota=rota, person_id=pid, position=i) for i, pid in enumerate(ids)
    )


def _definition(rota: Rota) -> dict:
    return {field: getattr(rota, field) for field in (*DEFINITION_FIELDS, "skip_policy")}


@transaction.atomic
def rota_create(*, fields: dict, members: Sequence[int] = (), now: datetime | None = None) -> Rota:
    """Create a rota; an active rota with members starts at once (its current shift stored)."""
    now = now or timezone.now()
    rota = Rota()
    ids = _apply_checked(rota, fields=fields, members=members)
    if not rota.slug:
        rota.slug = _unique_slug(rota.name, exclude_pk=None)
    rota.save()
    _replace_members(rota, ids)
    started = sync_rotation(rota, now=now, redefined=True)
    rota.save(update_fields=STATE_FIELDS)
    if started is not None:
        announce_shift(rota, started)
    arm_on_commit(rota.next_handoff_at)
    return rota


@transaction.atomic
def rota_update(
    *, rota: Rota, fields: dict, members: Sequence[int] | None = None, now: datetime | None = None
) -> Rota:
    """Edit a rota. Definition changes keep the current assignee and move the next handoff to
    the first boundary of the new definition after now; resuming starts or reschedules."""
    now = now or timezone.now()
    with schedule_change([rota.pk], cause=_cause(fields, members), now=now):
        rota = locked_rota(rota.pk)
        _catch_up_and_announce(rota, now=now)
        before = _definition(rota)
        ids = _apply_checked(rota, fields=fields, members=members, current=load_member_ids(rota))
        if "slug" in fields and not rota.slug:
            rota.slug = _unique_slug(rota.name, exclude_pk=rota.pk)
        if ids is not None:
            _replace_members(rota, ids)
        rota.save()
        redefined = _definition(rota) != before
        started = sync_rotation(rota, now=now, redefined=redefined)
        rota.save(update_fields=STATE_FIELDS)
        if started is not None:
            announce_shift(rota, started)
    arm_on_commit(rota.next_handoff_at)
    return rota


def _cause(fields: dict, members) -> str:
    if "is_active" in fields:
        return "activation"
    if members is not None:
        return "members"
    return "definition"


def _catch_up_and_announce(rota: Rota, *, now: datetime) -> None:
    """A handoff the sweep has not stored yet counts as done: store it before editing."""
    shifts = catch_up(rota, now=now)
    if shifts:
        rota.save(update_fields=STATE_FIELDS)
        announce_shift(rota, shifts[-1])


@transaction.atomic
def rota_advance(*, rota: Rota, now: datetime | None = None) -> Rota:
    """Manual handoff now; the next assignee is on duty until the next regular boundary."""
    now = now or timezone.now()
    with schedule_change([rota.pk], cause="advance", now=now):
        rota = locked_rota(rota.pk)
        _catch_up_and_announce(rota, now=now)
        if not rota.is_active:
            raise RotaNotRunning("The rota is paused; resume it before advancing.")
        if rota.next_handoff_at is None:
            raise RotaNotRunning("The rota has no members to hand over to.")
        shift = advance_rotation(rota, now=now)
        rota.save(update_fields=STATE_FIELDS)
        announce_shift(rota, shift)
    arm_on_commit(rota.next_handoff_at)
    return rota


@transaction.atomic
def rota_delete(*, rota: Rota) -> None:
    rota.delete()


def rota_rotate_calendar_token(*, rota: Rota) -> str:
    """Give the rota a new calendar token; feeds using the old one answer 404 from now on."""
    rota.calendar_token = new_calendar_token()
    rota.save(update_fields=["calendar_token", "updated_at"])
    return rota.calendar_token


@transaction.atomic
def rotas_follow_system_timezone(
    *, now: datetime | None = None, old_zone: str | None = None
) -> int:
    """The system zone changed: rotas without a zone of their own recompute their next handoff
    in the new zone, keeping the current assignee. Handoffs that passed before the change but
    were not stored yet (the sweep was late) are stored first, in ``old_zone`` (the former
    system zone) when given. Returns how many rotas moved."""
    now = now or timezone.now()
    try:
        old_tz = ZoneInfo(old_zone) if old_zone else None
    except (ZoneInfoNotFoundError, ValueError):  # a name a later tz database dropped
        old_tz = None
    ids = Rota.objects.filter(timezone__isnull=True, is_active=True).values_list("id", flat=True)
    for rota_id in ids:
        rota = locked_rota(rota_id)
        shifts = catch_up(rota, now=now, tz=old_tz)
        started = sync_rotation(rota, now=now, redefined=True)
        rota.save(update_fields=STATE_FIELDS)
        if started is not None or shifts:
            announce_shift(rota, started or shifts[-1])
    return len(ids)
