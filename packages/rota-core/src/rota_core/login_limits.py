"""Counting failed logins per username and per client address in the Django cache.

A window opens at the first failure and lasts ``ROTA_CORE_LOGIN_WINDOW_SECONDS``; once a
username or an address has used up its failures, further attempts are refused until the
window closes, without the password being checked.
"""

import hashlib
import math
import time

from django.core.cache import cache

from .conf import app_settings

KEY_PREFIX = "rota_core:login-failures"


def _key(scope: str, value: str) -> str:
    # Hashed: usernames may hold characters or lengths some cache backends refuse in keys.
    digest = hashlib.sha256(value.encode()).hexdigest()[:40]
    return f"{KEY_PREFIX}:{scope}:{digest}"


def _counters(*, username: str, ip: str) -> list[tuple[str, int]]:
    return [
        (_key("username", username.casefold()), app_settings.LOGIN_FAILURES_PER_USERNAME),
        (_key("ip", ip), app_settings.LOGIN_FAILURES_PER_IP),
    ]


def login_retry_after(*, username: str, ip: str) -> int:
    """Seconds until a login for ``username`` from ``ip`` may be tried again; 0 if it may now."""
    wait = 0
    for key, limit in _counters(username=username, ip=ip):
        found = cache.get_many([key, f"{key}:since"])
        if found.get(key, 0) < limit:
            continue
        since = found.get(f"{key}:since")
        left = 1 if since is None else since + app_settings.LOGIN_WINDOW_SECONDS - time.time()
        wait = max(wait, math.ceil(left), 1)
    return wait


def login_failure_record(*, username: str, ip: str) -> None:
    window = app_settings.LOGIN_WINDOW_SECONDS
    for key, _limit in _counters(username=username, ip=ip):
        cache.add(f"{key}:since", time.time(), timeout=window)
        cache.add(key, 0, timeout=window)
        try:
            cache.incr(key)
        except ValueError:  # expired between add() and incr()
            cache.set(key, 1, timeout=window)


def login_failures_reset(*, username: str) -> None:
    """Forget a username's failures (after a successful login); the address keeps its count."""
    key = _key("username", username.casefold())
    cache.delete_many([key, f"{key}:since"])
