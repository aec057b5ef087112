"""Admin: rotas with members inline, who is on duty, "advance now", a schedule preview."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import admin, messages
from django.db import transaction
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from rota_core.models import Person

from .models import Membership, Override, Rota, Shift
from .selectors import rota_segments, rotas_now
from .services import rota_advance, rota_create, rota_update
from .services.rotas import EDITABLE_FIELDS

PREVIEW = timedelta(weeks=8)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    ordering = ["position"]
    autocomplete_fields = ["person"]


@admin.register(Rota)
class RotaAdmin(admin.ModelAdmin):
    list_display = ["name", "cadence", "interval", "is_active", "on_duty", "next_handoff_at"]
    list_filter = ["is_active", "cadence", "skip_policy"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["advance_now"]
    readonly_fields = ["on_duty", "up_next", "next_handoff_at", "schedule_preview"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_active"]}),
        (
            "Rotation",
            {"fields": ["timezone", "cadence", "interval", "starts_on", "handoff_time",
                        "weekdays", "skip_policy", "reminder_minutes"]},
        ),  # fmt: skip
        ("Now", {"fields": ["on_duty", "up_next", "next_handoff_at", "schedule_preview"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).prefetch_related("memberships")

    def _now(self, rota: Rota):
        return rotas_now(rotas=[rota])[rota.pk] if rota.pk else None

    @admin.display(description="On duty")
    def on_duty(self, rota: Rota) -> str:
        state = self._now(rota)
        if not state or not state.current:
            return "—"
        return str(Person.objects.get(pk=state.current.person_id))

    @admin.display(description="Up next")
    def up_next(self, rota: Rota) -> str:
        state = self._now(rota)
        if not state or not state.next or state.next.person_id is None:
            return "—"
        when = timezone.localtime(state.next_handoff_at)
        return f"{Person.objects.get(pk=state.next.person_id)} from {when:%a %d %b %Y %H:%M %Z}"

    @admin.display(description="Schedule (next 8 weeks)")
    def schedule_preview(self, rota: Rota) -> str:
        if not rota.pk:
            return "—"
        now = timezone.now()
        segments = rota_segments(rota=rota, start=now, end=now + PREVIEW)
        names = dict(Person.objects.values_list("id", "name"))
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            (
                (
                    f"{timezone.localtime(seg.start):%a %d %b %H:%M}",
                    f"{timezone.localtime(seg.end):%a %d %b %H:%M %Z}",
                    names.get(seg.person, "nobody"),
                    seg.source + (" ⚠ conflict" if seg.conflict else ""),
                )
                for seg in segments
            ),
        )
        return format_html(
            '<table class="schedule-preview"><thead><tr><th>From</th><th>Until</th>'
            "<th>On duty</th><th>Source</th></tr></thead><tbody>{}</tbody></table>",
            rows,
        )

    @admin.action(description="Advance now (manual handoff)", permissions=["change"])
    def advance_now(self, request, queryset):
        done = 0
        for rota in queryset:
            try:
                rota_advance(rota=rota)
                done += 1
            except Exception as exc:  # shown to the operator, the rest go on
                self.message_user(request, f"{rota}: {exc}", messages.WARNING)
        self.message_user(request, f"Advanced {done} rota(s).", messages.SUCCESS)

    def save_model(self, request, obj: Rota, form, change: bool) -> None:
        # Members are saved by the inline afterwards; rotation state follows in save_related.
        fields = {name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data}
        if change:
            rota_update(rota=obj, fields={k: v for k, v in fields.items() if k in form.changed_data})
        else:
            created = rota_create(fields=fields, members=[])
            obj.pk = created.pk
            obj.refresh_from_db()

    def save_related(self, request, form, formsets, change: bool) -> None:
        super().save_related(request, form, formsets, change)
        rota = form.instance
        with transaction.atomic():
            members = list(
                Membership.objects.filter(rota=rota).order_by("position").values_list("person_id", flat=True)
            )
            rota_update(rota=rota, fields={}, members=members)


@admin.register(Shift)
class ShiftAdmin(admin.ModelAdmin):
    list_display = ["rota", "person", "starts_at", "ends_at", "source", "conflict"]
    list_filter = ["source", "conflict", "rota"]
    search_fields = ["rota__name", "person__name"]
    date_hierarchy = "starts_at"
    list_select_related = ["rota", "person"]

    def has_add_permission(self, request) -> bool:
        return False  # history is written by the rotation, never by hand

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    list_display = ["rota", "person", "starts_at", "ends_at", "reason"]
    list_filter = ["rota"]
    search_fields = ["rota__name", "person__name", "reason"]
    date_hierarchy = "starts_at"
    list_select_related = ["rota", "person"]
    autocomplete_fields = ["person"]
