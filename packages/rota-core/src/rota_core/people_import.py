"""Importing people from CSV: every row is validated before anything is written."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from django.db import transaction

from .api.serializers import PersonSerializer
from .models import Person
from .services import person_create

REQUIRED_COLUMNS = ("name", "email")
OPTIONAL_COLUMNS = ("timezone", "notify_email", "is_active")

T = TypeVar("T")
Progress = Callable[[Iterable[T], str, int], Iterable[T]]


def no_progress(items: Iterable[T], description: str, total: int) -> Iterable[T]:
    return items


@dataclass(frozen=True)
class RowError:
    row: int  # 1 is the header, as in a spreadsheet
    field: str
    message: str

    def __str__(self) -> str:
        return f"row {self.row}: {self.field}: {self.message}"


@dataclass
class ImportResult:
    created: list[Person] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)


def people_import_csv(
    *, rows: Iterable[Sequence[str]], progress: Progress = no_progress
) -> ImportResult:
    """Create the people of a CSV file, given as ``csv.reader`` rows including the header.

    Columns: name, email, and optionally timezone, notify_email, is_active (blank cells take
    the defaults). Every row is validated as the people API would, emails also against
    the other rows (ignoring case). If any row is bad nothing is written and ``errors``
    lists them all; otherwise all people are created in one transaction.
    """
    rows = list(rows)
    if not rows:
        return ImportResult(errors=[RowError(1, "header", "the file is empty")])
    columns = [name.strip().lower() for name in rows[0]]
    header_errors = _header_errors(columns)
    if header_errors:
        return ImportResult(errors=header_errors)

    errors: list[RowError] = []
    valid: list[dict[str, Any]] = []
    first_row_of_email: dict[str, int] = {}
    for number, values in progress(enumerate(rows[1:], start=2), "Validating", len(rows) - 1):
        if not any(value.strip() for value in values):
            continue  # blank line
        if len(values) != len(columns):
            message = f"expected {len(columns)} values, found {len(values)}"
            errors.append(RowError(number, "row", message))
            continue
        data = {col: value.strip() for col, value in zip(columns, values, strict=True)}
        data = {col: value for col, value in data.items() if value or col in REQUIRED_COLUMNS}
        serializer = PersonSerializer(data=data)
        if not serializer.is_valid():
            errors.extend(_row_errors(number, serializer.errors))
            continue
        email_key = serializer.validated_data["email"].lower()  # as the database compares
        if email_key in first_row_of_email:
            message = f"the same email as row {first_row_of_email[email_key]}"
            errors.append(RowError(number, "email", message))
            continue
        first_row_of_email[email_key] = number
        valid.append(serializer.validated_data)

    if errors:
        return ImportResult(errors=errors)
    with transaction.atomic():
        created = [person_create(**data) for data in progress(valid, "Creating", len(valid))]
    return ImportResult(created=created)


def _header_errors(columns: list[str]) -> list[RowError]:
    errors = [
        RowError(1, "header", f"missing column '{name}'")
        for name in REQUIRED_COLUMNS
        if name not in columns
    ]
    known = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
    errors += [
        RowError(1, "header", f"unknown column '{name}'") for name in columns if name not in known
    ]
    errors += [
        RowError(1, "header", f"column '{name}' appears twice")
        for name in sorted(set(columns))
        if columns.count(name) > 1
    ]
    return errors


def _row_errors(number: int, errors: dict[str, Any]) -> list[RowError]:
    return [
        RowError(number, field_name, str(message))
        for field_name, messages in errors.items()
        for message in messages
    ]
