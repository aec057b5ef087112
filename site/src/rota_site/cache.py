"""The site's Redis cache: an unreachable Redis reads as an empty cache instead of a 500.

Found by drills/redis_outage.py: with Django's ``RedisCache`` every cache call raises
``redis.ConnectionError`` while Redis is down, so sign-in (the failed-login counters of
``rota_core.login_limits``) and every signed-in request (``cached_db`` sessions re-cache what
they read) answered 500. A cache is an optimisation: here a get is a miss, a write is dropped,
``incr`` finds no key, and a warning is logged (at most every 30 s per process). The failed-login
limits therefore fail open while Redis is down; ``/health/`` still reports the outage (it runs
its check inside ``strict()``, where errors raise).
"""

from __future__ import annotations

import contextlib
import logging
import time
from collections.abc import Iterator

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 30.0


class TolerantRedisCache(RedisCache):
    _strict = False
    _warned_at = 0.0

    @contextlib.contextmanager
    def strict(self) -> Iterator[TolerantRedisCache]:
        """Inside this block errors raise as with ``RedisCache`` (for the health check)."""
        self._strict = True  # cache objects are per thread (django.core.cache.caches)
        try:
            yield self
        finally:
            self._strict = False

    def _unreachable(self, operation: str, exc: Exception) -> None:
        if self._strict:
            raise exc
        now = time.monotonic()
        if now - TolerantRedisCache._warned_at >= WARN_EVERY_SECONDS:
            TolerantRedisCache._warned_at = now
            logger.warning("cache unreachable, %s treated as a miss: %s", operation, exc)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().add(key, value, timeout=timeout, version=version)
        except UNREACHABLE as exc:
            self._unreachable("add", exc)
            return False

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default=default, version=version)
        except UNREACHABLE as exc:
            self._unreachable("get", exc)
            return default

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set(key, value, timeout=timeout, version=version)
        except UNREACHABLE as exc:
            self._unreachable("set", exc)
            return None

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().touch(key, timeout=timeout, version=version)
        except UNREACHABLE as exc:
            self._unreachable("touch", exc)
            return False

    def delete(self, key, version=None):
        try:
            return super().delete(key, version=version)
        except UNREACHABLE as exc:
            self._unreachable("delete", exc)
            return False

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version=version)
        except UNREACHABLE as exc:
            self._unreachable("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version=version)
        except UNREACHABLE as exc:
            self._unreachable("has_key", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta=delta, version=version)
        except UNREACHABLE as exc:
            self._unreachable("incr", exc)
            raise ValueError(f"Key '{key}' not found (cache unreachable)") from exc

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        try:
            return super().set_many(data, timeout=timeout, version=version)
        except UNREACHABLE as exc:
            self._unreachable("set_many", exc)
            return list(data)  # the keys that were not stored

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version=version)
        except UNREACHABLE as exc:
            self._unreachable("delete_many", exc)
            return None

    def clear(self):
        try:
            return super().clear()
        except UNREACHABLE as exc:
            self._unreachable("clear", exc)
            return False
