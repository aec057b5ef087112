from rota_core.checks import check_settings


def test_default_settings_pass():
    assert check_settings() == []


def test_bad_values_are_reported(settings):
    settings.ROTA_CORE_NUM_PROXIES = -1
    settings.ROTA_CORE_LOGIN_WINDOW_SECONDS = "900"

    messages = [error.msg for error in check_settings()]

    assert messages == [
        "ROTA_CORE_NUM_PROXIES must be a whole number of at least 0, not -1.",
        "ROTA_CORE_LOGIN_WINDOW_SECONDS must be a whole number of at least 1, not '900'.",
    ]


def test_a_write_rate_drf_cannot_read_is_reported(settings):
    settings.ROTA_CORE_WRITE_RATE = "120 a minute"

    (error,) = check_settings()

    assert error.id == "rota_core.E002"
    assert "ROTA_CORE_WRITE_RATE" in error.msg


def test_write_rates_drf_reads_pass(settings):
    for rate in ("120/minute", "5/s", "1000/day", None):
        settings.ROTA_CORE_WRITE_RATE = rate
        assert check_settings() == [], rate
