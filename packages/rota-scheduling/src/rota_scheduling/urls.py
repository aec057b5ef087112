"""API routes of the scheduling app (mounted by the site under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.views import (
    OnCallView,
    OverrideViewSet,
    RotaViewSet,
    ShiftViewSet,
)

router = SimpleRouter()
router.register("rotas", RotaViewSet, basename="rota")
router.register("shifts", ShiftViewSet, basename="shift")
router.register("overrides", OverrideViewSet, basename="override")

urlpatterns = [
    path("oncall/", OnCallView.as_view(), name="oncall"),
    *router.urls,
]
