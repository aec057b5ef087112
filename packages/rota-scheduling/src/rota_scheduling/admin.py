"""Admin: rotas with members inline, who is on duty, "advance now", a schedule preview in the
rota's zone over a chosen window, weekdays as checkboxes.

Writes go through the services, as they do from the API: a rota created here starts, an edit
keeps the rotation consistent and notifies, an override is validated like any other. The
forms run the services' rules in ``clean`` so a mistake is a form error, never a 500.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.utils import timezone

from rota_core.models import Person

from .adapters import rota_zone
from .models import Membership, Override, Rota, Shift, Swap, SwapStatus
from .periodic_admin import register_periodic_task_admin
from .preview import WEEKDAY_CHOICES, PreviewWindowForm, schedule_preview
from .selectors import rotas_now
from .services import (
    override_create,
    override_delete,
    rota_advance,
    rota_create,
    rota_delete,
    rota_rotate_calendar_token,
    rota_update,
    swap_cancel,
    swap_request,
)
from .services.overrides import override_validate
from .services.rotas import DEFINITION_FIELDS, EDITABLE_FIELDS
from .services.swaps import SwapNotOpen, swap_validate
from .validation import validate_definition


class MembershipForm(forms.ModelForm):
    class Meta:
        model = Membership
        fields = ["person", "position"]

    def clean_person(self) -> Person:
        person = self.cleaned_data["person"]
        if person is not None and not person.is_active:
            raise ValidationError(f"{person} is not active; only active people can be members.")
        return person


class MembershipInline(admin.TabularInline):
    model = Membership
    form = MembershipForm
    extra = 1
    ordering = ["position"]
    autocomplete_fields = ["person"]


def _ordered_members(formset) -> list[int]:
    """Person ids in the order the inline gives (by position, then by row)."""
    rows = []
    for index, form in enumerate(formset.forms):
        data = getattr(form, "cleaned_data", None)
        if not data or data.get("DELETE") or data.get("person") is None:
            continue
        rows.append((data.get("position") or 0, index, data["person"].pk))
    return [person_id for _, _, person_id in sorted(rows)]


class RotaForm(forms.ModelForm):
    weekdays = forms.TypedMultipleChoiceField(
        choices=WEEKDAY_CHOICES,
        coerce=int,
        required=False,  # "none" is reported by the rota rules, with their wording
        widget=forms.CheckboxSelectMultiple,
        help_text="Daily cadence: days handoffs may fall on.",
    )

    class Meta:
        model = Rota
        fields = list(EDITABLE_FIELDS)

    def clean_name(self) -> str:
        name = self.cleaned_data["name"]
        if Rota.objects.exclude(pk=self.instance.pk).filter(name__iexact=name.strip()).exists():
            raise ValidationError(f'A rota named "{name}" already exists.')
        return name

    def clean(self) -> dict:
        cleaned = super().clean()
        definition = {
            field: cleaned.get(field, getattr(self.instance, field))
            for field in (*DEFINITION_FIELDS, "skip_policy")
        }
        if any(field in self.errors for field in definition):
            return cleaned  # already reported; the rules below need every value
        try:
            validate_definition(fields=definition)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


@admin.register(Rota)
class RotaAdmin(admin.ModelAdmin):
    form = RotaForm
    list_display = ["name", "cadence", "interval", "is_active", "on_duty", "next_handoff_at"]
    list_filter = ["is_active", "cadence", "skip_policy"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    actions = ["advance_now", "rotate_calendar_tokens"]
    readonly_fields = ["on_duty", "up_next", "next_handoff"]
    fieldsets = [
        (None, {"fields": ["name", "slug", "description", "is_active"]}),
        (
            "Rotation",
            {
                "fields": [
                    "timezone",
                    "cadence",
                    "interval",
                    "starts_on",
                    "handoff_time",
                    "weekdays",
                    "skip_policy",
                    "reminder_minutes",
                ]
            },
        ),
        ("Now", {"fields": ["on_duty", "up_next", "next_handoff"]}),
    ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        """The page shows the schedule over the window its GET parameters ask for
        (``preview_from``, ``preview_weeks``), in the rota's zone."""
        rota = self.get_object(request, object_id)
        if rota is not None:
            window = PreviewWindowForm(request.GET or None, zone=rota_zone(rota))
            extra_context = {
                **(extra_context or {}),
                "preview_window": window,
                "schedule_preview": schedule_preview(rota=rota, window=window),
            }
        return super().change_view(request, object_id, form_url, extra_context)

    def _now(self, rota: Rota):
        """current/next of a rota (a few queries: each column that shows it asks anew)."""
        return rotas_now(rotas=[rota])[rota.pk] if rota.pk else None

    @admin.display(description="On duty")
    def on_duty(self, rota: Rota) -> str:
        state = self._now(rota)
        if not state or not state.current:
            return "—"
        return state.current.person_name

    @admin.display(description="Next handoff at")
    def next_handoff(self, rota: Rota) -> str:
        if rota.next_handoff_at is None:
            return "—"
        return f"{rota.next_handoff_at.astimezone(rota_zone(rota)):%a %d %b %Y %H:%M %Z}"

    @admin.display(description="Up next")
    def up_next(self, rota: Rota) -> str:
        state = self._now(rota)
        if not state or not state.next or state.next.person_id is None:
            return "—"
        when = state.next_handoff_at.astimezone(rota_zone(rota))
        return f"{state.next.person_name} from {when:%a %d %b %Y %H:%M %Z}"

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

    @admin.action(
        description="Rotate calendar tokens (old feed links stop working)", permissions=["change"]
    )
    def rotate_calendar_tokens(self, request, queryset):
        for rota in queryset:
            rota_rotate_calendar_token(rota=rota)
        self.message_user(
            request, f"New calendar tokens for {len(queryset)} rota(s).", messages.SUCCESS
        )

    def save_model(self, request, obj: Rota, form, change: bool) -> None:
        """Nothing yet: the members come from the inline, and the rota is created or updated
        with them in one service call in ``save_related`` (one start, one change notice)."""

    def save_related(self, request, form, formsets, change: bool) -> None:
        members = None
        for formset in formsets:
            if formset.model is Membership:
                if not change or formset.has_changed():
                    members = _ordered_members(formset)
                # The service replaced the rows; the change message lists none of them.
                formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
            else:
                self.save_formset(request, form, formset, change)
        rota = form.instance
        fields = {
            name: form.cleaned_data[name] for name in EDITABLE_FIELDS if name in form.cleaned_data
        }
        if change:
            fields = {name: value for name, value in fields.items() if name in form.changed_data}
            rota_update(rota=rota, fields=fields, members=members)
        else:
            created = rota_create(fields=fields, members=members or [])
            rota.pk = created.pk
            rota._state.adding = False
            rota.refresh_from_db()

    def delete_model(self, request, obj: Rota) -> None:
        rota_delete(rota=obj)

    def delete_queryset(self, request, queryset) -> None:
        for rota in queryset:
            rota_delete(rota=rota)


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


