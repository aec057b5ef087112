import time

from rota_core.login_limits import login_failure_record, login_failures_reset, login_retry_after


def test_a_username_is_blocked_once_its_failures_are_used_up(settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME = 2
    settings.ROTA_CORE_LOGIN_WINDOW_SECONDS = 300

    login_failure_record(username="Sam", ip="192.0.2.1")
    assert login_retry_after(username="sam", ip="192.0.2.9") == 0
    login_failure_record(username="SAM", ip="192.0.2.2")

    assert 295 <= login_retry_after(username="sam", ip="192.0.2.9") <= 300
    assert login_retry_after(username="kim", ip="192.0.2.9") == 0


def test_a_username_from_one_address_is_blocked_there_only(settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME_AND_IP = 2

    login_failure_record(username="Sam", ip="192.0.2.1")
    login_failure_record(username="sam", ip="192.0.2.1")

    assert login_retry_after(username="SAM", ip="192.0.2.1") > 0
    assert login_retry_after(username="sam", ip="192.0.2.2") == 0
    assert login_retry_after(username="kim", ip="192.0.2.1") == 0


def test_reset_clears_the_username_at_that_address_but_not_the_other_counters(settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME_AND_IP = 1
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME = 2
    settings.ROTA_CORE_LOGIN_FAILURES_PER_IP = 1

    login_failure_record(username="sam", ip="192.0.2.1")
    login_failure_record(username="sam", ip="192.0.2.3")
    login_failures_reset(username="Sam", ip="192.0.2.1")

    assert login_retry_after(username="sam", ip="192.0.2.2") > 0  # the ceiling runs on
    assert login_retry_after(username="kim", ip="192.0.2.1") > 0  # so does the address


def test_reset_lets_the_username_in_again_from_that_address(settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_USERNAME_AND_IP = 1

    login_failure_record(username="sam", ip="192.0.2.1")
    login_failures_reset(username="sam", ip="192.0.2.1")

    assert login_retry_after(username="sam", ip="192.0.2.1") == 0


def test_the_block_ends_with_the_window(settings):
    settings.ROTA_CORE_LOGIN_FAILURES_PER_IP = 1
    settings.ROTA_CORE_LOGIN_WINDOW_SECONDS = 1

    login_failure_record(username="sam", ip="192.0.2.1")
    assert login_retry_after(username="kim", ip="192.0.2.1") == 1
    time.sleep(1.1)

    assert login_retry_after(username="kim", ip="192.0.2.1") == 0
