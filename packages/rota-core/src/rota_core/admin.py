"""The admin writes through the services, so its changes are announced like the API's."""

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import BaseInlineFormSet, ModelForm
from django.http import HttpRequest

from .models import Person, Unavailability
from .services import (
    people_delete,
    person_delete,
    person_rotate_calendar_token,
    person_save,
    unavailability_delete,
    unavailability_delete_many,
    unavailability_save,
)


class UnavailabilityInline(admin.TabularInline):
    model = Unavailability
    extra = 0
    fields = ["starts_at", "ends_at", "reason"]


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    list_display = ["name", "email", "is_active", "user", "deactivated_at"]
    list_filter = ["is_active", "notify_email"]
    search_fields = ["name", "email", "user__username"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["deactivated_at", "created_at", "updated_at"]
    fields = [
        "name",
        "email",
        "user",
        "timezone",
        "is_active",
        "notify_email",
        "deactivated_at",
        "created_at",
        "updated_at",
    ]
    inlines = [UnavailabilityInline]
    actions = ["rotate_calendar_tokens"]

    def save_model(self, request: HttpRequest, obj: Person, form: ModelForm, change: bool) -> None:
        person_save(person=obj)

    def delete_model(self, request: HttpRequest, obj: Person) -> None:
        person_delete(person=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        people_delete(people=queryset)

    def save_formset(
        self, request: HttpRequest, form: ModelForm, formset: BaseInlineFormSet, change: bool
    ) -> None:
        """The unavailability inline: each row through the services."""
        for row in formset.save(commit=False):
            unavailability_save(unavailability=row)
        for row in formset.deleted_objects:
            unavailability_delete(unavailability=row)

    @admin.action(
        description="Rotate calendar tokens (old feed links stop working)",
        permissions=["change"],
    )
    def rotate_calendar_tokens(self, request: HttpRequest, queryset: QuerySet[Person]) -> None:
        for person in queryset:
            person_rotate_calendar_token(person=person)
        self.message_user(
            request, f"New calendar tokens for {len(queryset)} people.", messages.SUCCESS
        )


@admin.register(Unavailability)
class UnavailabilityAdmin(admin.ModelAdmin):
    list_display = ["person", "starts_at", "ends_at", "reason"]
    list_filter = ["person"]
    list_select_related = ["person"]
    search_fields = ["person__name", "reason"]
    autocomplete_fields = ["person"]
    date_hierarchy = "starts_at"

    def save_model(
        self, request: HttpRequest, obj: Unavailability, form: ModelForm, change: bool
    ) -> None:
        unavailability_save(unavailability=obj)

    def delete_model(self, request: HttpRequest, obj: Unavailability) -> None:
        unavailability_delete(unavailability=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Unavailability]) -> None:
        unavailability_delete_many(unavailability=queryset)
