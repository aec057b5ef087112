# A person's timezone: null (not "") follows the rota's or the system zone, as a rota's does.

from django.db import migrations, models

import rota_core.validators


def blank_to_null(apps, schema_editor):
    Person = apps.get_model("rota_core", "Person")
    Person.objects.filter(timezone="").update(timezone=None)


def null_to_blank(apps, schema_editor):
    Person = apps.get_model("rota_core", "Person")
    Person.objects.filter(timezone__isnull=True).update(timezone="")


class Migration(migrations.Migration):
    dependencies = [
        ("rota_core", "0002_alter_person_name"),
    ]

    operations = [
        migrations.AlterField(
            model_name="person",
            name="timezone",
            field=models.CharField(
                blank=True,
                help_text="IANA time zone for this person's messages; empty (null) uses the rota's or the system's.",
                max_length=64,
                null=True,
                validators=[rota_core.validators.validate_iana_timezone],
            ),
        ),
        migrations.RunPython(blank_to_null, null_to_blank, elidable=True),
        migrations.AlterConstraint(
            model_name="unavailability",
            name="rota_core_unavailability_starts_before_ends",
            constraint=models.CheckConstraint(
                condition=models.Q(("starts_at__lt", models.F("ends_at"))),
                name="rota_core_unavailability_starts_before_ends",
                violation_error_message="ends_at must be after starts_at.",
            ),
        ),
    ]
