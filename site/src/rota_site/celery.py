"""The Celery application: configured from Django settings (``CELERY_*``), tasks autodiscovered."""

import os

from celery import Celery

from .beat_heartbeat import connect_beat_heartbeat
from .kombu_fix import guard_detached_redis_channels

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rota_site.settings.base")

app = Celery("rota_site")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
connect_beat_heartbeat()  # beat's container health check (compose.yml)
guard_detached_redis_channels()  # a Redis outage during a task must not end the worker
