"""The routes a site mounts: the APIs under api/v1/, the calendar feeds and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("rota_core.urls")),
    path("api/v1/", include("rota_settings.urls")),
    path("api/v1/", include("rota_scheduling.urls")),
    path("calendar/", include("rota_scheduling.feed_urls")),
    path("admin/", admin.site.urls),
]
