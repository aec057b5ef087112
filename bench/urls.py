"""The site's URLs plus the floor views, mounted beside the API they are compared with."""

from django.urls import path

from rota_site.urls import handler400, handler403, handler404, handler500  # noqa: F401
from rota_site.urls import urlpatterns as site_urlpatterns

from .floor_views import oncall_floor, rotas_floor

urlpatterns = [
    path("api/v1/bench-floor/oncall/", oncall_floor, name="bench-floor-oncall"),
    path("api/v1/bench-floor/rotas/", rotas_floor, name="bench-floor-rotas"),
    *site_urlpatterns,
]
