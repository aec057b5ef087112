"""Session authentication for the SPA: csrf, login, logout, me."""

from typing import Any

from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.base_user import AbstractBaseUser
from django.middleware.csrf import get_token
from django.utils.decorators import method_decorator
from django.views.decorators.csrf import ensure_csrf_cookie
from drf_spectacular.utils import OpenApiResponse, extend_schema, inline_serializer
from rest_framework import exceptions, serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response

from .. import login_limits
from ..selectors import person_for_user, user_permission_names
from ..signals import me_extra
from .base import RotaAPIView
from .client_ip import client_ip
from .serializers import PersonBriefSerializer


class InvalidCredentials(exceptions.APIException):
    status_code = status.HTTP_400_BAD_REQUEST
    # The same words whether or not the username exists: no account enumeration.
    default_detail = "Invalid username or password."
    default_code = "invalid_credentials"


class TooManyLoginFailures(exceptions.Throttled):
    default_detail = "Too many failed login attempts."
    extra_detail_singular = "Try again in {wait} second."
    extra_detail_plural = "Try again in {wait} seconds."
    default_code = "login_throttled"


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=4096, trim_whitespace=False)


class UserSerializer(serializers.Serializer):
    # Defaults keep custom user models without some of these fields working.
    id = serializers.IntegerField(source="pk")
    username = serializers.CharField(source="get_username")
    # A user's email may be blank: a string, not the "email" format (which "" is not).
    email = serializers.CharField(default="", help_text="The user's email address, or empty.")
    first_name = serializers.CharField(default="")
    last_name = serializers.CharField(default="")
    is_staff = serializers.BooleanField(default=False)
    is_superuser = serializers.BooleanField(default=False)


class MeSerializer(serializers.Serializer):
    user = UserSerializer()
    person = PersonBriefSerializer(allow_null=True)
    permissions = serializers.ListField(
        child=serializers.CharField(), help_text='Sorted "app_label.codename" strings.'
    )


def me_data(request: Request, user: AbstractBaseUser) -> dict[str, Any]:
    """The ``auth/me/`` body: user, linked person, permissions and what receivers add."""
    person = person_for_user(user=user)
    data: dict[str, Any] = {
        "user": UserSerializer(user).data,
        "person": PersonBriefSerializer(person).data if person else None,
        "permissions": user_permission_names(user=user),
    }
    for _receiver, extra in me_extra.send(sender=None, request=request, user=user):
        if extra:
            data.update(extra)
    return data


def enforce_csrf(request: Request) -> None:
    """Check the CSRF token even for anonymous users (DRF only checks signed-in ones)."""
    SessionAuthentication().enforce_csrf(request)


class CsrfView(RotaAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses=inline_serializer("CsrfToken", {"csrfToken": serializers.CharField()}),
        summary="Set the csrftoken cookie and return the token",
    )
    @method_decorator(ensure_csrf_cookie)
    def get(self, request: Request) -> Response:
        return Response({"csrfToken": get_token(request)})


class LoginView(RotaAPIView):
    permission_classes = [AllowAny]

    @extend_schema(
        request=LoginSerializer,
        responses={
            200: MeSerializer,
            400: OpenApiResponse(description="Invalid username or password, or missing field."),
            403: OpenApiResponse(description="CSRF token missing or wrong."),
            429: OpenApiResponse(description="Too many failed logins; see Retry-After."),
        },
        summary="Sign in and start a session",
    )
    def post(self, request: Request) -> Response:
        enforce_csrf(request)
        serializer = LoginSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        username = serializer.validated_data["username"]
        ip = client_ip(request)
        wait = login_limits.login_retry_after(username=username, ip=ip)
        if wait:
            raise TooManyLoginFailures(wait=wait)
        user = authenticate(
            request, username=username, password=serializer.validated_data["password"]
        )
        if user is None:
            login_limits.login_failure_record(username=username, ip=ip)
            raise InvalidCredentials()
        login(request, user)
        login_limits.login_failures_reset(username=username, ip=ip)
        return Response(me_data(request, user))


class LogoutView(RotaAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None}, summary="End the session")
    def post(self, request: Request) -> Response:
        logout(request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(RotaAPIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer, summary="The signed-in user, person and permissions")
    def get(self, request: Request) -> Response:
        return Response(me_data(request, request.user))
