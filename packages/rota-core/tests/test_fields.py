import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

from rota_core.api.fields import UTCDateTimeField, utc_iso

OSLO = ZoneInfo("Europe/Oslo")


def test_datetimes_are_written_in_utc_whatever_zone_is_active():
    value = dt.datetime(2025, 7, 1, 11, 30, tzinfo=OSLO)

    with timezone.override(OSLO):
        assert UTCDateTimeField().to_representation(value) == "2025-07-01T09:30:00Z"
    assert utc_iso(value) == "2025-07-01T09:30:00Z"
    assert utc_iso(None) is None


def test_naive_input_is_read_as_utc_and_offsets_are_kept():
    field = UTCDateTimeField()

    with timezone.override(OSLO):
        naive = field.to_internal_value("2025-07-01T09:30:00")
        offset = field.to_internal_value("2025-07-01T11:30:00+02:00")

    assert naive == offset == dt.datetime(2025, 7, 1, 9, 30, tzinfo=dt.UTC)
