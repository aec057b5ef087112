from django import forms
from django.contrib import admin, messages
from django.db import models

from .delivery import retry_now
from .models import Delivery, Notification, WebhookSubscription
from .url_safety import UnsafeURL, check_webhook_url


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["created_at", "person", "kind", "title", "read_at"]
    list_filter = ["kind", ("read_at", admin.EmptyFieldListFilter)]
    search_fields = ["title", "body", "person__name"]
    list_select_related = ["person"]
    readonly_fields = [f.name for f in Notification._meta.fields]


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(admin.ModelAdmin):
    list_display = ["rota", "url", "format", "is_active"]
    list_filter = ["format", "is_active", "rota"]
    search_fields = ["url", "rota__name"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        secret = form.base_fields["secret"]
        secret.widget = forms.PasswordInput(render_value=False)  # never shown again
        secret.help_text = "Leave empty to keep the current secret."
        return form

    def save_model(self, request, obj, form, change):
        if change and not form.cleaned_data.get("secret"):
            obj.secret = WebhookSubscription.objects.get(pk=obj.pk).secret
        try:
            check_webhook_url(obj.url)
        except UnsafeURL as exc:
            self.message_user(request, f"Not saved: {exc}", messages.ERROR)
            return
        super().save_model(request, obj, form, change)


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "channel",
        "target",
        "status",
        "attempts",
        "next_attempt_at",
        "sent_at",
    ]
    list_filter = ["status", "channel"]
    search_fields = ["target", "dedup_key", "last_error"]
    readonly_fields = [f.name for f in Delivery._meta.fields]
    actions = ["retry_selected_now"]

    @admin.action(description="Retry now", permissions=["change"])
    def retry_selected_now(self, request, queryset):
        count = retry_now(queryset)
        self.message_user(
            request, f"Enqueued {count} deliver(ies) for another attempt.", messages.SUCCESS
        )
