"""The host site's own API: one token-authenticated list, and its own error shape."""

from django.contrib.auth import get_user_model
from rest_framework import serializers, viewsets
from rest_framework.permissions import IsAuthenticated
from rest_framework.views import exception_handler


def host_exception_handler(exc, context):
    """``{"error": {"status": ..., "message": ...}}``: not the shape the rota API documents."""
    response = exception_handler(exc, context)
    if response is not None:
        response.data = {"error": {"status": response.status_code, "message": str(exc)}}
    return response


class UserSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "username"]


class HostUserViewSet(viewsets.ReadOnlyModelViewSet):
    """Follows the host's defaults: token authentication, limit/offset pages."""

    queryset = get_user_model().objects.order_by("id")
    serializer_class = UserSerializer
    permission_classes = [IsAuthenticated]
