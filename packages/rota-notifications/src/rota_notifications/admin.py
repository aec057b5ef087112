from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count
from django.db.models.functions import Greatest
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.defaultfilters import truncatechars
from django.urls import path, reverse

from .delivery import retry_now
from .models import Delivery, DeliveryAttempt, Notification, Status, WebhookSubscription
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


class DeliveryAttemptInline(admin.TabularInline):
    """Every attempt of the delivery, oldest first (kept across "Retry now")."""

    model = DeliveryAttempt
    fields = ["attempted_at", "outcome", "response_status", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "attempts"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    list_display = [
        "created_at",
        "event",
        "channel",
        "target",
        "status",
        "attempts_made",
        "next_attempt",
        "error",
        "sent_at",
    ]
    list_filter = ["status", "channel", "notification__kind"]
    search_fields = ["target", "dedup_key", "last_error"]
    list_select_related = ["notification"]
    readonly_fields = [
        "notification", "event", "channel", "target", "subscription", "status", "attempts",
        "next_attempt", "last_error", "response_status", "sent_at", "dedup_key", "created_at",
        "updated_at",
    ]  # fmt: skip
    fields = readonly_fields
    inlines = [DeliveryAttemptInline]
    actions = ["retry_selected_now"]

    def get_queryset(self, request):
        # Attempts made in all: the history, or for a row from before it was kept, the counter
        # (which "Retry now" resets, so it alone would hide earlier failures).
        return (
            super()
            .get_queryset(request)
            .annotate(
                attempts_made=Greatest(
                    Count("history"), "attempts", output_field=models.IntegerField()
                )
            )
        )

    @admin.display(description="Event", ordering="notification__kind")
    def event(self, delivery: Delivery) -> str:
        return delivery.notification.get_kind_display()

    @admin.display(description="Attempts", ordering="attempts_made")
    def attempts_made(self, delivery: Delivery) -> int:
        return delivery.attempts_made

    @admin.display(description="Next attempt", ordering="next_attempt_at")
    def next_attempt(self, delivery: Delivery):
        """Only a pending delivery has one; on a sent or failed row the stored time is that
        of its last claim and means nothing."""
        if delivery.status != Status.PENDING:
            return self.get_empty_value_display()
        return delivery.next_attempt_at

    @admin.display(description="Last error")
    def error(self, delivery: Delivery) -> str:
        return truncatechars(delivery.last_error, 80)

    @admin.action(description="Retry now", permissions=["change"])
    def retry_selected_now(self, request, queryset):
        count = retry_now(queryset)
        self.message_user(
            request, f"Enqueued {count} deliver(ies) for another attempt.", messages.SUCCESS
        )

    def get_urls(self):
        retry = self.admin_site.admin_view(self.retry_view)
        name = f"{self.opts.app_label}_{self.opts.model_name}_retry"
        return [path("<path:object_id>/retry/", retry, name=name), *super().get_urls()]

    def retry_view(self, request, object_id):
        """The detail page's "Retry now" button: the action, for one delivery."""
        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        delivery = get_object_or_404(Delivery, pk=object_id)
        if not self.has_change_permission(request, delivery):
            raise PermissionDenied
        if delivery.status == Status.SENT:
            self.message_user(request, "Already sent; not retried.", messages.WARNING)
        else:
            enqueued = retry_now(Delivery.objects.filter(pk=delivery.pk))
            if enqueued:
                self.message_user(request, "Enqueued for another attempt now.", messages.SUCCESS)
            else:
                self.message_user(
                    request,
                    "Made due now, but the broker is unreachable: the relay sends it once the "
                    "broker is back.",
                    messages.WARNING,
                )
        opts = self.opts
        return HttpResponseRedirect(
            reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[delivery.pk])
        )

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        context["can_retry"] = (
            obj is not None
            and obj.status != Status.SENT
            and self.has_change_permission(request, obj)
        )
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)
