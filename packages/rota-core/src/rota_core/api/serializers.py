from typing import Any

from django.contrib.auth import get_user_model
from rest_framework import serializers

from ..models import Person, Unavailability
from .fields import ModelSerializer


class PersonSerializer(ModelSerializer):
    """Someone who can be on duty."""

    # The CSV import validates its rows with this serializer too: keep rules here.

    user = serializers.PrimaryKeyRelatedField(
        queryset=get_user_model().objects.all(),
        allow_null=True,
        required=False,
        help_text="Id of the login user linked to this person (at most one person each).",
    )

    class Meta:
        model = Person
        fields = [
            "id",
            "name",
            "email",
            "user",
            "timezone",
            "is_active",
            "deactivated_at",
            "notify_email",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["deactivated_at", "created_at", "updated_at"]

    def validate_email(self, value: str) -> str:
        others = Person.objects.filter(email__iexact=value)
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("A person with this email already exists.")
        return value

    def validate_user(self, value: Any) -> Any:
        others = Person.objects.filter(user=value) if value is not None else Person.objects.none()
        if self.instance is not None:
            others = others.exclude(pk=self.instance.pk)
        if others.exists():
            raise serializers.ValidationError("This user is already linked to another person.")
        return value


class PersonBriefSerializer(ModelSerializer):
    class Meta:
        model = Person
        fields = ["id", "name", "email", "timezone"]


class UnavailabilitySerializer(ModelSerializer):
    class Meta:
        model = Unavailability
        fields = ["id", "person", "starts_at", "ends_at", "reason", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts_at = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends_at = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts_at and ends_at and starts_at >= ends_at:
            raise serializers.ValidationError({"ends_at": "The end must be after the start."})
        return attrs


class CalendarTokenSerializer(serializers.Serializer):
    calendar_token = serializers.CharField()
    calendar_url = serializers.URLField(
        allow_null=True, help_text="The person's feed; null when no installed app serves feeds."
    )
