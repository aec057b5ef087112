"""API routes of rota-core (mounted by the site under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api import auth
from .api.views import PersonCalendarTokenView, PersonViewSet, UnavailabilityViewSet

router = SimpleRouter()
router.register("people", PersonViewSet, basename="person")
router.register("unavailability", UnavailabilityViewSet, basename="unavailability")

urlpatterns = [
    path("auth/csrf/", auth.CsrfView.as_view(), name="auth-csrf"),
    path("auth/login/", auth.LoginView.as_view(), name="auth-login"),
    path("auth/logout/", auth.LogoutView.as_view(), name="auth-logout"),
    path("auth/me/", auth.MeView.as_view(), name="auth-me"),
    path(
        "people/<int:pk>/calendar-token/",
        PersonCalendarTokenView.as_view(),
        name="person-calendar-token",
    ),
    *router.urls,
]
