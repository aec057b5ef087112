"""The routes a site mounts: the API under api/v1/ and the admin."""

from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("api/v1/", include("rota_settings.urls")),
    path("admin/", admin.site.urls),
]
