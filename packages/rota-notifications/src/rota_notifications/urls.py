"""API routes of the notifications app (mounted by the site under /api/v1/)."""

from rest_framework.routers import SimpleRouter

from .api.views import NotificationViewSet, WebhookViewSet

router = SimpleRouter()
router.register("notifications", NotificationViewSet, basename="notification")
router.register("webhooks", WebhookViewSet, basename="webhook")

urlpatterns = router.urls
