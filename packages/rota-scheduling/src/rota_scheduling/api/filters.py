"""Query filters (django-filter): bad values answer 400 naming the parameter."""

import django_filters
from django.db.models import Q

from rota_core.api.filters import StrictBooleanFilter, UTCIsoDateTimeFilter
from rota_core.models import Person

from ..models import Override, Rota, Shift, Swap, SwapStatus


class RotaFilter(django_filters.FilterSet):
    is_active = StrictBooleanFilter()
    search = django_filters.CharFilter(
        method="filter_search", help_text="Part of the name or slug."
    )

    class Meta:
        model = Rota
        fields = ["is_active", "cadence"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(slug__icontains=value))


class ShiftFilter(django_filters.FilterSet):
    rota = django_filters.ModelChoiceFilter(queryset=Rota.objects.all())
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    start = UTCIsoDateTimeFilter(method="ending_after", label="overlaps from")
    end = UTCIsoDateTimeFilter(method="starting_before", label="overlaps until")
    conflict = StrictBooleanFilter()

    class Meta:
        model = Shift
        fields = ["rota", "person", "source", "conflict"]

    def ending_after(self, queryset, name, value):
        return queryset.filter(Q(ends_at__isnull=True) | Q(ends_at__gt=value))

    def starting_before(self, queryset, name, value):
        return queryset.filter(starts_at__lt=value)


class OverrideFilter(django_filters.FilterSet):
    rota = django_filters.ModelChoiceFilter(queryset=Rota.objects.all())
    person = django_filters.ModelChoiceFilter(queryset=Person.objects.all())

    class Meta:
        model = Override
        fields = ["rota", "person"]


class SwapFilter(django_filters.FilterSet):
    rota = django_filters.ModelChoiceFilter(queryset=Rota.objects.all())
    requester = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    taker = django_filters.ModelChoiceFilter(queryset=Person.objects.all())
    status = django_filters.ChoiceFilter(choices=SwapStatus.choices)
    start = UTCIsoDateTimeFilter(method="ending_after", label="overlaps from")
    end = UTCIsoDateTimeFilter(method="starting_before", label="overlaps until")

    class Meta:
        model = Swap
        fields = ["rota", "requester", "taker", "status"]

    def ending_after(self, queryset, name, value):
        return queryset.filter(ends_at__gt=value)

    def starting_before(self, queryset, name, value):
        return queryset.filter(starts_at__lt=value)
