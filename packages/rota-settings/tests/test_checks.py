from django.test import override_settings

from rota_settings.checks import check_cache

LOCMEM = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
REDIS = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}


@override_settings(ROTA_SETTINGS_CACHE_ALIAS="nope")
def test_unknown_cache_alias_is_an_error():
    assert [m.id for m in check_cache()] == ["rota_settings.E001"]


@override_settings(CACHES=LOCMEM)
def test_per_process_cache_kept_forever_is_a_warning(settings):
    settings.CACHES = LOCMEM
    if hasattr(settings, "ROTA_SETTINGS_CACHE_TIMEOUT"):  # the site sets it without Redis
        del settings.ROTA_SETTINGS_CACHE_TIMEOUT
    assert [m.id for m in check_cache()] == ["rota_settings.W001"]


def test_shared_cache_or_a_timeout_passes():
    with override_settings(CACHES=REDIS):
        assert check_cache() == []
    with override_settings(CACHES=LOCMEM, ROTA_SETTINGS_CACHE_TIMEOUT=60):
        assert check_cache() == []
