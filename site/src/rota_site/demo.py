"""Demo data for ``rota serve --demo``: a superuser, a few people and rotas (dev only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import time, timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

DEMO_USERNAME = "admin"
DEMO_PEOPLE = [
    ("Ada Lovelace", "ada@example.com"),
    ("Grace Hopper", "grace@example.com"),
    ("Alan Turing", "alan@example.com"),
    ("Katherine Johnson", "katherine@example.com"),
    ("Edsger Dijkstra", "edsger@example.com"),
]


@dataclass(frozen=True)
class DemoLogin:
    username: str
    password: str


@transaction.atomic
def load_demo() -> DemoLogin:
    """Create (or refresh) the demo superuser and people; safe to run again."""
    from rota_core.models import Person

    password = secrets.token_urlsafe(12)
    user, _ = get_user_model().objects.get_or_create(
        username=DEMO_USERNAME, defaults={"email": "admin@example.com"}
    )
    user.is_staff = user.is_superuser = True
    user.set_password(password)
    user.save()
    people = []
    for name, email in DEMO_PEOPLE:
        person = Person.objects.filter(email__iexact=email).first()
        if person is None:
            person = Person.objects.create(name=name, email=email)
        people.append(person)
    if not people[0].user_id:
        people[0].user = user
        people[0].save(update_fields=["user"])
    load_demo_rotas(people)
    return DemoLogin(DEMO_USERNAME, password)


def load_demo_rotas(people) -> None:
    """Three rotas over the demo people, created once (started at once, like any rota)."""
    from rota_scheduling.models import Rota
    from rota_scheduling.services import rota_create

    today = timezone.localdate()
    monday = today - timedelta(days=today.weekday())
    demo_rotas = [
        (
            {"name": "Platform on-call", "cadence": "weekly", "starts_on": monday,
             "handoff_time": time(9, 0), "timezone": "Europe/London"},
            people[:4],
        ),
        (
            {"name": "Support desk", "cadence": "daily", "starts_on": monday,
             "handoff_time": time(8, 30), "timezone": "America/New_York",
             "weekdays": [0, 1, 2, 3, 4], "skip_policy": "skip"},
            people[1:],
        ),
        (
            {"name": "Office chores", "cadence": "monthly", "starts_on": today.replace(day=1),
             "handoff_time": time(10, 0), "timezone": None, "reminder_minutes": None},
            people,
        ),
    ]  # fmt: skip
    for fields, members in demo_rotas:
        if not Rota.objects.filter(name__iexact=fields["name"]).exists():
            rota_create(fields=fields, members=[p.pk for p in members])
