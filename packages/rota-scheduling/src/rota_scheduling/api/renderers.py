"""CSV for the stats endpoint (``?format=csv``): one row per person."""

import csv
import io

from rest_framework.renderers import BaseRenderer

from rota_core.validators import CONTROL_CHARACTERS

# A spreadsheet runs a cell starting with one of these as a formula (OWASP "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@")


def safe_cell(value):
    """A text cell that a spreadsheet would run as a formula gets a leading ``'``, which makes
    it text again; numbers are left alone."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS) or CONTROL_CHARACTERS.match(value)
    ):
        return "'" + value
    return value


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)

        def write(cells: list) -> None:
            writer.writerow([safe_cell(cell) for cell in cells])

        if isinstance(data, list):
            write(["person_id", "person", "shifts", "hours", "passed_over"])
            for row in data:
                person = row["person"] or {}
                write(
                    [person.get("id"), person.get("name"), row["shifts"], row["hours"],
                     row["passed_over"]]
                )  # fmt: skip
        else:  # an error body: one "field,message" row per message
            for key, value in (data or {}).items():
                for message in value if isinstance(value, list) else [value]:
                    write([key, str(message)])
        return out.getvalue().encode(self.charset)
