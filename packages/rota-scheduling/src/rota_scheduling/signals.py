"""Events other apps react to (rota-notifications connects receivers in its AppConfig.ready).

Every signal is sent inside the transaction that causes it, so receivers that write (for
example an outbox row) commit or roll back together with the cause. Receivers must not
assume they run only once per event: a replay carries the same arguments, and receivers
deduplicate on them.
"""

from django.dispatch import Signal

shift_started = Signal()
"""A shift began: sent once per rota per sweep, for the latest stored shift only, and when a
rota starts or is advanced by hand.

Arguments: ``sender`` (Rota class), ``rota`` (Rota), ``shift`` (Shift, the stored shift),
``person`` (Person on duty now: the covering person when an override is in force at the start,
else the shift's person), ``override`` (Override or None), ``batch`` (None, or a token when
the sweep sends it for one rota of a batch: ``sweep_batch_stored`` with the same token follows
once the batch is complete, still inside its transaction, so a receiver may buffer and write
in bulk then; a batch that fails is rolled back and its token never completes).
"""

sweep_batch_stored = Signal()
"""The sweep stored a batch of handoffs and sent ``shift_started(batch=token)`` for each;
sent inside the batch's transaction, after the last of them.

Arguments: ``sender`` (Rota class), ``batch`` (the token its ``shift_started`` carried),
``rotas`` (the number of rotas announced in the batch).
"""

shift_upcoming = Signal()
"""Reminder: ``reminder_minutes`` before a handoff, once per (rota, handoff).

Arguments: ``sender`` (Rota class), ``rota``, ``starts_at`` (datetime, UTC: the handoff),
``ends_at`` (datetime or None), ``person`` (Person who will be on duty at the handoff).
"""

override_started = Signal()
"""An override's interval began (sent once per override, by the sweep or on creation).

Arguments: ``sender`` (Rota class), ``rota``, ``override`` (Override), ``person`` (covering
Person).
"""

schedule_changed = Signal()
"""An edit changed who holds a shift in the next 14 days.

Arguments: ``sender`` (Rota class), ``rota``, ``changes`` (dict: person id -> {"before":
[(start, end), ...], "after": [(start, end), ...]}, only people whose own turns changed;
datetimes UTC), ``window`` ((start, end) the compared window), ``cause`` (str: "members",
"definition", "unavailability", "override", "advance", "activation").
"""
