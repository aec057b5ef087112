import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from rota_core.models import Person, Unavailability
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory

pytestmark = pytest.mark.django_db


def test_email_is_unique_ignoring_case_in_the_database():
    PersonFactory(email="Sam@Example.com")

    with pytest.raises(IntegrityError), transaction.atomic():
        Person.objects.create(name="Other Sam", email="sam@example.COM")


def test_unavailability_must_end_after_it_starts_in_the_database():
    row = UnavailabilityFactory()

    with pytest.raises(IntegrityError), transaction.atomic():
        Unavailability.objects.filter(pk=row.pk).update(ends_at=row.starts_at)


def test_each_person_gets_their_own_calendar_token():
    first, second = PersonFactory(), PersonFactory()

    assert len(first.calendar_token) >= 43
    assert first.calendar_token != second.calendar_token


def test_people_are_ordered_by_name():
    PersonFactory(name="Zoe")
    PersonFactory(name="Adam")

    assert [p.name for p in Person.objects.all()] == ["Adam", "Zoe"]


def test_deleting_a_person_deletes_their_unavailability():
    row = UnavailabilityFactory()

    row.person.delete()

    assert not Unavailability.objects.exists()


def test_string_forms():
    person = PersonFactory(name="Kim")
    row = UnavailabilityFactory(
        person=person,
        starts_at=dt.datetime(2025, 1, 2, 9, tzinfo=dt.UTC),
        ends_at=dt.datetime(2025, 1, 3, 9, tzinfo=dt.UTC),
    )

    assert str(person) == "Kim"
    assert str(row) == "Kim: 2025-01-02 09:00 to 2025-01-03 09:00"
