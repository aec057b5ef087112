from typing import Any

import django_filters
from django import forms
from django.db.models import Q, QuerySet
from django_filters import rest_framework as filters

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


class PersonFilter(filters.FilterSet):
    is_active = StrictBooleanFilter()
    search = filters.CharFilter(method="filter_search", help_text="Part of the name or email.")

    class Meta:
        model = Person
        fields = ["is_active", "search"]

    def filter_search(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        return queryset.filter(Q(name__icontains=value) | Q(email__icontains=value))


class UnavailabilityFilter(filters.FilterSet):
    start = filters.IsoDateTimeFilter(
        field_name="ends_at", lookup_expr="gt", help_text="Only periods ending after this."
    )
    end = filters.IsoDateTimeFilter(
        field_name="starts_at", lookup_expr="lt", help_text="Only periods starting before this."
    )

    class Meta:
        model = Unavailability
        fields = ["person", "start", "end"]
