"""URL configuration: each app's API under /api/v1/, plus admin, health, schema and feeds."""

from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from rota_core.admin_login import limited_admin_login

from .health import health

api_v1 = [
    path("", include("rota_core.urls")),
    path("", include("rota_settings.urls")),
    path("", include("rota_scheduling.urls")),
    path("", include("rota_notifications.urls")),
]

urlpatterns = [
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("calendar/", include("rota_scheduling.feed_urls")),
    path("health/", health, name="health"),
    # The admin's sign-in counts failures with the API's login limits (decision 0010).
    path("admin/login/", limited_admin_login(admin.site)),
    path("admin/", admin.site.urls),
]

# JSON errors under /api/ for what never reaches a DRF view (see rota_site.errors).
handler400 = "rota_site.errors.bad_request"
handler403 = "rota_site.errors.permission_denied"
handler404 = "rota_site.errors.page_not_found"
handler500 = "rota_site.errors.server_error"
