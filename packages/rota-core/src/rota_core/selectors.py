"""Reads: querysets and lookups other code (views, other apps, the admin) reuses."""

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.db.models import Q, QuerySet

from .models import Person, Unavailability


def person_for_user(*, user: AbstractBaseUser | AnonymousUser | None) -> Person | None:
    """The person linked to ``user``, or None (also for anonymous users)."""
    if user is None or not user.is_authenticated:
        return None
    return Person.objects.filter(user_id=user.pk).first()


def person_list() -> QuerySet[Person]:
    return Person.objects.all()


def unavailability_list() -> QuerySet[Unavailability]:
    return Unavailability.objects.select_related("person")


def unavailability_overlapping(
    *, start: datetime | None = None, end: datetime | None = None
) -> QuerySet[Unavailability]:
    """Unavailability whose [starts_at, ends_at) overlaps [start, end); a missing bound is open."""
    queryset = Unavailability.objects.all()
    if start is not None:
        queryset = queryset.filter(ends_at__gt=start)
    if end is not None:
        queryset = queryset.filter(starts_at__lt=end)
    return queryset


Interval = tuple[datetime, datetime | None]


def unavailable_intervals(
    *, person_ids: Iterable[int], start: datetime, end: datetime | None = None
) -> dict[int, list[Interval]]:
    """For each person, the intervals overlapping [start, end) in which they cannot be on duty
    (no ``end``: from ``start`` on). The one loader of availability: schedules read it here.

    Their unavailability rows, plus ``(deactivated_at, None)`` (open-ended) for a deactivated
    person. Two queries; plain data so a schedule engine can use it without the ORM.
    """
    ids = list(person_ids)
    intervals: dict[int, list[Interval]] = defaultdict(list)
    deactivated = Person.objects.filter(pk__in=ids, is_active=False)
    if end is not None:
        deactivated = deactivated.filter(Q(deactivated_at__lt=end) | Q(deactivated_at__isnull=True))
    for person_id, deactivated_at in deactivated.values_list("pk", "deactivated_at"):
        # A row made inactive without the services has no instant: unavailable throughout.
        intervals[person_id].append((deactivated_at or start, None))
    rows = (
        unavailability_overlapping(start=start, end=end)
        .filter(person_id__in=ids)
        .values_list("person_id", "starts_at", "ends_at")
    )
    for person_id, starts_at, ends_at in rows:
        intervals[person_id].append((starts_at, ends_at))
    return {person_id: sorted(found, key=lambda i: i[0]) for person_id, found in intervals.items()}


def user_permission_names(*, user: AbstractBaseUser | AnonymousUser) -> list[str]:
    """The user's permissions as sorted ``app_label.codename`` strings (groups included)."""
    return sorted(user.get_all_permissions())
