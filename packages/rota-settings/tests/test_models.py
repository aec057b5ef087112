import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from rota_settings.models import SystemSettings

pytestmark = pytest.mark.django_db


def test_load_creates_the_row_with_utc_when_there_is_none():
    SystemSettings.objects.all().delete()

    row = SystemSettings.load()

    assert (row.pk, row.timezone) == (1, "UTC")
    assert row.updated_at is not None
    assert SystemSettings.objects.count() == 1


def test_load_returns_the_existing_row():
    SystemSettings.objects.filter(pk=1).update(timezone="Asia/Tokyo")

    assert SystemSettings.load().timezone == "Asia/Tokyo"
    assert SystemSettings.load().timezone == "Asia/Tokyo"
    assert SystemSettings.objects.count() == 1


def test_a_second_row_cannot_be_created():
    SystemSettings.load()

    with pytest.raises(IntegrityError), transaction.atomic():
        SystemSettings.objects.create(timezone="Europe/Paris")
    with pytest.raises(IntegrityError), transaction.atomic():
        SystemSettings.objects.create(pk=2, timezone="Europe/Paris")

    assert list(SystemSettings.objects.values_list("pk", "timezone")) == [(1, "UTC")]


def test_full_clean_rejects_another_pk_and_an_unknown_zone():
    with pytest.raises(ValidationError) as exc:
        SystemSettings(pk=2, timezone="Mars/Olympus").full_clean(validate_unique=False)

    assert exc.value.message_dict["timezone"] == ['Unknown time zone "Mars/Olympus".']
    assert "__all__" in exc.value.message_dict  # the singleton constraint
