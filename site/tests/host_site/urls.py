"""The rota apps under api/v1/ as the READMEs say, beside the host's own API under host/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from .views import HostUserViewSet

router = SimpleRouter()
router.register("users", HostUserViewSet, basename="host-user")

urlpatterns = [
    path("api/v1/", include("rota_core.urls")),
    path("api/v1/", include("rota_settings.urls")),
    path("api/v1/", include("rota_scheduling.urls")),
    path("api/v1/", include("rota_notifications.urls")),
    path("calendar/", include("rota_scheduling.feed_urls")),
    path("host/", include(router.urls)),
]
