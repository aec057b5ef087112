"""Serializers validate and shape; the services apply the rules."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from rota_core import messages
from rota_core.api.fields import ModelSerializer, UTCDateTimeField, utc_iso
from rota_core.api.serializers import PersonRefField, PersonRefSerializer
from rota_core.api.validation import Serializer
from rota_core.validators import validate_no_control_characters

from ..adapters import load_member_ids
from ..engine import Segment
from ..models import Cadence, Override, Rota, Shift, SkipPolicy, Swap, SwapStatus
from ..selectors import OnDuty, RotaNow, rotas_now
from ..services import override_create, rota_create, rota_update, swap_request
from ..services.overrides import override_validate
from ..services.rotas import rota_validate
from ..services.swaps import swap_validate

MAX_WINDOW = timedelta(days=366)
REACH_BACK = timedelta(days=36525)  # history: 100 years
REACH_AHEAD = timedelta(days=5 * 366)  # projection: every shift up to the instant is computed
MAX_ID = 2**63 - 1  # larger ids overflow the database's integer columns
CALENDAR_PLACEHOLDER = "~token~"  # "~" survives reverse() and is never in a token
# rotation: a regular turn; manual: the turn an advance started (ShiftSource.MANUAL);
# override: someone covering; swap and off: kept for swaps and coverage windows (SPEC 6.2, 6.3).
SEGMENT_SOURCES = [(value, value) for value in ("rotation", "manual", "override", "swap", "off")]
MAX_ROTAS = 100  # schedule/?rotas=: a calendar of one team, not a dump of the database


def person_ref(person_id: int | None, names: dict[int, str]) -> dict | None:
    if person_id is None:
        return None
    return {"id": person_id, "name": names.get(person_id, "")}


class HolderSerializer(serializers.Serializer):
    person = PersonRefSerializer(allow_null=True)
    starts_at = UTCDateTimeField(allow_null=True)
    ends_at = UTCDateTimeField(allow_null=True)
    source = serializers.ChoiceField(choices=SEGMENT_SOURCES)
    conflict = serializers.BooleanField()


class NextSerializer(serializers.Serializer):
    person = PersonRefSerializer(allow_null=True)
    starts_at = UTCDateTimeField()


def holder_ref(holder: OnDuty) -> dict | None:
    if holder.person_id is None:
        return None
    return {"id": holder.person_id, "name": holder.person_name or ""}


def holder_data(holder: OnDuty | None) -> dict | None:
    if holder is None or holder.person_id is None:
        return None
    return {
        "person": holder_ref(holder),
        "starts_at": utc_iso(holder.starts_at),
        "ends_at": utc_iso(holder.ends_at),
        "source": holder.source,
        "conflict": holder.conflict,
    }


class MemberIdsField(serializers.ListField):
    """Person ids in rota order (the representation takes them from ``rotas_now``)."""

    def get_attribute(self, rota: Rota) -> list[int]:
        return list(load_member_ids(rota))


def shown_weekdays(rota: Rota) -> list[int] | None:
    """A daily rota's weekdays; null for other cadences (they hand over on any day)."""
    return list(rota.weekdays) if rota.cadence == Cadence.DAILY else None


class WeekdaysField(serializers.ListField):
    def get_attribute(self, rota: Rota) -> list[int] | None:
        return shown_weekdays(rota)


