import pytest
from django.contrib.auth.models import AnonymousUser
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate
from rest_framework.views import APIView

from rota_core.api.permissions import ModelChangePermission, SignedInReadModelPermsWrite
from rota_core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db


class NoQuerysetView(APIView):
    permission_classes = [SignedInReadModelPermsWrite]

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True})


def call(method, user):
    request = getattr(APIRequestFactory(), method)("/")
    if user is not None:
        force_authenticate(request, user=user)
    return NoQuerysetView.as_view()(request)


def test_a_view_without_queryset_is_readable_by_signed_in_users_only():
    assert call("get", UserFactory()).status_code == 200
    assert call("get", None).status_code == 403
    assert call("get", AnonymousUser()).status_code == 403


def test_a_view_without_queryset_refuses_writes_unless_it_opts_in():
    superuser = UserFactory(is_superuser=True, is_staff=True)

    assert call("post", superuser).status_code == 403


class ChangePersonAction(APIView):
    permission_classes = [ModelChangePermission]

    def get_queryset(self):
        from rota_core.models import Person

        return Person.objects.all()

    def post(self, request):
        return Response({"ok": True})


def test_model_change_permission_needs_the_change_perm_of_the_views_model(grant):
    reader, changer = UserFactory(), UserFactory()
    grant(changer, "change_person")

    def post(user):
        request = APIRequestFactory().post("/")
        force_authenticate(request, user=user)
        return ChangePersonAction.as_view()(request).status_code

    assert (post(reader), post(changer)) == (403, 200)
