"""OpenAPI: what rota-notifications adds to other apps' answers, documented where it is added.

rota-core's ``auth/me/`` (and login) body gains ``unread_notifications`` through the
``me_extra`` signal (``receivers.unread_count``); this drf-spectacular postprocessing hook
adds it to the ``Me`` schema so the document describes the body the API really sends::

    SPECTACULAR_SETTINGS = {
        "POSTPROCESSING_HOOKS": [
            ...,
            "rota_notifications.api.schema.postprocess_me_extra",
        ],
    }
"""

from typing import Any

UNREAD_NOTIFICATIONS = {
    "type": "integer",
    "minimum": 0,
    "description": "In-app notifications of the signed-in user not yet read (rota-notifications).",
}


def postprocess_me_extra(result: dict[str, Any], generator, request, public) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: ``Me`` gains ``unread_notifications``."""
    me = result.get("components", {}).get("schemas", {}).get("Me")
    if me is not None:
        me.setdefault("properties", {})["unread_notifications"] = UNREAD_NOTIFICATIONS
        me["required"] = sorted({*me.get("required", []), "unread_notifications"})
    return result
