"""The Rota Round site: settings, URL configuration, Celery app and the ``rota`` command."""

from .celery import app as celery_app

__all__ = ["celery_app"]
