from typing import Any

from django.contrib.auth import get_user_model
from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.plumbing import ResolvedComponent
from rest_framework import serializers

from .. import messages
from ..models import Person, Unavailability
from ..validators import validate_iana_timezone
from .fields import ModelSerializer
from .validation import KnownIdField


class PersonRefSerializer(serializers.Serializer):
    """How every response refers to a person: ``{"id", "name"}``."""

    id = serializers.IntegerField()
    name = serializers.CharField()


def person_ref(person: Person | None) -> dict[str, Any] | None:
    return None if person is None else {"id": person.pk, "name": person.name}


class PersonRefField(KnownIdField):
    """A person: written as an id, read as ``{"id", "name"}`` (load the person with the row,
    e.g. ``select_related("person")``)."""

    def __init__(self, **kwargs):
        if not kwargs.get("read_only"):
            kwargs.setdefault("queryset", Person.objects.all())
        super().__init__(**kwargs)

    def use_pk_only_optimization(self) -> bool:
        return False

    def to_representation(self, value: Person) -> dict[str, Any]:
        return person_ref(value)


class PersonRefFieldSchema(OpenApiSerializerFieldExtension):
    """OpenAPI: an integer id in requests, a ``PersonRef`` object in responses."""

    target_class = PersonRefField

    def map_serializer_field(self, auto_schema, direction):
        if direction == "request":
            return {"type": "integer", "description": "Person id."}
        component = auto_schema.resolve_serializer(PersonRefSerializer, direction)
        assert isinstance(component, ResolvedComponent)
        return component.ref


class PersonSerializer(ModelSerializer):
    """Someone who can be on duty."""

    # The CSV import validates its rows with this serializer too: keep rules here.

    user = KnownIdField(
        queryset=get_user_model().objects.all(),
        allow_null=True,
        required=False,
        help_text="Id of the login user linked to this person (at most one person each).",
    )

    timezone = serializers.CharField(
        max_length=64,
        allow_null=True,
        allow_blank=True,
        required=False,
        validators=[validate_iana_timezone],
        help_text="IANA zone of this person's messages; null follows the rota's or the system's "
        '("" is taken as null).',
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
            raise serializers.ValidationError(messages.already_exists("person", "email"))
        return value

    def validate_timezone(self, value: str | None) -> str | None:
        return value or None

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
    person = PersonRefField()

    class Meta:
        model = Unavailability
        fields = ["id", "person", "starts_at", "ends_at", "reason", "created_at", "updated_at"]
        read_only_fields = ["created_at", "updated_at"]

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        starts_at = attrs.get("starts_at", getattr(self.instance, "starts_at", None))
        ends_at = attrs.get("ends_at", getattr(self.instance, "ends_at", None))
        if starts_at and ends_at and starts_at >= ends_at:
            raise serializers.ValidationError(
                {"ends_at": [messages.must_be_after("ends_at", "starts_at")]}
            )
        return attrs


class CalendarTokenSerializer(serializers.Serializer):
    calendar_token = serializers.CharField()
    calendar_url = serializers.URLField(
        allow_null=True, help_text="The person's feed; null when no installed app serves feeds."
    )
