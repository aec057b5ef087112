"""A file Celery beat touches while it works, for the container health check of ``beat``.

Beat has no endpoint to probe. With ``ROTA_BEAT_HEARTBEAT_FILE`` set, beat touches that file
when it starts and every time it sends a task to the broker. "Rotate due rotas" is sent every
minute, so a file older than a few minutes means beat is stuck, or cannot reach the broker or
the database (compose.yml's ``beat`` health check allows 180 s). Only the beat process
connects the receiver; the web server and workers never touch the file.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path

from celery.signals import after_task_publish, beat_init

logger = logging.getLogger(__name__)

ENV_VAR = "ROTA_BEAT_HEARTBEAT_FILE"


def touch_heartbeat(**kwargs) -> None:
    path = os.environ.get(ENV_VAR)
    if not path:
        return
    try:
        Path(path).touch()
    except OSError as exc:  # a health-check aid must never stop beat
        logger.warning("could not touch the beat heartbeat file %s: %s", path, exc)


def _on_beat_init(sender=None, **kwargs) -> None:
    if not os.environ.get(ENV_VAR):
        return
    touch_heartbeat()
    after_task_publish.connect(touch_heartbeat, weak=False, dispatch_uid="rota_site.heartbeat")


def connect_beat_heartbeat() -> None:
    beat_init.connect(_on_beat_init, weak=False, dispatch_uid="rota_site.heartbeat.init")
