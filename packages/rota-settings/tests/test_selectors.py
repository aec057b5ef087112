from zoneinfo import ZoneInfo

import pytest

from rota_settings import cache
from rota_settings.models import SystemSettings
from rota_settings.selectors import get_system_settings, get_system_timezone
from rota_settings.services import system_settings_update

pytestmark = pytest.mark.django_db


def test_default_zone_is_utc_even_without_the_row():
    SystemSettings.objects.all().delete()

    assert get_system_timezone() == ZoneInfo("UTC")
    assert get_system_settings().timezone == "UTC"


def test_second_read_comes_from_the_cache(django_assert_num_queries):
    SystemSettings.objects.filter(pk=1).update(timezone="Europe/Paris")
    with django_assert_num_queries(1):
        assert get_system_timezone() == ZoneInfo("Europe/Paris")

    with django_assert_num_queries(0):
        assert get_system_timezone() == ZoneInfo("Europe/Paris")


def test_a_save_drops_the_cached_zone():
    assert get_system_timezone() == ZoneInfo("UTC")

    system_settings_update(timezone="Asia/Tokyo")

    assert get_system_timezone() == ZoneInfo("Asia/Tokyo")


def test_any_save_or_delete_of_the_row_drops_the_cached_zone():
    get_system_timezone()
    row = get_system_settings()
    row.timezone = "America/New_York"
    row.save()
    assert get_system_timezone() == ZoneInfo("America/New_York")

    row.delete()
    assert get_system_timezone() == ZoneInfo("UTC")


def test_the_cache_is_dropped_again_on_commit(django_capture_on_commit_callbacks):
    get_system_timezone()
    with django_capture_on_commit_callbacks() as callbacks:
        system_settings_update(timezone="Asia/Tokyo")
        # Another request, before our commit, caches the value it sees committed.
        cache.cache_timezone_name(name="UTC")

    for callback in callbacks:
        callback()

    assert get_system_timezone() == ZoneInfo("Asia/Tokyo")


def test_a_broken_cache_falls_back_to_the_database(monkeypatch, caplog):
    class BrokenCache:
        def get(self, *args, **kwargs):
            raise ConnectionError("cache down")

        set = delete = get

    monkeypatch.setattr(cache, "_cache", BrokenCache)
    SystemSettings.objects.filter(pk=1).update(timezone="Europe/Paris")

    assert get_system_timezone() == ZoneInfo("Europe/Paris")
    assert "Cannot read the cached system time zone" in caplog.text


def test_a_zone_the_tz_database_no_longer_knows_falls_back_to_utc(caplog):
    SystemSettings.objects.filter(pk=1).update(timezone="Mars/Olympus")

    assert get_system_timezone() == ZoneInfo("UTC")
    assert "Mars/Olympus" in caplog.text
