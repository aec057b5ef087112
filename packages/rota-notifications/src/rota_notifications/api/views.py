from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from rota_core.api.base import RotaViewSetMixin
from rota_core.api.fields import utc_iso
from rota_core.api.filters import StrictBooleanField
from rota_core.api.permissions import ModelChangePermission, SignedInReadModelPermsWrite

from ..selectors import notifications_for_user, webhook_subscriptions
from ..sending import post_webhook, webhook_body
from ..services import notification_mark_read, notifications_mark_all_read
from .filters import WebhookFilter
from .serializers import NotificationSerializer, WebhookSerializer, WebhookTestResultSerializer


class NotificationViewSet(
    RotaViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's own notifications (their linked person's), newest first."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self):
        queryset = notifications_for_user(user=self.request.user)
        if self.action == "list" and self._only_unread():
            queryset = queryset.filter(read_at__isnull=True)
        return queryset

    def _only_unread(self) -> bool:
        """``?unread=true``; anything but a boolean (true/false, 1/0, yes/no) is a 400."""
        try:
            return bool(StrictBooleanField().clean(self.request.query_params.get("unread")))
        except DjangoValidationError as exc:
            raise ValidationError({"unread": exc.messages}) from exc

    @extend_schema(
        parameters=[OpenApiParameter("unread", OpenApiTypes.BOOL, description="only unread")]
    )
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(request=None, responses=NotificationSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notification = notification_mark_read(notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: OpenApiTypes.OBJECT})
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        updated = notifications_mark_all_read(queryset=self.get_queryset())
        return Response({"marked_read": updated})


class WebhookViewSet(RotaViewSetMixin, viewsets.ModelViewSet):
    serializer_class = WebhookSerializer
    permission_classes = [SignedInReadModelPermsWrite]
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]  # no PUT (SPEC 4)
    filterset_class = WebhookFilter

    def get_queryset(self):
        return webhook_subscriptions().order_by("id")

    @extend_schema(request=None, responses=WebhookTestResultSerializer)
    @action(detail=True, methods=["post"], permission_classes=[ModelChangePermission])
    def test(self, request, pk=None):
        """Send a test event now and answer with what the receiver said."""
        subscription = self.get_object()
        payload = {
            "event": "test",
            "id": f"test:{subscription.pk}:{utc_iso(timezone.now())}",
            "rota": {"id": subscription.rota_id, "name": subscription.rota.name},
            "text": f"Test message from Rota Round for {subscription.rota.name}.",
        }
        outcome = post_webhook(
            url=subscription.url,
            body=webhook_body(payload, subscription.format),
            secret=subscription.secret,
            headers={"X-Rota-Event": "test"},
        )
        return Response(
            {"ok": outcome.ok, "status": outcome.status, "error": outcome.error},
            status=status.HTTP_200_OK,
        )
