"""WSGI entry point (gunicorn ``rota_site.wsgi:application``)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rota_site.settings.base")

application = get_wsgi_application()
