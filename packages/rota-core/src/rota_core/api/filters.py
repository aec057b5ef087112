from datetime import UTC, datetime
from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters
from django_filters.fields import IsoDateTimeField

from ..models import Person, Unavailability


class StrictBooleanField(forms.NullBooleanField):
    """true/false, 1/0, yes/no in any case; anything else is an error rather than ignored."""

    widget = forms.TextInput
    TRUE = frozenset({"true", "1", "yes"})
    FALSE = frozenset({"false", "0", "no"})

    def to_python(self, value: Any) -> bool | None:
        text = str(value).strip().lower() if value is not None else ""
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise forms.ValidationError("Must be true or false.", code="invalid")


class StrictBooleanFilter(django_filters.BooleanFilter):
    """A boolean filter for APIs: ``?is_active=perhaps`` is 400, not silently unfiltered."""

    field_class = StrictBooleanField


class UTCIsoDateTimeField(IsoDateTimeField):
    """An ISO 8601 instant, converted to UTC: the database then never sees an offset it
    cannot store (PostgreSQL refuses -19:18), and one at the edge of the calendar is a 400
    instead of an overflow."""

    default_error_messages = {"overflow": "This date and time is out of range."}

    def to_python(self, value: Any) -> datetime | None:
        instant = super().to_python(value)
        if instant is None:
            return None
        try:
            return instant.astimezone(UTC)
        except OverflowError as exc:
            raise forms.ValidationError(self.error_messages["overflow"], code="overflow") from exc


class UTCIsoDateTimeFilter(django_filters.IsoDateTimeFilter):
    field_class = UTCIsoDateTimeField


class PersonFilter(filters.FilterSet):
    is_active = StrictBooleanFilter()
    search = filters.CharFilter(method="filter_search", help_text="Part of the name or email.")

    class Meta:
        model = Person
        fields = ["is_active", "search"]

    def filter_search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))


class UnavailabilityFilter(filters.FilterSet):
    start = UTCIsoDateTimeFilter(
        field_name="ends_at", lookup_expr="gt", help_text="Only periods ending after this."
    )
    end = UTCIsoDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text="Only periods starting before this."
    )

    class Meta:
        model = Unavailability
        fields = ["person", "start", "end"]
