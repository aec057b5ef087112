"""Many rotas fast: one rota made by ``rota_create``, the rest cloned from its stored state.

Building thousands of rotas through the services would take minutes, so the first rota goes
through ``rota_create`` (so its state is exactly what the service stores) and the others copy
its row values with their own people substituted position by position, in bulk.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from rota_core.models import Person
from rota_scheduling.adapters import rota_recurrence
from rota_scheduling.models import Membership, Rota, Shift, new_calendar_token
from rota_scheduling.services import rota_create

ZONE = "Europe/London"
BATCH = 1000
# Fields the clones get their own values for; the rest are copied from the first rota.
OWN_FIELDS = {"id", "name", "slug", "calendar_token", "current_shift", "cycle_person"}


@dataclass(frozen=True)
class Seeded:
    rota_ids: list[int]
    people: int


def seed_rotas(
    *,
    count: int,
    members: int = 5,
    due: bool,
    webhook_url: str | None = None,
    prefix: str = "Bench",
    zone: str = ZONE,
) -> Seeded:
    """``count`` active daily rotas of ``members`` people each (their own people, with email
    addresses), each with its current shift stored.

    ``due``: one handoff has passed and is not stored yet (the next sweep stores exactly one
    shift per rota); otherwise the next handoff is about two hours ahead. ``webhook_url``: one
    active subscription per rota to that URL, for every event kind.
    """
    tz = ZoneInfo(zone)
    real_now = timezone.now()
    # Handoffs at a whole minute, an hour ago (due) or two hours ahead (not due).
    anchor = (real_now + (timedelta(hours=-1) if due else timedelta(hours=2))).replace(
        second=0, microsecond=0
    )
    local = anchor.astimezone(tz)
    fields = {
        "name": f"{prefix} 000000",
        "cadence": "daily",
        "timezone": zone,
        "starts_on": local.date() - timedelta(days=3),
        "handoff_time": local.time().replace(tzinfo=None),
    }
    people = _people(count * members, prefix=prefix)
    with transaction.atomic():
        if due:
            # Created just after boundary 2, so boundary 3 (an hour ago) is the missed one.
            probe = Rota(**fields, interval=1)
            created = rota_recurrence(probe).boundary(2) + timedelta(minutes=1)
        else:
            created = real_now
        template = rota_create(fields=fields, members=people[:members], now=created)
        template.refresh_from_db()
        clones = _clone(template, people, count - 1, members=members, prefix=prefix)
        ids = [template.pk, *(rota.pk for rota in clones)]
        if webhook_url:
            _subscribe(ids, webhook_url)
    if due:
        assert template.next_handoff_at <= real_now, "the seeded rotas must be due"
    else:
        assert template.next_handoff_at > real_now, "the seeded rotas must not be due"
    return Seeded(rota_ids=ids, people=len(people))


def _people(n: int, *, prefix: str) -> list[int]:
    tag = prefix.lower().replace(" ", "-")
    made = Person.objects.bulk_create(
        (
            Person(name=f"{prefix} person {i:06d}", email=f"{tag}-{i:06d}@bench.example")
            for i in range(n)
        ),
        batch_size=BATCH,
    )
    return [p.pk for p in made]


def _clone(template: Rota, people: list[int], copies: int, *, members: int, prefix: str):
    order = list(template.memberships.order_by("position").values_list("person_id", flat=True))
    position_of = {pid: i for i, pid in enumerate(order)}
    values = {
        f.attname: getattr(template, f.attname)
        for f in Rota._meta.concrete_fields
        if f.name not in OWN_FIELDS
    }
    shift = template.current_shift

    def own(n: int, person_id):  # the person at the same position in clone n
        return None if person_id is None else people[n * members + position_of[person_id]]

    rotas = []
    for n in range(1, copies + 1):
        rota = Rota(
            **values,
            name=f"{prefix} {n:06d}",
            slug=f"{prefix.lower().replace(' ', '-')}-{n:06d}",
            calendar_token=new_calendar_token(),
            cycle_person_id=own(n, template.cycle_person_id),
        )
        rota.owed = [own(n, pid) for pid in template.owed]
        rotas.append(rota)
    rotas = Rota.objects.bulk_create(rotas, batch_size=BATCH)
    Membership.objects.bulk_create(
        (
            Membership(rota=rota, person_id=people[n * members + position], position=position)
            for n, rota in enumerate(rotas, start=1)
            for position in range(len(order))
        ),
        batch_size=BATCH,
    )
    if shift is not None:
        shifts = Shift.objects.bulk_create(
            (
                Shift(
                    rota=rota,
                    person_id=own(n, shift.person_id),
                    starts_at=shift.starts_at,
                    ends_at=shift.ends_at,
                    boundary=shift.boundary,
                    source=shift.source,
                    conflict=shift.conflict,
                    passed_over=[own(n, pid) for pid in shift.passed_over],
                )
                for n, rota in enumerate(rotas, start=1)
            ),
            batch_size=BATCH,
        )
        for rota, copied in zip(rotas, shifts, strict=True):
            rota.current_shift = copied
        Rota.objects.bulk_update(rotas, ["current_shift"], batch_size=BATCH)
    return rotas


def _subscribe(rota_ids: list[int], url: str) -> None:
    from rota_notifications.models import WebhookSubscription, all_kinds

    WebhookSubscription.objects.bulk_create(
        (WebhookSubscription(rota_id=rota_id, url=url, events=all_kinds()) for rota_id in rota_ids),
        batch_size=BATCH,
    )


def signed_in_user(username: str = "bench"):
    """A superuser to sign the test client or the load generator in with."""
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    user, _ = user_model.objects.get_or_create(
        username=username, defaults={"is_staff": True, "is_superuser": True}
    )
    return user


def utc(value: datetime) -> datetime:
    return value.astimezone(UTC)
