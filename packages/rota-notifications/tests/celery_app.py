"""The Celery app of the standalone test settings (a site normally provides its own)."""

from celery import Celery

app = Celery("rota_notifications_tests")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
