import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from rota_core import services
from rota_core.models import Person, Unavailability
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_person_create_stores_a_valid_person():
    user = UserFactory()

    person = services.person_create(
        name="Ann", email="ann@example.com", user=user, timezone="Europe/Paris"
    )

    person.refresh_from_db()
    assert (person.name, person.email, person.user, person.timezone) == (
        "Ann",
        "ann@example.com",
        user,
        "Europe/Paris",
    )
    assert person.is_active and person.notify_email and person.deactivated_at is None


def test_person_create_refuses_an_email_that_differs_only_in_case():
    PersonFactory(email="ann@example.com")

    with pytest.raises(ValidationError, match="already exists"):
        services.person_create(name="Ann", email="ANN@example.com")


def test_person_create_refuses_an_unknown_timezone():
    with pytest.raises(ValidationError) as info:
        services.person_create(name="Ann", email="ann@example.com", timezone="Mars/Olympus")

    assert info.value.message_dict == {"timezone": ['Unknown time zone "Mars/Olympus".']}


def test_a_person_created_inactive_is_deactivated_from_now():
    person = services.person_create(name="Ann", email="ann@example.com", is_active=False)

    assert person.deactivated_at is not None
    assert timezone.now() - person.deactivated_at < dt.timedelta(seconds=5)


def test_deactivation_is_stamped_once_and_cleared_on_reactivation():
    person = PersonFactory()

    services.person_update(person=person, data={"is_active": False})
    stamped = person.deactivated_at
    services.person_update(person=person, data={"name": "Renamed"})

    assert stamped is not None
    assert Person.objects.get(pk=person.pk).deactivated_at == stamped

    services.person_update(person=person, data={"is_active": True})

    assert Person.objects.get(pk=person.pk).deactivated_at is None


def test_person_update_refuses_fields_it_does_not_manage():
    person = PersonFactory()

    with pytest.raises(TypeError, match="calendar_token"):
        services.person_update(person=person, data={"calendar_token": "mine"})


def test_person_delete():
    person = PersonFactory()

    services.person_delete(person=person)

    assert not Person.objects.exists()


def test_rotating_the_calendar_token_replaces_it():
    person = PersonFactory()
    old = person.calendar_token

    new = services.person_rotate_calendar_token(person=person)

    assert new != old
    assert Person.objects.get(pk=person.pk).calendar_token == new


def test_unavailability_create_and_update():
    person = PersonFactory()
    start = timezone.now()

    row = services.unavailability_create(
        person=person, starts_at=start, ends_at=start + dt.timedelta(hours=2), reason="dentist"
    )
    services.unavailability_update(
        unavailability=row, data={"ends_at": start + dt.timedelta(hours=3)}
    )

    row.refresh_from_db()
    assert (row.person, row.reason, row.ends_at - row.starts_at) == (
        person,
        "dentist",
        dt.timedelta(hours=3),
    )


def test_unavailability_must_end_after_it_starts():
    person = PersonFactory()
    start = timezone.now()

    with pytest.raises(ValidationError, match="ends_at must be after starts_at"):
        services.unavailability_create(person=person, starts_at=start, ends_at=start)
    assert not Unavailability.objects.exists()


def test_unavailability_delete():
    row = UnavailabilityFactory()

    services.unavailability_delete(unavailability=row)

    assert not Unavailability.objects.exists()


# --- calendar tokens end with access ---------------------------------------------------------


def test_deactivating_a_person_gives_a_new_calendar_token():
    person = PersonFactory()
    old = person.calendar_token

    services.person_update(person=person, data={"is_active": False})

    assert Person.objects.get(pk=person.pk).calendar_token not in ("", old)


@pytest.mark.parametrize("new_user", [False, True], ids=["unlinked", "linked-to-another"])
def test_taking_a_person_from_their_user_gives_a_new_calendar_token(new_user):
    person = PersonFactory(user=UserFactory())
    old = person.calendar_token

    services.person_update(person=person, data={"user": UserFactory() if new_user else None})

    assert Person.objects.get(pk=person.pk).calendar_token != old


def test_other_changes_keep_the_calendar_token():
    person = PersonFactory(is_active=False)
    old = person.calendar_token

    services.person_update(person=person, data={"name": "Renamed", "is_active": True})
    services.person_update(person=person, data={"user": UserFactory()})  # linked, not unlinked

    assert Person.objects.get(pk=person.pk).calendar_token == old
