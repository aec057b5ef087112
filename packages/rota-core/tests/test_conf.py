from rota_core.conf import app_settings


def test_defaults(unset_settings):
    unset_settings(
        "ROTA_CORE_NUM_PROXIES",
        "ROTA_CORE_LOGIN_FAILURES_PER_USERNAME_AND_IP",
        "ROTA_CORE_LOGIN_FAILURES_PER_USERNAME",
        "ROTA_CORE_LOGIN_FAILURES_PER_IP",
        "ROTA_CORE_LOGIN_WINDOW_SECONDS",
        "ROTA_CORE_WRITE_RATE",
    )

    assert app_settings.NUM_PROXIES == 0
    assert app_settings.LOGIN_FAILURES_PER_USERNAME_AND_IP == 5
    assert app_settings.LOGIN_FAILURES_PER_USERNAME == 50
    assert app_settings.LOGIN_FAILURES_PER_IP == 20
    assert app_settings.LOGIN_WINDOW_SECONDS == 900
    assert app_settings.WRITE_RATE == "120/minute"


def test_a_changed_setting_is_seen_at_once(settings):
    assert app_settings.LOGIN_WINDOW_SECONDS  # cached now
    settings.ROTA_CORE_LOGIN_WINDOW_SECONDS = 60
    assert app_settings.LOGIN_WINDOW_SECONDS == 60