class OverrideForm(forms.ModelForm):
    class Meta:
        model = Override
        fields = ["rota", "person", "starts_at", "ends_at", "reason"]

    def clean(self) -> dict:
        cleaned = super().clean()
        if self.instance.pk is not None:
            return cleaned  # only the reason can change (the rest is read only)
        values = {name: cleaned.get(name) for name in ("rota", "person", "starts_at", "ends_at")}
        if self.errors or None in (values["rota"], values["starts_at"], values["ends_at"]):
            return cleaned  # a missing or bad field is already reported (no person: nobody)
        try:
            override_validate(**values)
        except ValidationError as exc:
            self.add_error(None, exc)
        return cleaned


@admin.register(Override)
class OverrideAdmin(admin.ModelAdmin):
    form = OverrideForm
    list_display = ["rota", "person", "starts_at", "ends_at", "reason"]
    list_filter = ["rota"]
    search_fields = ["rota__name", "person__name", "reason"]
    date_hierarchy = "starts_at"
    list_select_related = ["rota", "person"]
    autocomplete_fields = ["person"]

    def get_readonly_fields(self, request, obj=None):
        # Moving an override would skip the overlap rules: delete it and add another.
        return ["rota", "person", "starts_at", "ends_at"] if obj is not None else []

    def save_model(self, request, obj: Override, form, change: bool) -> None:
        if change:
            obj.save(update_fields=["reason"])
            return
        created = override_create(
            rota=obj.rota,
            person=obj.person,
            starts_at=obj.starts_at,
            ends_at=obj.ends_at,
            reason=obj.reason,
            created_by=request.user,
        )
        obj.pk = created.pk
        obj._state.adding = False
        obj.refresh_from_db()

    def delete_model(self, request, obj: Override) -> None:
        override_delete(override=obj)

    def delete_queryset(self, request, queryset) -> None:
        for override in queryset:
            override_delete(override=override)


class SwapStatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request, model_admin):
        return SwapStatus.choices

    def queryset(self, request, queryset):
        return queryset.filter(status=self.value()) if self.value() else queryset


class SwapForm(forms.ModelForm):
    class Meta:
        model = Swap
        fields = ["rota", "requester", "starts_at", "ends_at", "description"]

    def clean(self):
        cleaned = super().clean()
        if self.instance.pk is None and not self.errors:
            try:
                swap_validate(
                    rota=cleaned["rota"], requester=cleaned["requester"],
                    starts_at=cleaned["starts_at"], ends_at=cleaned["ends_at"],
                    now=timezone.now(),
                )  # fmt: skip
            except ValidationError as exc:
                self.add_error(None, exc)
        return cleaned


@admin.register(Swap)
class SwapAdmin(admin.ModelAdmin):
    """Swaps with their derived status; requested through the service, cancelled by action
    (the row stays); taking is done by the taker in the API."""

    form = SwapForm
    list_display = ["rota", "requester", "taker", "starts_at", "ends_at", "status"]
    list_filter = ["rota", SwapStatusFilter]
    search_fields = ["rota__name", "requester__name", "taker__name", "description"]
    date_hierarchy = "starts_at"
    list_select_related = ["rota", "requester", "taker"]
    autocomplete_fields = ["requester"]
    actions = ["cancel_swaps"]

    def get_queryset(self, request):
        return super().get_queryset(request).with_status(timezone.now())

    @admin.display(ordering="status")
    def status(self, obj: Swap) -> str:
        return obj.status

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return []
        return ["rota", "requester", "taker", "starts_at", "ends_at", "taken_at", "cancelled_at"]

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # cancel instead: the history stays

    def save_model(self, request, obj: Swap, form, change: bool) -> None:
        if change:
            obj.save(update_fields=["description"])
            return
        created = swap_request(
            rota=obj.rota, requester=obj.requester, starts_at=obj.starts_at,
            ends_at=obj.ends_at, description=obj.description,
        )  # fmt: skip
        obj.pk = created.pk
        obj._state.adding = False
        obj.refresh_from_db()

    @admin.action(description="Cancel the selected swaps", permissions=["change"])
    def cancel_swaps(self, request, queryset) -> None:
        done = 0
        for swap in queryset:
            try:
                swap_cancel(swap=swap)
                done += 1
            except SwapNotOpen:
                continue
        self.message_user(request, f"Cancelled {done} swap(s).", messages.SUCCESS)


register_periodic_task_admin()