class RotaSerializer(ModelSerializer):
    """A duty rota: its definition, its members in order, and who is on duty now and next."""

    members = MemberIdsField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        required=False,
        help_text="Person ids in rota order.",
    )
    timezone = serializers.CharField(
        required=False, allow_null=True, allow_blank=True, max_length=64,
        help_text="IANA zone; null follows the system zone.",
    )  # fmt: skip
    cadence = serializers.ChoiceField(choices=Cadence.choices)
    skip_policy = serializers.ChoiceField(choices=SkipPolicy.choices, required=False)
    interval = serializers.IntegerField(required=False, min_value=1, max_value=1000)
    weekdays = WeekdaysField(
        child=serializers.IntegerField(min_value=0, max_value=6),
        required=False,
        allow_empty=False,
        allow_null=True,
        help_text="Daily cadence only: days handoffs may fall on (Monday = 0; null = every "
        "day). Null for other cadences, and a list sent with another cadence is refused.",
    )
    current = serializers.SerializerMethodField()
    next = serializers.SerializerMethodField()
    next_handoff_at = serializers.SerializerMethodField()
    calendar_url = serializers.SerializerMethodField()

    class Meta:
        model = Rota
        fields = [
            "id", "name", "slug", "description", "timezone", "cadence", "interval",
            "starts_on", "handoff_time", "weekdays", "skip_policy", "reminder_minutes",
            "is_active", "members", "current", "next", "next_handoff_at", "calendar_url",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {  # uniqueness is the service's (case-insensitive) rule
            "slug": {"required": False, "validators": []},
            "name": {"validators": [validate_no_control_characters]},
        }

    # -- reading ---------------------------------------------------------------------------
    def to_representation(self, rota: Rota) -> dict:
        # Built directly rather than field by field: a page of rotas spent most of its time in
        # the generic fields. The fields above still define validation and the schema, and a
        # test holds this to the representation they give.
        now = self._now(rota)
        return {
            "id": rota.id,
            "name": rota.name,
            "slug": rota.slug,
            "description": rota.description,
            "timezone": rota.timezone,
            "cadence": rota.cadence,
            "interval": rota.interval,
            "starts_on": rota.starts_on.isoformat(),
            "handoff_time": rota.handoff_time.isoformat(),
            "weekdays": shown_weekdays(rota),
            "skip_policy": rota.skip_policy,
            "reminder_minutes": rota.reminder_minutes,
            "is_active": rota.is_active,
            "members": list(now.members),
            "current": holder_data(now.current),
            "next": self.get_next(rota),
            "next_handoff_at": utc_iso(now.next_handoff_at),
            "calendar_url": self.get_calendar_url(rota),
            "created_at": utc_iso(rota.created_at),
            "updated_at": utc_iso(rota.updated_at),
        }

    def _now(self, rota: Rota) -> RotaNow:
        cache = self.context.setdefault("rotas_now", {})
        if rota.id not in cache:
            cache.update(rotas_now(rotas=[rota]))
        return cache[rota.id]

    @extend_schema_field(HolderSerializer(allow_null=True))
    def get_current(self, rota: Rota) -> dict | None:
        return holder_data(self._now(rota).current)

    @extend_schema_field(NextSerializer(allow_null=True))
    def get_next(self, rota: Rota) -> dict | None:
        now = self._now(rota)
        if now.next is None or now.next.person_id is None:
            return None
        return {"person": holder_ref(now.next), "starts_at": utc_iso(now.next_handoff_at)}

    @extend_schema_field(UTCDateTimeField(allow_null=True))
    def get_next_handoff_at(self, rota: Rota) -> str | None:
        return utc_iso(self._now(rota).next_handoff_at)

    @extend_schema_field(serializers.URLField())
    def get_calendar_url(self, rota: Rota) -> str:
        # The feed URL up to the token, worked out once per response rather than per rota.
        prefix = self.context.get("calendar_prefix")
        if prefix is None:
            path = reverse("rota-calendar-feed", kwargs={"token": CALENDAR_PLACEHOLDER})
            request = self.context.get("request")
            prefix = request.build_absolute_uri(path) if request else path
            self.context["calendar_prefix"] = prefix
        return prefix.replace(CALENDAR_PLACEHOLDER, rota.calendar_token)

    # -- writing ---------------------------------------------------------------------------
    def validate(self, attrs: dict) -> dict:
        """The service's rules (definition, zone, names, members), reported together with the
        field errors; and weekdays belong to daily rotas only."""
        fields = {name: value for name, value in attrs.items() if name != "members"}
        cadence = attrs.get("cadence", getattr(self.instance, "cadence", None))
        errors = {}
        refused = attrs.get("weekdays") is not None and cadence != Cadence.DAILY
        if refused and "cadence" not in self.failed_fields:
            errors["weekdays"] = [messages.NOT_DAILY_WEEKDAYS]
        try:
            rota_validate(
                rota=self.instance,
                fields=fields,
                members=attrs.get("members"),
                failed=self.failed_fields | errors.keys(),
            )
        except DjangoValidationError as exc:
            errors.update(exc.message_dict)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def _split(self, validated: dict) -> tuple[dict, list[int] | None]:
        members = validated.pop("members", None)
        return validated, members

    def create(self, validated: dict) -> Rota:
        fields, members = self._split(validated)
        return rota_create(fields=fields, members=members or [])

    def update(self, rota: Rota, validated: dict) -> Rota:
        fields, members = self._split(validated)
        return rota_update(rota=rota, fields=fields, members=members)


class ShiftSerializer(ModelSerializer):
    """A stored shift (history): who held the rota from ``starts_at`` to ``ends_at``."""

    person = PersonRefField(read_only=True)

    class Meta:
        model = Shift
        fields = [
            "id", "rota", "person", "starts_at", "ends_at", "source", "conflict", "passed_over",
        ]  # fmt: skip
        read_only_fields = fields


class OverrideSerializer(ModelSerializer):
    """Someone covers [starts_at, ends_at) on a rota instead of the rotation's assignee."""

    person = PersonRefField(
        allow_null=True,
        help_text="The covering person (written as the id); null: nobody is on duty for the "
        "rota over the interval.",
    )

    class Meta:
        model = Override
        fields = ["id", "rota", "person", "starts_at", "ends_at", "reason", "created_at"]
        read_only_fields = ["created_at"]

    def validate(self, attrs: dict) -> dict:
        override_validate(
            rota=attrs.get("rota"),
            person=attrs.get("person"),
            starts_at=attrs.get("starts_at"),
            ends_at=attrs.get("ends_at"),
        )
        return attrs

    def create(self, validated: dict) -> Override:
        request = self.context.get("request")
        user = request.user if request and request.user.is_authenticated else None
        return override_create(created_by=user, **validated)


class SwapSerializer(ModelSerializer):
    """A swap (cover) request: ``requester`` asks someone to hold their duty on ``rota`` over
    [starts_at, ends_at). ``status``: open, taken, cancelled, or expired (open and its start
    has passed)."""

    requester = PersonRefField(help_text="Whose duty is offered (written as the id).")
    taker = PersonRefField(read_only=True, allow_null=True)
    status = serializers.SerializerMethodField()

    class Meta:
        model = Swap
        fields = [
            "id", "rota", "requester", "taker", "starts_at", "ends_at", "description",
            "status", "taken_at", "cancelled_at", "created_at",
        ]  # fmt: skip
        read_only_fields = ["taken_at", "cancelled_at", "created_at"]

    @extend_schema_field(serializers.ChoiceField(choices=SwapStatus.choices))
    def get_status(self, swap: Swap) -> str:
        return getattr(swap, "status", None) or swap.status_at(timezone.now())

    def validate(self, attrs: dict) -> dict:
        if not self.failed_fields & {"rota", "requester", "starts_at", "ends_at"}:
            swap_validate(
                rota=attrs["rota"],
                requester=attrs["requester"],
                starts_at=attrs["starts_at"],
                ends_at=attrs["ends_at"],
                now=timezone.now(),
            )
        return attrs

    def create(self, validated: dict) -> Swap:
        return swap_request(**validated)


class SwapTakeSerializer(Serializer):
    person = PersonRefField(
        required=False,
        help_text="Who takes the swap: leave out to take it yourself; naming someone else "
        "needs the change permission on swaps.",
    )


class InstantField(UTCDateTimeField):
    """A query instant at most 100 years back and 5 years ahead: projecting further ahead makes
    a request work out every shift up to it (minutes over many rotas), and dates near year 1 or
    9999 overflow."""

    default_error_messages = {
        "reach": "Give an instant no more than 100 years before or 5 years after now."
    }

    def to_internal_value(self, value):
        instant = super().to_internal_value(value)
        now = timezone.now()
        if instant < now - REACH_BACK or instant > now + REACH_AHEAD:
            self.fail("reach")
        return instant


class WindowSerializer(Serializer):
    """``?start=&end=`` of a window (ISO 8601; naive means UTC)."""

    start = InstantField(required=False)
    end = InstantField(required=False)

    def __init__(self, *args, default_span: timedelta, default_past: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.default_span = default_span
        self.default_past = default_past

    def validate(self, attrs: dict) -> dict:
        now = timezone.now()
        start, end = attrs.get("start"), attrs.get("end")
        if start is None and end is None:
            start, end = (
                (now - self.default_span, now)
                if self.default_past
                else (now, now + self.default_span)
            )
        elif start is None:
            start = end - self.default_span
        elif end is None:
            end = start + self.default_span
        if end <= start:
            raise serializers.ValidationError({"end": [messages.must_be_after("end", "start")]})
        if end - start > MAX_WINDOW:
            raise serializers.ValidationError({"end": [messages.WINDOW_TOO_LONG]})
        return {**attrs, "start": start, "end": end}


class RotaIdsField(serializers.CharField):
    """``?rotas=1,2,3``: distinct rota ids, at most ``MAX_ROTAS``."""

    default_error_messages = {"ids": "Give rota ids separated by commas, e.g. 1,2."}

    def to_internal_value(self, data) -> list[int]:
        parts = [part.strip() for part in super().to_internal_value(data).split(",")]
        if not all(part.isascii() and part.isdigit() and 0 < int(part) <= MAX_ID for part in parts):
            self.fail("ids")
        ids = list(dict.fromkeys(int(part) for part in parts))
        if len(ids) > MAX_ROTAS:
            raise serializers.ValidationError(messages.too_many("rotas", MAX_ROTAS))
        return ids


class RotasWindowSerializer(WindowSerializer):
    """``?rotas=1,2&start=&end=`` of the several-rotas schedule; unknown ids are named."""

    rotas = RotaIdsField()

    def validate(self, attrs: dict) -> dict:
        errors = {}
        try:
            attrs = super().validate(attrs)
        except serializers.ValidationError as exc:
            errors.update(exc.detail)
        if "rotas" in attrs:
            found = Rota.objects.in_bulk(attrs["rotas"])
            unknown = [i for i in attrs["rotas"] if i not in found]
            if unknown:
                errors["rotas"] = [messages.unknown_ids("rota", unknown)]
            attrs["rotas"] = [found[i] for i in attrs["rotas"] if i in found]
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


class RotaRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    slug = serializers.CharField()


def rota_ref(rota: Rota) -> dict:
    return {"id": rota.id, "name": rota.name, "slug": rota.slug}


class SegmentSerializer(serializers.Serializer):
    """Who is on duty over [starts_at, ends_at) of a rota, and what puts them there."""

    starts_at = UTCDateTimeField()
    ends_at = UTCDateTimeField()
    person = PersonRefSerializer(allow_null=True)
    source = serializers.ChoiceField(choices=SEGMENT_SOURCES)
    conflict = serializers.BooleanField()
    shift_id = serializers.IntegerField(
        allow_null=True, help_text="The stored shift shown (null for projected time)."
    )
    override_id = serializers.IntegerField(allow_null=True, help_text="The override shown.")
    swap_id = serializers.IntegerField(allow_null=True, help_text="The taken swap shown.")


class RotaSegmentSerializer(SegmentSerializer):
    """A segment of one of several rotas, naming its rota."""

    rota = RotaRefSerializer()


def segment_data(segment: Segment, names: dict[int, str]) -> dict:
    return {
        "starts_at": utc_iso(segment.start),
        "ends_at": utc_iso(segment.end),
        "person": person_ref(segment.person, names),
        "source": segment.source,
        "conflict": segment.conflict,
        "shift_id": segment.shift_id,
        "override_id": segment.override_id,
        "swap_id": segment.swap_id,
    }


class OnCallSerializer(serializers.Serializer):
    rota = RotaRefSerializer()
    person = PersonRefSerializer(allow_null=True)
    starts_at = UTCDateTimeField(allow_null=True)
    ends_at = UTCDateTimeField(allow_null=True)
    source = serializers.ChoiceField(choices=SEGMENT_SOURCES)


class AtSerializer(serializers.Serializer):
    at = InstantField(required=False)


class StatsRowSerializer(serializers.Serializer):
    person = PersonRefSerializer()
    shifts = serializers.IntegerField()
    hours = serializers.FloatField()
    passed_over = serializers.IntegerField()
