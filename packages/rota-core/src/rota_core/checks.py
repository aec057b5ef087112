"""System checks for rota-core's settings."""

import re
from typing import Any

from django.core.checks import CheckMessage, Error, register

from .conf import SETTING_NAMES, app_settings

MINIMUM = {"NUM_PROXIES": 0}  # the others must be at least 1
RATE = re.compile(r"[1-9][0-9]*/(s|sec|second|m|min|minute|h|hour|d|day)")  # as DRF reads it


@register()
def check_settings(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    errors: list[CheckMessage] = []
    for name in SETTING_NAMES:
        value = getattr(app_settings, name)
        minimum = MINIMUM.get(name, 1)
        if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
            errors.append(
                Error(
                    f"{app_settings.prefix}{name} must be a whole number of at least "
                    f"{minimum}, not {value!r}.",
                    id="rota_core.E001",
                )
            )
    rate = app_settings.WRITE_RATE
    if rate is not None and not (isinstance(rate, str) and RATE.fullmatch(rate)):
        errors.append(
            Error(
                f'{app_settings.prefix}WRITE_RATE must be None or like "120/minute" '
                f"(a whole number per second, minute, hour or day), not {rate!r}.",
                id="rota_core.E002",
            )
        )
    return errors
