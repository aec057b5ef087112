import secrets

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower

from .messages import already_exists, must_be_after
from .validators import validate_iana_timezone, validate_no_control_characters


def new_calendar_token() -> str:
    return secrets.token_urlsafe(32)


class Person(models.Model):
    """Someone who can be on duty; optionally linked to a login user."""

    name = models.CharField(max_length=200, validators=[validate_no_control_characters])
    email = models.EmailField(max_length=254)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="rota_person",
    )
    timezone = models.CharField(
        max_length=64,
        null=True,
        blank=True,
        validators=[validate_iana_timezone],
        help_text="IANA time zone for this person's messages; empty (null) uses the rota's or "
        "the system's.",
    )
    is_active = models.BooleanField(default=True)
    deactivated_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="When the person was last deactivated; unavailable from then on.",
    )
    notify_email = models.BooleanField(default=True)
    calendar_token = models.CharField(
        max_length=64, unique=True, default=new_calendar_token, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "people"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="rota_core_person_email_ci_unique",
                violation_error_message=already_exists("person", "email"),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Unavailability(models.Model):
    """A period [starts_at, ends_at) in which a person cannot be on duty."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="unavailability")
    starts_at = models.DateTimeField()
    ends_at = models.DateTimeField()
    reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["starts_at", "id"]
        verbose_name_plural = "unavailability"
        indexes = [
            models.Index(
                fields=["person", "starts_at", "ends_at"], name="rota_core_unavail_person_span"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(starts_at__lt=models.F("ends_at")),
                name="rota_core_unavailability_starts_before_ends",
                violation_error_message=must_be_after("ends_at", "starts_at"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.starts_at:%Y-%m-%d %H:%M} to {self.ends_at:%Y-%m-%d %H:%M}"
