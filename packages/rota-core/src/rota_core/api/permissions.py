"""Permission classes shared by the Rota Round APIs.

This module is named in ``REST_FRAMEWORK`` settings, so DRF imports it while it is itself
loading: it must not import ``rest_framework.views`` or models at module level.
"""

from collections.abc import Mapping
from typing import TYPE_CHECKING

from rest_framework import permissions
from rest_framework.request import Request

if TYPE_CHECKING:
    from rest_framework.views import APIView

    from ..models import Person


def _own_person(request: Request) -> "Person | None":
    from ..selectors import person_for_user

    return person_for_user(user=request.user)


class SignedInReadModelPermsWrite(permissions.DjangoModelPermissions):
    """The default: any signed-in user reads; writes need the model's add/change/delete perm.

    A view without a queryset has no model to take permissions from: it may be read by
    signed-in users and refuses writes unless it sets its own ``permission_classes``
    (``IsAuthenticated`` for e.g. logout).
    """

    def has_permission(self, request: Request, view: "APIView") -> bool:
        has_queryset = hasattr(view, "get_queryset") or getattr(view, "queryset", None) is not None
        if has_queryset:
            return super().has_permission(request, view)
        signed_in = bool(request.user and request.user.is_authenticated)
        return signed_in and request.method in permissions.SAFE_METHODS


class ModelChangePermission(permissions.BasePermission):
    """The model's change permission (of the view's queryset), for actions that change state
    through POST (``rotas/{id}/advance/``, ``webhooks/{id}/test/``)."""

    def has_permission(self, request: Request, view: "APIView") -> bool:
        meta = view.get_queryset().model._meta
        return bool(
            request.user
            and request.user.is_authenticated
            and request.user.has_perm(f"{meta.app_label}.change_{meta.model_name}")
        )


class OwnPersonOrChangePerson(permissions.IsAuthenticated):
    """Signed in, and the object is the user's own person or the user may change people."""

    message = "You may only rotate your own calendar token."

    def has_object_permission(self, request: Request, view: "APIView", obj: object) -> bool:
        own = _own_person(request)
        return request.user.has_perm("rota_core.change_person") or (
            own is not None and own.pk == getattr(obj, "pk", None)
        )


class OwnPersonOrModelPerms(SignedInReadModelPermsWrite):
    """Like the default, but a user linked to a person may also write that person's rows.

    The view names the row's person attribute with ``person_field`` (default ``"person"``);
    the person a write targets is read from the request body under the same name. Writing
    rows of other people still needs the model permission (403 otherwise).
    """

    def has_permission(self, request: Request, view: "APIView") -> bool:
        if super().has_permission(request, view):
            return True
        if not request.user or not request.user.is_authenticated:
            return False
        own = _own_person(request)
        if own is None:
            return False
        if request.method == "POST":
            return self._targets_only(request, view, own.pk)
        return request.method in ("PATCH", "PUT", "DELETE")  # decided per object below

    def has_object_permission(self, request: Request, view: "APIView", obj: object) -> bool:
        if request.method in permissions.SAFE_METHODS or super().has_permission(request, view):
            return True
        own = _own_person(request)
        field = self._person_field(view)
        if own is None or getattr(obj, f"{field}_id", None) != own.pk:
            return False
        return self._targets_only(request, view, own.pk)

    def _person_field(self, view: "APIView") -> str:
        return getattr(view, "person_field", "person")

    def _targets_only(self, request: Request, view: "APIView", person_id: int) -> bool:
        """True unless the body names a person other than ``person_id``.

        A body without one is let through: validation then asks for it (400) on create, and
        leaves the row's own person on update.
        """
        data = request.data if isinstance(request.data, Mapping) else {}
        field = self._person_field(view)
        return field not in data or str(data[field]) == str(person_id)
