"""Settings of rota-core, all prefixed ``ROTA_CORE_``.

Read lazily from ``django.conf.settings`` on first use and cached; the cache is dropped when
``override_settings`` (or anything sending ``setting_changed``) changes one of them.
"""

from .prefixed_settings import PrefixedSettings


class AppSettings(PrefixedSettings):
    @property
    def NUM_PROXIES(self) -> int:
        """How many reverse proxies in front of the site append to X-Forwarded-For.

        0 (the default) trusts only REMOTE_ADDR, so a client cannot choose its own address by
        sending the header. With N > 0 the client is the N-th address from the right.
        """
        return self._get("NUM_PROXIES", 0)

    @property
    def LOGIN_FAILURES_PER_USERNAME_AND_IP(self) -> int:
        """Failed logins allowed for one username (any case) from one client address within the
        window; then 429 for that username from that address only."""
        return self._get("LOGIN_FAILURES_PER_USERNAME_AND_IP", 5)

    @property
    def LOGIN_FAILURES_PER_USERNAME(self) -> int:
        """Failed logins allowed for one username from all addresses together within the
        window; then 429 for that username from everywhere (stops a distributed guess)."""
        return self._get("LOGIN_FAILURES_PER_USERNAME", 50)

    @property
    def LOGIN_FAILURES_PER_IP(self) -> int:
        """Failed logins allowed from one client address within the window; then 429."""
        return self._get("LOGIN_FAILURES_PER_IP", 20)

    @property
    def LOGIN_WINDOW_SECONDS(self) -> int:
        """Length of the window in which failed logins are counted, from the first failure."""
        return self._get("LOGIN_WINDOW_SECONDS", 900)

    @property
    def WRITE_RATE(self) -> str | None:
        """Writes (POST, PUT, PATCH, DELETE) one signed-in user may make to the API, as DRF
        writes rates: ``"<number>/<second|minute|hour|day>"``; beyond it 429 with Retry-After.
        ``None`` turns the limit off."""
        return self._get("WRITE_RATE", "120/minute")


SETTING_NAMES = (
    "NUM_PROXIES",
    "LOGIN_FAILURES_PER_USERNAME_AND_IP",
    "LOGIN_FAILURES_PER_USERNAME",
    "LOGIN_FAILURES_PER_IP",
    "LOGIN_WINDOW_SECONDS",
)

app_settings = AppSettings("ROTA_CORE_")
