"""Helpers for tests that drive the rota API (used by this app's tests; a host site may too)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from django.utils import timezone


def anchor(ago: timedelta) -> datetime:
    """An instant ``ago`` before now, to the minute (a handoff instant a test can pin)."""
    return (timezone.now() - ago).astimezone(UTC).replace(second=0, microsecond=0)


def weekly_rota_body(people: Iterable, *, first: datetime, name: str = "Ops", **extra) -> dict:
    """The POST body of a weekly UTC rota whose first handoff B_0 is ``first``."""
    return {
        "name": name,
        "cadence": "weekly",
        "timezone": "UTC",
        "starts_on": first.date().isoformat(),
        "handoff_time": first.strftime("%H:%M"),
        "members": [p.pk for p in people],
        **extra,
    }


def create_weekly_rota(client, people: Iterable, *, first: datetime, **fields) -> dict:
    """POST ``weekly_rota_body`` through ``client``; the created rota as the API answers it."""
    response = client.post("/api/v1/rotas/", weekly_rota_body(people, first=first, **fields))
    assert response.status_code == 201, response.json()
    return response.json()
