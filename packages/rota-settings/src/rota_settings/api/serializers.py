import datetime

from rest_framework import serializers

from ..models import SystemSettings


class SystemSettingsSerializer(serializers.ModelSerializer):
    # UTC ("Z") whatever zone the middleware activated: the API never shows local offsets.
    updated_at = serializers.DateTimeField(read_only=True, default_timezone=datetime.UTC)

    class Meta:
        model = SystemSettings
        fields = ["timezone", "updated_at"]
