"""Counting failed logins in the Django cache, three ways (docs/decisions/0010-login-limits.md):

- per username from one client address (5 by default): a guesser, or a mistyping user, is
  stopped at their own address only, so guesses from elsewhere cannot lock the real user out;
- per username from all addresses (50): the ceiling that stops a guess spread over many
  addresses, at the price of locking the username out everywhere once reached;
- per client address, any username (20).

A window opens at the first failure and lasts ``ROTA_CORE_LOGIN_WINDOW_SECONDS``; once a
counter is used up, further attempts it covers are refused until the window closes, without
the password being checked.
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


def _client_key(*, username: str, ip: str) -> str:
    return _key("username-ip", f"{username.casefold()}\n{ip}")


def _counters(*, username: str, ip: str) -> list[tuple[str, int]]:
    return [
        (_client_key(username=username, ip=ip), app_settings.LOGIN_FAILURES_PER_USERNAME_AND_IP),
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


def login_failures_reset(*, username: str, ip: str) -> None:
    """Forget the username's failures from this address (after a successful login).

    The username's count over all addresses and the address's own count run on to the end
    of their windows: a real user signing in gives a distributed guess no fresh allowance.
    """
    key = _client_key(username=username, ip=ip)
    cache.delete_many([key, f"{key}:since"])
