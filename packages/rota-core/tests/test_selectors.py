import datetime as dt

import pytest
from django.contrib.auth.models import AnonymousUser

from rota_core import selectors
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory, UserFactory

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2025, 3, 1, 9, tzinfo=dt.UTC)
HOUR = dt.timedelta(hours=1)


def test_person_for_user(django_assert_num_queries):
    linked, unlinked = UserFactory(), UserFactory()
    person = PersonFactory(user=linked)

    with django_assert_num_queries(1):
        assert selectors.person_for_user(user=linked) == person
    assert selectors.person_for_user(user=unlinked) is None
    with django_assert_num_queries(0):
        assert selectors.person_for_user(user=AnonymousUser()) is None
        assert selectors.person_for_user(user=None) is None


def test_unavailability_overlapping_is_half_open():
    row = UnavailabilityFactory(starts_at=T0, ends_at=T0 + 2 * HOUR)

    def found(start, end):
        return list(selectors.unavailability_overlapping(start=start, end=end))

    assert found(T0 - HOUR, T0) == []  # ends where the row starts
    assert found(T0 + 2 * HOUR, T0 + 3 * HOUR) == []  # starts where the row ends
    assert found(T0 + HOUR, T0 + HOUR + dt.timedelta(minutes=1)) == [row]
    assert found(None, T0 + dt.timedelta(minutes=1)) == [row]
    assert found(T0 + HOUR, None) == [row]


def test_unavailable_intervals_include_deactivation(django_assert_num_queries):
    away, gone, never_active, free = PersonFactory.create_batch(4)
    UnavailabilityFactory(person=away, starts_at=T0 + HOUR, ends_at=T0 + 2 * HOUR)
    UnavailabilityFactory(person=away, starts_at=T0 - 5 * HOUR, ends_at=T0 - 4 * HOUR)
    UnavailabilityFactory(person=free, starts_at=T0 + 9 * HOUR, ends_at=T0 + 10 * HOUR)
    gone.is_active, gone.deactivated_at = False, T0 + 3 * HOUR
    gone.save()
    never_active.is_active = False
    never_active.save()

    with django_assert_num_queries(2):
        found = selectors.unavailable_intervals(
            person_ids=[p.pk for p in (away, gone, never_active, free)],
            start=T0,
            end=T0 + 8 * HOUR,
        )

    assert found == {
        away.pk: [(T0 + HOUR, T0 + 2 * HOUR)],
        gone.pk: [(T0 + 3 * HOUR, None)],
        never_active.pk: [(T0, None)],
    }


def test_user_permission_names_are_sorted_app_label_codenames(grant):
    user = UserFactory()
    grant(user, "delete_person", "add_person")

    assert selectors.user_permission_names(user=user) == [
        "rota_core.add_person",
        "rota_core.delete_person",
    ]
