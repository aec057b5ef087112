"""Events other apps react to (rota-notifications connects receivers in its AppConfig.ready).

Every signal is sent inside the transaction that causes it, so receivers that write (for
example an outbox row) commit or roll back together with the cause. Receivers must not
assume they run only once per event: a replay carries the same arguments, and receivers
deduplicate on them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from django.dispatch import Signal

if TYPE_CHECKING:
    from rota_core.models import Person

    from .models import Override, Rota, Shift, Swap


class ShiftStart(NamedTuple):
    """One item of ``shifts_started``: a rota's latest stored shift began."""

    rota: Rota
    shift: Shift
    person: Person | None
    override: Override | None
    swap: Swap | None = None


shifts_started = Signal()
"""Shifts began: one ``ShiftStart(rota, shift, person, override, swap)`` per rota, for the latest
shift the rota stored only. ``shift`` is the stored shift (it keeps the rotation's holder: the
history of the rotation); ``person`` is who is on duty now: the covering person when an
override is in force at the shift's start (``override``, else None), else the shift's person;
then, when a taken swap of that person covers the shift's start (``swap``, else None), the
swap's taker. Receivers notify ``person``; it is None when an override of nobody is in
force (nobody is on duty: there is no one to tell).

Sent by the sweep once per batch, carrying every rota of the batch that stored a shift, after
the batch is stored and inside the batch's transaction (a batch that fails is rolled back and
has sent nothing that stays). Sent with one item when a rota starts, is advanced by hand,
stores a handoff the sweep had not stored yet before an edit or a time-zone change, and when
the sweep redoes a failed batch rota by rota (then inside that rota's savepoint). Receivers
may write in bulk from the items: nothing to buffer, no closing signal.

Arguments: ``sender`` (Rota class), ``starts`` (list of ``ShiftStart``, never empty, one per
rota). A replay carries the same shifts: receivers deduplicate on ``shift.pk``.
"""

shift_upcoming = Signal()
"""Reminder: ``reminder_minutes`` before a handoff, once per (rota, handoff).

Arguments: ``sender`` (Rota class), ``rota``, ``starts_at`` (datetime, UTC: the handoff),
``ends_at`` (datetime or None), ``person`` (Person who will be on duty at the handoff).
"""

override_started = Signal()
"""An override's interval began (sent once per override, by the sweep or on creation).

Arguments: ``sender`` (Rota class), ``rota``, ``override`` (Override), ``person`` (covering
Person). Not sent for an override of nobody (``person`` null): there is no one to tell.
"""

schedule_changed = Signal()
"""An edit changed who holds a shift in the next 14 days.

Arguments: ``sender`` (Rota class), ``rota``, ``changes`` (dict: person id -> {"before":
[(start, end), ...], "after": [(start, end), ...]}, only people whose own turns changed;
datetimes UTC), ``window`` ((start, end) the compared window), ``cause`` (str: "members",
"definition", "unavailability", "override", "advance", "activation").
"""

swap_requested = Signal()
"""A swap (cover) request was made: the rota's other active members may take it.

Arguments: ``sender`` (Rota class), ``rota``, ``swap`` (Swap, with ``requester``).
Sent once per swap, inside the transaction that creates it.
"""

swap_taken = Signal()
"""A swap was taken: ``swap.taker`` holds the requester's duty in its window from now on.

Arguments: ``sender`` (Rota class), ``rota``, ``swap`` (Swap, with ``requester`` and ``taker``).
Sent once per swap (a swap is taken at most once), inside the transaction that takes it.
"""

swap_cancelled = Signal()
"""A swap was cancelled (open or taken: a taken one gives the duty back to the requester).

Arguments: ``sender`` (Rota class), ``rota``, ``swap`` (Swap; ``swap.taker`` is None if
nobody had taken it). Sent once per swap, inside the transaction that cancels it.
"""

swap_taker_unavailable = Signal()
"""Leave or a deactivation written after a swap was taken makes its taker unavailable inside
the swap's window (the swapped time shows ``conflict: true``): the requester should know.

Arguments: ``sender`` (Rota class), ``rota``, ``swap`` (Swap, with ``requester`` and
``taker``). Sent by rota-core's availability writes (inside their transaction) for each taken,
not cancelled swap of the person that has not ended; a later write sends it again, and
receivers deduplicate on ``swap.pk``.
"""
