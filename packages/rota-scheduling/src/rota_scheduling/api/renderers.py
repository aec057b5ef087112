"""CSV for the stats endpoint (``?format=csv``): one row per person."""

import csv
import io

from rest_framework.renderers import BaseRenderer


class CSVRenderer(BaseRenderer):
    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None) -> bytes:
        out = io.StringIO()
        writer = csv.writer(out)
        if isinstance(data, list):
            writer.writerow(["person_id", "person", "shifts", "hours", "passed_over"])
            for row in data:
                person = row["person"] or {}
                writer.writerow(
                    [person.get("id"), person.get("name"), row["shifts"], row["hours"],
                     row["passed_over"]]
                )  # fmt: skip
        else:  # an error body: keep it readable
            for key, value in (data or {}).items():
                writer.writerow([key, value])
        return out.getvalue().encode(self.charset)
