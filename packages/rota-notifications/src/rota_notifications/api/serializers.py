from __future__ import annotations

from rest_framework import serializers

from rota_core.api.fields import ModelSerializer

from ..models import Kind, Notification, WebhookSubscription
from ..services import webhook_create, webhook_update
from ..url_safety import masked_url


class NotificationSerializer(ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notification
        fields = [
            "id",
            "kind",
            "rota",
            "title",
            "body",
            "payload",
            "is_read",
            "read_at",
            "created_at",
        ]
        read_only_fields = fields

    def get_is_read(self, notification: Notification) -> bool:
        return notification.read_at is not None


class WebhookSerializer(ModelSerializer):
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Kind.choices),
        required=False,
        allow_empty=False,
        help_text="Event kinds to send (default: all).",
    )
    secret = serializers.CharField(
        write_only=True, required=False, allow_blank=True, max_length=200,
        help_text="Signs each body with HMAC-SHA256; write-only.",
    )  # fmt: skip
    has_secret = serializers.SerializerMethodField()

    class Meta:
        model = WebhookSubscription
        fields = [
            "id", "rota", "url", "format", "events", "secret", "has_secret", "is_active",
            "created_at", "updated_at",
        ]  # fmt: skip
        read_only_fields = ["created_at", "updated_at"]
        extra_kwargs = {
            "url": {
                "help_text": "Shown as scheme://host/… to users without the "
                "rota_notifications.view_webhooksubscription permission."
            }
        }

    def to_representation(self, subscription: WebhookSubscription) -> dict:
        data = super().to_representation(subscription)
        if not self._may_read_urls():
            data["url"] = masked_url(data["url"])
        return data

    def _may_read_urls(self) -> bool:
        """The view permission, or change (which implies view, as in the admin)."""
        user = getattr(self.context.get("request"), "user", None)
        return user is not None and (
            user.has_perm("rota_notifications.view_webhooksubscription")
            or user.has_perm("rota_notifications.change_webhooksubscription")
        )

    def get_has_secret(self, subscription: WebhookSubscription) -> bool:
        return bool(subscription.secret)

    def validate_events(self, value: list[str]) -> list[str]:
        return list(dict.fromkeys(value))

    def create(self, validated: dict) -> WebhookSubscription:
        return webhook_create(**validated)

    def update(self, subscription: WebhookSubscription, validated: dict) -> WebhookSubscription:
        return webhook_update(subscription=subscription, fields=validated)


class WebhookTestResultSerializer(serializers.Serializer):
    ok = serializers.BooleanField()
    status = serializers.IntegerField(allow_null=True, help_text="The receiver's HTTP status.")
    error = serializers.CharField(allow_blank=True)
