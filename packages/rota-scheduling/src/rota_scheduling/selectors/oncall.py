"""Who is on call on every active rota, as plain rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from django.db.models import Q

from ..models import Rota
from .on_duty import holders_at


@dataclass(frozen=True)
class OnCall:
    """A row of who is on call: the rota, and who holds it (with their name) at the instant."""

    rota_id: int
    rota_name: str
    rota_slug: str
    person_id: int | None
    person_name: str | None
    starts_at: datetime | None
    ends_at: datetime | None
    source: str


class _RotaRow(NamedTuple):
    id: int
    name: str
    slug: str
    next_handoff_at: datetime | None
    is_active: bool = True


def oncall_at(*, at: datetime) -> list[OnCall]:
    """One row per active rota, by name, with who is on duty at ``at``. Reads plain rows
    (no model instances, no id lists) unless some rota must be projected."""
    active = Rota.objects.filter(is_active=True)
    rotas = [_RotaRow(*row) for row in active.values_list("id", "name", "slug", "next_handoff_at")]
    instants = dict.fromkeys((rota.id for rota in rotas), at)
    holders = holders_at(rotas=rotas, at=instants, scope=Q(rota__is_active=True))
    return [
        OnCall(
            rota.id, rota.name, rota.slug, holder.person_id, holder.person_name,
            holder.starts_at, holder.ends_at, holder.source,
        )
        for rota in rotas
        for holder in (holders[rota.id],)
    ]  # fmt: skip
