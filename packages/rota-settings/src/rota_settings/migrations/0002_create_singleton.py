"""Create the settings row with the defaults (``SystemSettings.load()`` would do it too)."""

from django.db import migrations


def create_singleton(apps, schema_editor):
    SystemSettings = apps.get_model("rota_settings", "SystemSettings")
    SystemSettings.objects.using(schema_editor.connection.alias).get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("rota_settings", "0001_initial")]

    operations = [migrations.RunPython(create_singleton, migrations.RunPython.noop)]
