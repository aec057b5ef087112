"""API routes of the scheduling app (mounted by the site under /api/v1/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from .api.views import (
    MyShiftsView,
    OnCallView,
    OverrideViewSet,
    RotasScheduleView,
    RotaViewSet,
    ShiftViewSet,
    SwapViewSet,
)

router = SimpleRouter()
router.register("rotas", RotaViewSet, basename="rota")
router.register("shifts", ShiftViewSet, basename="shift")
router.register("overrides", OverrideViewSet, basename="override")
router.register("swaps", SwapViewSet, basename="swap")

urlpatterns = [
    path("oncall/", OnCallView.as_view(), name="oncall"),
    path("me/shifts/", MyShiftsView.as_view(), name="my-shifts"),
    path("schedule/", RotasScheduleView.as_view(), name="rotas-schedule"),
    *router.urls,
]
