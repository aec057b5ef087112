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
        else:  # an error body: one "field,message" row per message
            for key, value in (data or {}).items():
                for message in value if isinstance(value, list) else [value]:
                    writer.writerow([key, str(message)])
        return out.getvalue().encode(self.charset)
