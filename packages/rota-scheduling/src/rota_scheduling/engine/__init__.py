"""The schedule engine: pure Python, no ORM, so the API, tasks, admin and feeds share it.

recurrence  - handoff boundaries of a rota in its zone (RFC 5545 for gaps and overlaps)
availability - who can take a shift
assignment  - who takes the next shift (cycle, passed over, owed turns)
projection  - the shifts from a boundary onwards
segments    - a window's timeline with overrides laid on top, then taken swaps
"""

from .assignment import Assignment, CycleState, assign
from .availability import Availability, PersonId
from .projection import PlannedShift, project
from .recurrence import Recurrence, resolve_local
from .segments import Cover, Segment, Trade, apply_trades, build_segments

__all__ = [
    "Assignment",
    "Availability",
    "Cover",
    "CycleState",
    "PersonId",
    "PlannedShift",
    "Recurrence",
    "Segment",
    "Trade",
    "apply_trades",
    "assign",
    "build_segments",
    "project",
    "resolve_local",
]
