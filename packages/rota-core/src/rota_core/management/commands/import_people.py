import csv
from collections.abc import Iterable
from pathlib import Path
from typing import Any, TypeVar

from django.core.management.base import BaseCommand, CommandError, CommandParser
from tqdm import tqdm

from rota_core.people_import import people_import_csv

T = TypeVar("T")


class Command(BaseCommand):
    help = (
        "Create people from a CSV file with a header row: name,email and optionally "
        "timezone,notify_email,is_active. Every row is checked first; if any is bad, the "
        "errors are listed and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path, help="CSV file (UTF-8, header row first)")
        parser.add_argument("--no-progress", action="store_true", help="do not draw progress bars")

    def handle(self, *args: Any, file: Path, no_progress: bool, **options: Any) -> None:
        def progress(items: Iterable[T], description: str, total: int) -> Iterable[T]:
            # The raw stream: OutputWrapper would end every redraw with a newline.
            stream = getattr(self.stderr, "_out", self.stderr)
            return tqdm(items, desc=description, total=total, file=stream, disable=no_progress)

        try:
            with file.open(newline="", encoding="utf-8-sig") as handle:
                result = people_import_csv(rows=csv.reader(handle), progress=progress)
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror or exc}") from exc
        except (UnicodeDecodeError, csv.Error) as exc:
            raise CommandError(f"{file} is not a readable UTF-8 CSV file: {exc}") from exc

        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{len(result.errors)} error(s) in {file}; nothing was imported.")
        count = len(result.created)
        self.stdout.write(f"Created {count} {'person' if count == 1 else 'people'}.")
