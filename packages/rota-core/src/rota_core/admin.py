from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from .models import Person, Unavailability
from .services import person_rotate_calendar_token, person_save


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
