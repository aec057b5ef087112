"""The admin's sign-in under the same failed-login limits as ``auth/login/``.

A host site routes its admin's login page through ``limited_admin_login`` ahead of the
admin's own URLs (the admin site is the host's to configure)::

    path("admin/login/", limited_admin_login(admin.site)),
    path("admin/", admin.site.urls),

Failures count in ``rota_core.login_limits`` (the counters the API login uses, so a guess
split between the two pages is counted once); once a limit is used up the page answers 429
with Retry-After and the form says how long to wait, without the password being checked.
"""

from collections.abc import Callable
from typing import Any

from django.contrib.admin import AdminSite
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse

from . import login_limits
from .api.client_ip import client_ip


class LimitedAdminAuthenticationForm(AdminAuthenticationForm):
    retry_after = 0  # seconds until the username may be tried again from this address

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()  # nothing to check a password against: nothing counts
        ip = client_ip(self.request) if self.request else ""
        self.retry_after = login_limits.login_retry_after(username=username, ip=ip)
        if self.retry_after:
            raise ValidationError(
                "Too many failed login attempts. Try again in %(wait)d seconds.",
                code="login_throttled",
                params={"wait": self.retry_after},
            )
        try:
            cleaned = super().clean()
        except ValidationError:
            if self.user_cache is None:  # a wrong password, not a user the admin refuses
                login_limits.login_failure_record(username=username, ip=ip)
            raise
        login_limits.login_failures_reset(username=username, ip=ip)
        return cleaned


def limited_admin_login(site: AdminSite) -> Callable[..., HttpResponse]:
    """``site``'s login view with ``LimitedAdminAuthenticationForm``; 429 while locked."""
    site.login_form = LimitedAdminAuthenticationForm

    @login_not_required
    def login(request: HttpRequest) -> HttpResponse:
        response = site.login(request)
        form = (getattr(response, "context_data", None) or {}).get("form")
        wait = getattr(form, "retry_after", 0)
        if wait:
            response.status_code = 429
            response["Retry-After"] = str(wait)
        return response

    return login
