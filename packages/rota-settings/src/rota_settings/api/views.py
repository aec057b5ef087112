from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework import generics, serializers
from rest_framework.permissions import DjangoModelPermissions, IsAuthenticated

from ..models import SystemSettings
from ..selectors import get_system_settings
from ..services import system_settings_update
from .serializers import SystemSettingsSerializer


class SystemSettingsView(generics.RetrieveUpdateAPIView):
    """The system settings: read by any signed-in user, changed with the change permission."""

    serializer_class = SystemSettingsSerializer
    # Explicit, not the site's defaults: this app works in sites without rota_core.
    permission_classes = [IsAuthenticated, DjangoModelPermissions]
    queryset = SystemSettings.objects.all()  # for DjangoModelPermissions
    http_method_names = ["get", "patch", "head", "options"]  # partial updates only, no PUT

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
