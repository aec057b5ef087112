"""``rota rotate``: one rotation sweep in the foreground (a cron fallback, and for tests)."""

from django.core.management.base import BaseCommand
from django.utils import timezone

from rota_core.models import Person
from rota_scheduling.models import Rota
from rota_scheduling.services import announce_started_overrides, rotate_due


class Command(BaseCommand):
    help = "Store every due handoff now and print what was stored."

    def handle(self, *args, **options):
        now = timezone.now()
        result = rotate_due(now=now, on_stored=self._print_batch, collect=False)
        overrides = announce_started_overrides(now=now)
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored {result.stored} shift(s) for {result.rotas} rota(s); "
                f"{overrides} override(s) started."
            )
        )
        for rota_id in result.failed:
            self.stderr.write(f"rota {rota_id} failed and stays due (see the log)")

    def _print_batch(self, shifts) -> None:
        names = dict(
            Person.objects.filter(id__in={s.person_id for s in shifts}).values_list("id", "name")
        )
        rotas = dict(
            Rota.objects.filter(id__in={s.rota_id for s in shifts}).values_list("id", "name")
        )
        for shift in shifts:
            self.stdout.write(
                f"{rotas[shift.rota_id]}: {names[shift.person_id]} from "
                f"{shift.starts_at:%Y-%m-%d %H:%M}Z to {shift.ends_at:%Y-%m-%d %H:%M}Z"
                + (" (conflict)" if shift.conflict else "")
            )
