"""Demo data for ``rota serve --demo``: a superuser, a few people and rotas (dev only)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction

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
    """Rotas come with the scheduling app; nothing to do until it provides its services."""
