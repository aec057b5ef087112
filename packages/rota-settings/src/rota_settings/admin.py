"""Admin of the singleton: no list, no add once the row exists, no delete."""

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.db.models import Field
from django.forms import Field as FormField
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse

from .models import SystemSettings
from .selectors import get_system_settings
from .services import system_settings_update
from .validators import timezone_names


@admin.register(SystemSettings)
class SystemSettingsAdmin(admin.ModelAdmin):
    fields = ["timezone", "updated_at"]
    readonly_fields = ["updated_at"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and not SystemSettings.objects.exists()

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponseRedirect:
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        opts = self.opts
        url = reverse(
            f"admin:{opts.app_label}_{opts.model_name}_change",
            args=[get_system_settings().pk],
            current_app=self.admin_site.name,
        )
        return HttpResponseRedirect(url)

    def formfield_for_dbfield(
        self, db_field: Field, request: HttpRequest, **kwargs: Any
    ) -> FormField | None:
        if db_field.name == "timezone":
            kwargs["widget"] = forms.Select(choices=[(n, n) for n in sorted(timezone_names())])
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    def save_model(
        self, request: HttpRequest, obj: SystemSettings, form: forms.ModelForm, change: bool
    ) -> None:
        # Through the service, so a change sends system_timezone_changed.
        saved = system_settings_update(timezone=obj.timezone)
        obj.pk, obj.updated_at = saved.pk, saved.updated_at
        obj._state.adding, obj._state.db = False, saved._state.db
