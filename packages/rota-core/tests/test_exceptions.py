import pytest
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import IntegrityError
from django.db.models import ProtectedError, RestrictedError
from rest_framework import exceptions

from rota_core.api.exceptions import Conflict, exception_handler
from rota_core.api.views import PersonViewSet
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory

pytestmark = pytest.mark.django_db


def handle(exc, view=None):
    return exception_handler(exc, {"view": view or PersonViewSet(), "request": None})


def test_protected_error_is_409_naming_what_still_refers_to_it():
    person = PersonFactory()
    referrers = UnavailabilityFactory.create_batch(2, person=person)
    exc = ProtectedError("protected", set(referrers))

    response = handle(exc)

    assert response.status_code == 409
    assert response.data == {
        "detail": "Cannot delete this person: it is still referred to by 2 unavailability."
    }


def test_restricted_error_is_409_with_counts_per_model():
    person = PersonFactory()
    referrers = [UnavailabilityFactory(person=person), PersonFactory()]
    exc = RestrictedError("restricted", set(referrers))

    response = handle(exc)

    assert response.status_code == 409
    assert response.data["detail"] == (
        "Cannot delete this person: it is still referred to by 1 person and 1 unavailability."
    )


def test_protected_error_without_a_model_view():
    response = handle(ProtectedError("protected", set()), view=object())

    assert response.status_code == 409
    assert response.data == {
        "detail": "Cannot delete it: it is still referred to by other records."
    }


def test_django_validation_error_with_fields_is_400_with_field_errors():
    exc = DjangoValidationError({"email": "Taken.", "__all__": "Clashes."})

    response = handle(exc)

    assert response.status_code == 400
    assert response.data == {"email": ["Taken."], "non_field_errors": ["Clashes."]}


def test_django_validation_error_without_fields_is_400_non_field():
    response = handle(DjangoValidationError("Nope."))

    assert response.status_code == 400
    assert response.data == {"non_field_errors": ["Nope."]}


def test_integrity_error_is_409_without_the_database_message():
    response = handle(IntegrityError('duplicate key value violates unique constraint "x"'))

    assert response.status_code == 409
    assert "constraint" not in response.data["detail"]


def test_conflict_for_other_apps():
    response = handle(Conflict("Rota is paused."))

    assert (response.status_code, response.data) == (409, {"detail": "Rota is paused."})


def test_drf_errors_pass_through_and_others_are_left_alone():
    assert handle(exceptions.NotFound()).status_code == 404
    assert handle(RuntimeError("boom")) is None


def test_an_apps_state_conflict_is_409_with_its_message():
    from rota_core.exceptions import StateConflict

    class Paused(StateConflict):
        pass

    response = handle(Paused("The rota is paused; resume it before advancing."))

    assert response.status_code == 409
    assert response.data == {"detail": "The rota is paused; resume it before advancing."}
    assert response.data["detail"].code == "conflict"
