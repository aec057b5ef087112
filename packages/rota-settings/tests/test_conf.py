from django.test import override_settings

from rota_settings.conf import app_settings


def test_defaults(settings):
    del settings.ROTA_SETTINGS_CACHE_KEY  # set per test by conftest
    if hasattr(settings, "ROTA_SETTINGS_CACHE_TIMEOUT"):  # the site sets it without Redis
        del settings.ROTA_SETTINGS_CACHE_TIMEOUT

    assert app_settings.CACHE_ALIAS == "default"
    assert app_settings.CACHE_KEY == "rota_settings:timezone"
    assert app_settings.CACHE_TIMEOUT is None


def test_settings_are_reread_when_they_change():
    before = app_settings.CACHE_TIMEOUT
    with override_settings(ROTA_SETTINGS_CACHE_TIMEOUT=12345):
        assert app_settings.CACHE_TIMEOUT == 12345
    assert before == app_settings.CACHE_TIMEOUT
