"""Announcing writes that change who is available (``availability_changing`` / ``_changed``)."""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Model

from .signals import availability_changed, availability_changing


@contextmanager
def availability_change(
    *, sender: type[Model], person_ids: Iterable[int | None], cause: str, deleting: bool = False
) -> Iterator[None]:
    """Run the write in the ``with`` block inside a transaction, between
    ``availability_changing`` and ``availability_changed`` for ``person_ids`` (``deleting``:
    the write deletes those people). With no person ids, just the transaction."""
    ids = frozenset(pid for pid in person_ids if pid is not None)
    with transaction.atomic():
        if not ids:
            yield
            return
        replies = availability_changing.send(sender=sender, person_ids=ids, cause=cause)
        yield
        availability_changed.send(
            sender=sender,
            person_ids=ids,
            cause=cause,
            deleted_person_ids=ids if deleting else frozenset(),
            snapshots=dict(replies),
        )
