"""Query filters (django-filter): a bad value answers 400 naming the parameter."""

from django_filters import rest_framework as filters

from rota_core.api.filters import StrictBooleanFilter

from ..models import WebhookSubscription


class WebhookFilter(filters.FilterSet):
    # ``?is_active=perhaps`` is a 400, not silently unfiltered.
    is_active = StrictBooleanFilter()

    class Meta:
        model = WebhookSubscription
        fields = ["rota", "is_active", "format"]
