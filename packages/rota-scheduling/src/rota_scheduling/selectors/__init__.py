"""Reads: a rota's timeline (stored history, then projection), segments, on duty, stats."""

from .on_duty import (
    CURRENT_SHIFT,
    OnDuty,
    RotaNow,
    effective_next_handoff,
    holders_at,
    holders_for,
    rota_on_duty,
    rotas_for_api,
    rotas_now,
)
from .oncall import OnCall, oncall_at
from .person_shifts import person_segments
from .stats import PersonStats, rota_stats
from .timeline import (
    CHANGE_HORIZON,
    projection_start,
    rota_covers,
    rota_segments,
    rota_timeline,
    rota_trades,
    rotas_segments,
    turns_by_person,
)

__all__ = [
    "CHANGE_HORIZON",
    "CURRENT_SHIFT",
    "OnCall",
    "OnDuty",
    "PersonStats",
    "RotaNow",
    "effective_next_handoff",
    "holders_at",
    "holders_for",
    "oncall_at",
    "person_segments",
    "projection_start",
    "rota_covers",
    "rota_on_duty",
    "rota_segments",
    "rota_stats",
    "rota_timeline",
    "rota_trades",
    "rotas_for_api",
    "rotas_now",
    "rotas_segments",
    "turns_by_person",
]
