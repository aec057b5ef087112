"""The rota apps under api/v1/ as the READMEs say, beside the host's own API under host/."""

from django.urls import include, path
from rest_framework.routers import SimpleRouter

from rota_site.urls import api_v1

from .views import HostUserViewSet

router = SimpleRouter()
router.register("users", HostUserViewSet, basename="host-user")

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("host/", include(router.urls)),
]
