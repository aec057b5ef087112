"""Signals rota-core sends for other apps to extend it.

Connect receivers in your ``AppConfig.ready()``.
"""

from django.dispatch import Signal

me_extra = Signal()
"""Sent while building the ``auth/me/`` (and successful ``auth/login/``) response.

Arguments:

- ``sender``: always ``None``.
- ``request``: the DRF ``Request`` being answered.
- ``user``: the signed-in user the response describes.

Each receiver returns a dict (or ``None``); the dicts are merged into the top level of the
response, so use keys that cannot clash with ``user``, ``person`` and ``permissions``, e.g.
``{"unread_notifications": 3}``. A receiver that raises fails the request: keep them cheap.
"""

availability_changing = Signal()
"""Who is available is about to change: sent by rota-core's services just before they write
leave (``Unavailability``), switch a person on or off, or delete people.

Arguments:

- ``sender``: the model written, ``Person`` or ``Unavailability``.
- ``person_ids``: ``frozenset`` of the ids of the people whose availability the write can
  change (leave moved from one person to another names both; never empty).
- ``cause``: ``"leave"`` (unavailability created, changed or deleted), ``"activation"``
  (``is_active`` switched either way) or ``"deletion"`` (the people are deleted).

A receiver returns a snapshot of whatever it will compare afterwards (or ``None``); rota-core
never looks into it and hands it back in ``availability_changed(snapshots=...)``. Sent
inside the transaction of the write (the service opens one), before the write: the database
still holds the old rows. Keep receivers to reads: the write follows.
"""

availability_changed = Signal()
"""Who is available has changed: sent by the same service call, right after its write.

Arguments:

- ``sender``, ``person_ids``, ``cause``: as in ``availability_changing``.
- ``deleted_person_ids``: ``frozenset`` of the people this write deleted (empty unless
  ``cause`` is ``"deletion"``): they are gone from the database, say nothing to them.
- ``snapshots``: dict mapping each ``availability_changing`` receiver (the function) to what
  it returned; a receiver finds its own "before" under its ``availability_changing`` receiver.

Sent inside the same transaction as the write, so what receivers write commits or rolls back
with it. Never replayed by rota-core; a service call repeated with the same data sends both
signals again, with equal before and after states.

Only the services in ``rota_core.services`` send these two signals (the API, the admin and
``import_people`` go through them). A raw ``Person.save()``, ``Unavailability.save()`` or
``QuerySet.delete()`` announces nothing: code that writes these rows must call the services.
"""
