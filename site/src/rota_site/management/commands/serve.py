"""``rota serve [--demo] [--bind HOST:PORT]``: the whole backend in the foreground."""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from rota_site.processes import Supervisor, celery_beat, celery_worker, web_server


class Command(BaseCommand):
    help = (
        "Migrate, register the periodic tasks, optionally load demo data, then run the web "
        "server, a Celery worker and beat together until Ctrl-C or SIGTERM."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--demo", action="store_true", help="load demo people, rotas, superuser"
        )
        parser.add_argument(
            "--bind", default="127.0.0.1:8000", help="HOST:PORT (default %(default)s)"
        )

    def handle(self, *args, demo: bool, bind: str, **options):
        if demo and not settings.DEBUG:
            raise CommandError("--demo is for development only and is refused when DEBUG is off.")
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        if demo:
            from rota_site.demo import load_demo

            login = load_demo()
            self.stdout.write(
                self.style.WARNING(
                    f"Demo superuser (dev only): {login.username} / {login.password}  "
                    f"— admin at http://{bind}/admin/"
                )
            )
        self.stdout.write(
            f"Serving on http://{bind}/ (API /api/v1/, docs /api/docs/); Ctrl-C stops."
        )
        self.stdout.flush()
        code = Supervisor([web_server(bind), celery_worker(), celery_beat()], log=self._log).run()
        if code:
            raise CommandError(f"a child process exited with status {code}")

    def _log(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()
