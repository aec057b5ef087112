"""Writes on rotas: create, update (definition, members, pause/resume), advance, delete, and
a new calendar token."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from rota_core.models import Person
from rota_core.validators import validate_no_control_characters

from ..exceptions import RotaNotRunning
from ..handoff_timer import arm_on_commit
from ..models import Membership, Rota, new_calendar_token
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


def _validate_name_and_slug(rota: Rota) -> None:
    others = Rota.objects.exclude(pk=rota.pk)
    errors = {}
    if not rota.name or not rota.name.strip():
        errors["name"] = ["This field may not be blank."]
    elif others.filter(name__iexact=rota.name.strip()).exists():
        errors["name"] = [f'A rota named "{rota.name}" already exists.']
    try:
        validate_no_control_characters(rota.name or "")
    except ValidationError as exc:
        errors["name"] = exc.messages
    if rota.slug and others.filter(slug=rota.slug).exists():
        errors["slug"] = [f'The slug "{rota.slug}" is taken.']
    if errors:
        raise ValidationError(errors)


def _unique_slug(name: str, *, exclude_pk: int | None) -> str:
    base = slugify(name)[:200] or "rota"
    slug, n = base, 2
    while Rota.objects.exclude(pk=exclude_pk).filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    return slug


def _validate_members(members: Sequence[int]) -> list[int]:
    ids = list(members)
    if len(set(ids)) != len(ids):
        raise ValidationError({"members": ["Each person may appear once."]})
    found = dict(Person.objects.filter(id__in=ids).values_list("id", "is_active"))
    unknown = [i for i in ids if i not in found]
    if unknown:
        raise ValidationError({"members": [f"Unknown person id(s): {unknown}."]})
    inactive = [i for i in ids if not found[i]]
    if inactive:
        raise ValidationError(
            {"members": [f"Inactive person id(s) cannot be members: {inactive}."]}
        )
    return ids


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
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    rota = Rota(**fields)
    if rota.timezone == "":
        rota.timezone = None
    validate_definition(fields=_definition(rota))
    _validate_name_and_slug(rota)
    ids = _validate_members(members)
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
    unknown = set(fields) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    with schedule_change([rota.pk], cause=_cause(fields, members), now=now):
        rota = locked_rota(rota.pk)
        _catch_up_and_announce(rota, now=now)
        before = _definition(rota)
        for name, value in fields.items():
            setattr(rota, name, None if name == "timezone" and value == "" else value)
        validate_definition(fields=_definition(rota))
        _validate_name_and_slug(rota)
        if "slug" in fields and not rota.slug:
            rota.slug = _unique_slug(rota.name, exclude_pk=rota.pk)
        if members is not None:
            _replace_members(rota, _validate_members(members))
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
