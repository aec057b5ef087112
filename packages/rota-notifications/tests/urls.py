from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path(
        "api/v1/",
        include(
            [
                path("", include("rota_core.urls")),
                path("", include("rota_settings.urls")),
                path("", include("rota_scheduling.urls")),
                path("", include("rota_notifications.urls")),
            ]
        ),
    ),
    path("calendar/", include("rota_scheduling.feed_urls")),
    path("admin/", admin.site.urls),
]
