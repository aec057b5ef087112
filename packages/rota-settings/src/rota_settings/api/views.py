from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import generics, parsers, serializers
from rest_framework.authentication import SessionAuthentication
from rest_framework.exceptions import ParseError
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.views import exception_handler

from ..models import SystemSettings
from ..selectors import get_system_settings
from ..services import system_settings_update
from .serializers import SystemSettingsSerializer


class JSONParser(parsers.JSONParser):
    """DRF's JSON parser; a body nested deeper than Python's decoder goes is a 400, not a 500
    (rota_core's parser, which also caps the depth, is not a dependency of this app)."""

    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError("JSON parse error - nested more than the decoder allows.") from None


class SystemSettingsView(generics.RetrieveUpdateAPIView):
    """The system settings: read by any signed-in user, changed with the change permission."""

    serializer_class = SystemSettingsSerializer
    # Every policy explicit, none from the site's REST_FRAMEWORK: this app works in any site,
    # with or without rota_core (whose views share one base this app must not import).
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated, DjangoModelPermissions]
    renderer_classes = [JSONRenderer]
    parser_classes = [JSONParser]
    queryset = SystemSettings.objects.all()  # for DjangoModelPermissions
    http_method_names = ["get", "patch", "head", "options"]  # partial updates only, no PUT

    def get_exception_handler(self):
        return exception_handler  # DRF's own: 400 field errors, 403/404 {"detail"}

    def get_object(self) -> SystemSettings:
        row = get_system_settings()
        self.check_object_permissions(self.request, row)
        return row

    def perform_update(self, serializer: SystemSettingsSerializer) -> None:
        timezone = serializer.validated_data.get("timezone", serializer.instance.timezone)
        try:
            serializer.instance = system_settings_update(timezone=timezone)
        except DjangoValidationError as exc:
            raise serializers.ValidationError({"timezone": exc.messages}) from exc
