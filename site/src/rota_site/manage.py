"""The ``rota`` console script: Django's manage.py for the Rota Round site."""

import os
import sys


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rota_site.settings.base")
    from django.core.management import execute_from_command_line

    argv = list(sys.argv)
    # Commands read better with dashes (`rota import-people`); Django modules use underscores.
    if len(argv) > 1 and not argv[1].startswith("-"):
        argv[1] = argv[1].replace("-", "_")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
