"""Signals rota-core sends for other apps to extend it.

Connect receivers in your ``AppConfig.ready()``.
"""

from django.dispatch import Signal

me_extra = Signal()
"""Sent while building the ``auth/me/`` (and successful ``auth/login/``) response.

Arguments:

- ``sender``: always ``None``.
- ``request``: the DRF ``Request`` being answered.
- ``user``: the signed-in user the response describes.

Each receiver returns a dict (or ``None``); the dicts are merged into the top level of the
response, so use keys that cannot clash with ``user``, ``person`` and ``permissions``, e.g.
``{"unread_notifications": 3}``. A receiver that raises fails the request: keep them cheap.
"""
