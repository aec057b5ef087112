"""API routes of this app (mounted by the site under /api/v1/)."""

from django.urls import path

from .api.views import SystemSettingsView

app_name = "rota_settings"

urlpatterns = [
    path("settings/", SystemSettingsView.as_view(), name="settings"),
]
