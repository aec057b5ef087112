"""The admin's schedule preview: who is on duty over a window ops choose, in the rota's zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django import forms
from django.utils import timezone

from rota_core.models import Person

from .models import Rota
from .selectors import rota_segments

WEEKDAY_CHOICES = [
    (0, "Mon"), (1, "Tue"), (2, "Wed"), (3, "Thu"), (4, "Fri"), (5, "Sat"), (6, "Sun"),
]  # fmt: skip
DEFAULT_WEEKS = 8
MAX_WEEKS = 52


class PreviewWindowForm(forms.Form):
    """``?preview_from=YYYY-MM-DD&preview_weeks=N`` on the rota's change page. A bad value is
    shown next to its field and the default window is used instead."""

    preview_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    preview_weeks = forms.IntegerField(
        label="Weeks", required=False, min_value=1, max_value=MAX_WEEKS,
        widget=forms.NumberInput(attrs={"style": "width: 5em"}),
    )  # fmt: skip

    def __init__(self, *args, zone: ZoneInfo, **kwargs):
        super().__init__(*args, **kwargs)
        self.zone = zone
        for field in self.fields.values():  # the inputs sit inside the rota's own form
            field.widget.attrs["form"] = "schedule-preview-window"

    def window(self) -> tuple[datetime, datetime]:
        """[start, end) in UTC: midnight of the first day in the rota's zone (now when no day
        is given), for the chosen number of weeks."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        first_day: date | None = data.get("preview_from")
        weeks = data.get("preview_weeks") or DEFAULT_WEEKS
        if first_day is None:
            start = timezone.now()
            end = start + timedelta(weeks=weeks)
        else:
            start = datetime.combine(first_day, time(0), tzinfo=self.zone)
            end = datetime.combine(first_day + timedelta(weeks=weeks), time(0), tzinfo=self.zone)
        return start, end


@dataclass(frozen=True)
class PreviewRow:
    starts_at: datetime
    ends_at: datetime
    person: str
    source: str
    conflict: bool


@dataclass(frozen=True)
class SchedulePreview:
    zone: str
    starts_at: datetime
    ends_at: datetime
    rows: list[PreviewRow]


def schedule_preview(*, rota: Rota, window: PreviewWindowForm) -> SchedulePreview:
    start, end = window.window()
    segments = rota_segments(rota=rota, start=start, end=end)
    names = dict(
        Person.objects.filter(id__in={seg.person for seg in segments}).values_list("id", "name")
    )
    zone = window.zone
    rows = [
        PreviewRow(
            starts_at=seg.start.astimezone(zone),
            ends_at=seg.end.astimezone(zone),
            person=names.get(seg.person, "nobody"),
            source=seg.source,
            conflict=seg.conflict,
        )
        for seg in segments
    ]
    return SchedulePreview(
        zone=str(zone.key), starts_at=start.astimezone(zone), ends_at=end.astimezone(zone),
        rows=rows,
    )  # fmt: skip
