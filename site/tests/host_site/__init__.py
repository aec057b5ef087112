"""A host site with its own ``REST_FRAMEWORK`` that installs the Rota Round apps.

Its checks (``api_checks.py``) run in a child pytest with ``DJANGO_SETTINGS_MODULE=
host_site.settings``, started by ``site/tests/test_host_site.py``: DRF reads its settings when
the view classes are created, so only a process of its own configures them honestly.
"""
