"""Rotas, their ordered members, stored shifts (history) and overrides."""

from __future__ import annotations

import secrets
from datetime import time

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.db.models.functions import Lower

from rota_core.validators import validate_no_control_characters

ALL_WEEKDAYS = [0, 1, 2, 3, 4, 5, 6]


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)  # 256 random bits


def all_weekdays() -> list[int]:
    return list(ALL_WEEKDAYS)


def default_handoff_time() -> time:
    return time(9, 0)


class Cadence(models.TextChoices):
    DAILY = "daily"
    WEEKLY = "weekly"
    MONTHLY = "monthly"


class SkipPolicy(models.TextChoices):
    DEFER = "defer", "Defer (owed a turn)"
    SKIP = "skip", "Skip (lose the turn)"


class ShiftSource(models.TextChoices):
    ROTATION = "rotation"
    MANUAL = "manual"


class Rota(models.Model):
    name = models.CharField(max_length=200, validators=[validate_no_control_characters])
    slug = models.SlugField(max_length=220, unique=True)
    description = models.TextField(blank=True)
    timezone = models.CharField(
        max_length=64, null=True, blank=True, help_text="IANA zone; empty follows the system zone."
    )
    cadence = models.CharField(max_length=10, choices=Cadence.choices, default=Cadence.WEEKLY)
    interval = models.PositiveIntegerField(default=1, validators=[MinValueValidator(1)])
    starts_on = models.DateField(help_text="Local date of the first handoff.")
    handoff_time = models.TimeField(default=default_handoff_time, help_text="Local wall time.")
    weekdays = models.JSONField(
        default=all_weekdays, help_text="Daily cadence: days handoffs may fall on (Monday = 0)."
    )
    skip_policy = models.CharField(
        max_length=10, choices=SkipPolicy.choices, default=SkipPolicy.DEFER
    )
    reminder_minutes = models.PositiveIntegerField(
        null=True, blank=True, default=1440, validators=[MaxValueValidator(60 * 24 * 31)]
    )
    is_active = models.BooleanField(default=True)
    calendar_token = models.CharField(max_length=64, unique=True, default=new_calendar_token)
    members = models.ManyToManyField(
        "rota_core.Person", through="Membership", related_name="rotas", blank=True
    )

    # Rotation state, maintained by the services (never edited by hand).
    next_handoff_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    next_boundary = models.IntegerField(null=True, blank=True, editable=False)
    current_shift = models.ForeignKey(
        "Shift", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    cycle_person = models.ForeignKey(
        "rota_core.Person", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+", editable=False,
    )  # fmt: skip
    cycle_index = models.IntegerField(default=-1, editable=False)
    owed = models.JSONField(default=list, blank=True, editable=False)
    remind_at = models.DateTimeField(null=True, blank=True, db_index=True, editable=False)
    reminded_for = models.DateTimeField(null=True, blank=True, editable=False)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(Lower("name"), name="rota_name_unique_ci"),
            models.CheckConstraint(condition=Q(interval__gte=1), name="rota_interval_positive"),
        ]
        indexes = [
            models.Index(
                fields=["next_handoff_at"],
                condition=Q(is_active=True),
                name="rota_due_active_idx",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Membership(models.Model):
    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(
        "rota_core.Person", on_delete=models.CASCADE, related_name="rota_memberships"
    )
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["rota", "position"]
        constraints = [
            models.UniqueConstraint(fields=["rota", "person"], name="membership_person_once"),
        ]

    def __str__(self) -> str:
        return f"{self.rota} #{self.position}: {self.person}"


class Shift(models.Model):
    """A shift that has started: the history. ``ends_at`` is null while the rota is paused."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="shifts")
    person = models.ForeignKey("rota_core.Person", on_delete=models.PROTECT, related_name="shifts")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField(null=True, blank=True)
    boundary = models.IntegerField(help_text="Index of the regular boundary period.")
    source = models.CharField(
        max_length=10, choices=ShiftSource.choices, default=ShiftSource.ROTATION
    )
    conflict = models.BooleanField(default=False)
    passed_over = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rota", "starts_at"]
        constraints = [
            models.UniqueConstraint(fields=["rota", "starts_at"], name="shift_once_per_start"),
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="shift_ends_after_start",
            ),
        ]
        indexes = [models.Index(fields=["person", "starts_at"], name="shift_person_idx")]

    def __str__(self) -> str:
        return f"{self.rota}: {self.person} from {self.starts_at:%Y-%m-%d %H:%M}Z"


class Override(models.Model):
    """Someone covers [starts_at, ends_at) instead of whoever the rotation assigns; no
    ``person``: nobody is on duty for the rota then."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="overrides")
    person = models.ForeignKey(
        "rota_core.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="overrides",
    )
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["rota", "starts_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="override_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["rota", "starts_at", "ends_at"], name="override_window_idx"),
            models.Index(
                fields=["starts_at"],
                condition=Q(started_notified_at__isnull=True),
                name="override_unnotified_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rota}: {self.person or 'nobody'} covers {self.starts_at:%Y-%m-%d %H:%M}Z"


class SwapStatus(models.TextChoices):
    OPEN = "open"
    TAKEN = "taken"
    CANCELLED = "cancelled"
    EXPIRED = "expired"


class SwapQuerySet(models.QuerySet):
    def with_status(self, now=None) -> SwapQuerySet:
        """Annotate ``status``: cancelled > taken > expired (open, start passed) > open."""
        from django.utils import timezone

        now = now or timezone.now()
        return self.annotate(
            status=models.Case(
                models.When(cancelled_at__isnull=False, then=models.Value(SwapStatus.CANCELLED)),
                models.When(taken_at__isnull=False, then=models.Value(SwapStatus.TAKEN)),
                models.When(starts_at__lte=now, then=models.Value(SwapStatus.EXPIRED)),
                default=models.Value(SwapStatus.OPEN),
                output_field=models.CharField(max_length=10),
            )
        )

    def taken(self) -> SwapQuerySet:
        """Swaps in force: taken and not cancelled (they apply when the schedule is read)."""
        return self.filter(taken_at__isnull=False, cancelled_at__isnull=True)


class Swap(models.Model):
    """A swap (cover) request: ``requester`` asks someone to hold their duty on ``rota`` over
    [starts_at, ends_at); once taken, the taker holds it wherever the requester would. Applied
    when the schedule is read (never copied into shifts), so it follows later edits."""

    rota = models.ForeignKey(Rota, on_delete=models.CASCADE, related_name="swaps")
    requester = models.ForeignKey(
        "rota_core.Person", on_delete=models.PROTECT, related_name="swaps_requested"
    )
    taker = models.ForeignKey(
        "rota_core.Person", null=True, blank=True, on_delete=models.PROTECT,
        related_name="swaps_taken",
    )  # fmt: skip
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    description = models.CharField(
        max_length=500, blank=True, validators=[validate_no_control_characters]
    )
    taken_at = models.DateTimeField(null=True, blank=True, editable=False)
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = SwapQuerySet.as_manager()

    class Meta:
        ordering = ["rota", "starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="swap_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["rota", "starts_at", "ends_at"], name="swap_window_idx")]

    def __str__(self) -> str:
        return f"{self.rota}: {self.requester} from {self.starts_at:%Y-%m-%d %H:%M}Z"

    def status_at(self, now) -> str:
        if self.cancelled_at is not None:
            return SwapStatus.CANCELLED
        if self.taken_at is not None:
            return SwapStatus.TAKEN
        return SwapStatus.EXPIRED if self.starts_at <= now else SwapStatus.OPEN
