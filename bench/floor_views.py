"""The floors of the API benchmarks: plain Django views answering the same JSON from
``.values()`` rows, with the same session sign-in check, and nothing else.

They trust the stored rotation state (the current shift, the cycle position) where the API
also checks overrides, availability and a sweep that is late; with the benchmark's data both
give the same answer (the benchmarks check that), so the difference is the cost of the API's
generality: DRF, serializers, the selectors and the schedule engine.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Q
from django.http import JsonResponse
from django.utils import timezone

from rota_core.api.fields import utc_iso
from rota_scheduling.models import Membership, Rota, Shift

NOT_SIGNED_IN = {"detail": "Authentication credentials were not provided."}


def _person(person_id, name):
    return None if person_id is None else {"id": person_id, "name": name}


def oncall_floor(request):
    """``/api/v1/oncall/`` from one query: the stored shifts covering now, active rotas."""
    if not request.user.is_authenticated:
        return JsonResponse(NOT_SIGNED_IN, status=403)
    now = timezone.now()
    rows = (
        Shift.objects.filter(rota__is_active=True, starts_at__lte=now)
        .filter(Q(ends_at__gt=now) | Q(ends_at__isnull=True))
        .order_by("rota__name")
        .values(
            "rota_id", "rota__name", "rota__slug", "person_id", "person__name",
            "starts_at", "ends_at", "source",
        )
    )  # fmt: skip
    return JsonResponse(
        [
            {
                "rota": {
                    "id": row["rota_id"],
                    "name": row["rota__name"],
                    "slug": row["rota__slug"],
                },
                "person": _person(row["person_id"], row["person__name"]),
                "starts_at": utc_iso(row["starts_at"]),
                "ends_at": utc_iso(row["ends_at"]),
                "source": row["source"],
            }
            for row in rows
        ],
        safe=False,
    )


ROTA_FIELDS = (
    "id", "name", "slug", "description", "timezone", "cadence", "interval", "starts_on",
    "handoff_time", "weekdays", "skip_policy", "reminder_minutes", "is_active",
    "calendar_token", "next_handoff_at", "cycle_index", "created_at", "updated_at",
    "current_shift__person_id", "current_shift__person__name", "current_shift__starts_at",
    "current_shift__ends_at", "current_shift__source", "current_shift__conflict",
)  # fmt: skip


def rotas_floor(request):
    """``/api/v1/rotas/?page_size=50`` from three queries: count, the page, its members."""
    if not request.user.is_authenticated:
        return JsonResponse(NOT_SIGNED_IN, status=403)
    size = min(int(request.GET.get("page_size", 50)), 200)
    page = int(request.GET.get("page", 1))
    rotas = Rota.objects.order_by("name")
    count = rotas.count()
    rows = list(rotas.values(*ROTA_FIELDS)[(page - 1) * size : page * size])
    members = defaultdict(list)
    for rota_id, person_id, name in (
        Membership.objects.filter(rota_id__in=[row["id"] for row in rows])
        .order_by("rota_id", "position")
        .values_list("rota_id", "person_id", "person__name")
    ):
        members[rota_id].append((person_id, name))
    base = request.build_absolute_uri(request.path)
    return JsonResponse(
        {
            "count": count,
            "next": f"{base}?page={page + 1}&page_size={size}" if page * size < count else None,
            "previous": f"{base}?page={page - 1}&page_size={size}" if page > 1 else None,
            "results": [_rota_row(request, row, members[row["id"]]) for row in rows],
        }
    )


def _rota_row(request, row: dict, members: list[tuple[int, str]]) -> dict:
    current = None
    if row["current_shift__person_id"] is not None:
        current = {
            "person": _person(row["current_shift__person_id"], row["current_shift__person__name"]),
            "starts_at": utc_iso(row["current_shift__starts_at"]),
            "ends_at": utc_iso(row["current_shift__ends_at"]),
            "source": row["current_shift__source"],
            "conflict": row["current_shift__conflict"],
        }
    upcoming = None
    if members and row["is_active"] and row["next_handoff_at"] is not None:
        person_id, name = members[(row["cycle_index"] + 1) % len(members)]
        upcoming = {
            "person": _person(person_id, name),
            "starts_at": utc_iso(row["next_handoff_at"]),
        }
    return {
        "id": row["id"],
        "name": row["name"],
        "slug": row["slug"],
        "description": row["description"],
        "timezone": row["timezone"],
        "cadence": row["cadence"],
        "interval": row["interval"],
        "starts_on": row["starts_on"].isoformat(),
        "handoff_time": row["handoff_time"].isoformat(),
        "weekdays": row["weekdays"] if row["cadence"] == "daily" else None,
        "skip_policy": row["skip_policy"],
        "reminder_minutes": row["reminder_minutes"],
        "is_active": row["is_active"],
        "members": [person_id for person_id, _ in members],
        "current": current,
        "next": upcoming,
        "next_handoff_at": utc_iso(row["next_handoff_at"]),
        "calendar_url": request.build_absolute_uri(f"/calendar/{row['calendar_token']}.ics"),
        "created_at": utc_iso(row["created_at"]),
        "updated_at": utc_iso(row["updated_at"]),
    }
