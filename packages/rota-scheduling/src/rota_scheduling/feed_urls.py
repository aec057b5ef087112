"""Calendar feed routes (mounted by the site under /calendar/)."""

from django.urls import path

from .feeds import calendar_feed

urlpatterns = [
    path("<str:token>.ics", calendar_feed, name="rota-calendar-feed"),
]
