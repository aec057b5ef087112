"""The 0.2 API conventions as rota-core applies them: "follows the system zone" is null, a
person in a response is {id, name}, one 400 carries every error, one wording per kind."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from rota_core.models import Person
from rota_core.testing.factories import PersonFactory

PEOPLE = "/api/v1/people/"
LEAVE = "/api/v1/unavailability/"
T0 = datetime(2027, 6, 1, 9, tzinfo=UTC)


@pytest.mark.django_db
@pytest.mark.parametrize("sent", ["", None])
def test_a_person_following_the_system_zone_has_timezone_null(staff_client, sent):
    response = staff_client.post(
        PEOPLE, {"name": "Ann", "email": "ann@example.com", "timezone": sent}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["timezone"] is None
    assert Person.objects.get().timezone is None
    assert staff_client.get(f"{PEOPLE}{response.json()['id']}/").json()["timezone"] is None


@pytest.mark.django_db
def test_leaving_the_zone_out_and_clearing_it_later_both_give_null(staff_client):
    created = staff_client.post(PEOPLE, {"name": "Ann", "email": "ann@example.com"}).json()
    assert created["timezone"] is None

    zoned = staff_client.patch(f"{PEOPLE}{created['id']}/", {"timezone": "Europe/Rome"})
    cleared = staff_client.patch(f"{PEOPLE}{created['id']}/", {"timezone": ""})

    assert zoned.json()["timezone"] == "Europe/Rome"
    assert cleared.status_code == 200
    assert cleared.json()["timezone"] is None


@pytest.mark.django_db
def test_me_shows_the_linked_persons_zone_as_null(user_client, person):
    assert user_client.get("/api/v1/auth/me/").json()["person"]["timezone"] is None


@pytest.mark.django_db(transaction=True)
def test_the_migration_turns_blank_zones_into_null_and_back():
    executor = MigrationExecutor(connection)
    before, after = (
        [("rota_core", "0002_alter_person_name")],
        [("rota_core", "0003_person_timezone_null")],
    )
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("rota_core", "Person")
    old.objects.create(name="Blank", email="blank@example.com", timezone="")
    old.objects.create(name="Zoned", email="zoned@example.com", timezone="Asia/Tokyo")

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    zones = dict(Person.objects.values_list("name", "timezone"))
    assert zones == {"Blank": None, "Zoned": "Asia/Tokyo"}

    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps.get_model("rota_core", "Person")
    assert dict(old.objects.values_list("name", "timezone")) == {
        "Blank": "",
        "Zoned": "Asia/Tokyo",
    }
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db
def test_leave_names_its_person_as_id_and_name_and_is_written_with_the_id(staff_client):
    ann = PersonFactory(name="Ann")

    response = staff_client.post(
        LEAVE, {"person": ann.pk, "starts_at": T0.isoformat(), "ends_at": "2027-06-02T09:00Z"}
    )

    assert response.status_code == 201, response.json()
    assert response.json()["person"] == {"id": ann.pk, "name": "Ann"}
    assert staff_client.get(LEAVE).json()["results"][0]["person"] == {"id": ann.pk, "name": "Ann"}


@pytest.mark.django_db
def test_one_400_names_every_field_error_of_a_person(staff_client):
    PersonFactory(email="taken@example.com")

    response = staff_client.post(
        PEOPLE,
        {"name": 7, "email": "TAKEN@example.com", "timezone": "Mars/Base", "user": 999_999},
    )

    assert response.status_code == 400
    assert response.json() == {
        "name": ["Must be a string."],
        "email": ["A person with this email already exists."],
        "timezone": ['Unknown time zone "Mars/Base".'],
        "user": ["Unknown user id(s): 999999."],
    }


@pytest.mark.django_db
def test_one_400_carries_field_existence_and_cross_field_errors_of_leave(staff_client):
    response = staff_client.post(
        LEAVE,
        {
            "person": 999_999,
            "starts_at": T0.isoformat(),
            "ends_at": (T0 - timedelta(hours=1)).isoformat(),
            "reason": 5,
        },
    )

    assert response.status_code == 400
    assert response.json() == {
        "person": ["Unknown person id(s): 999999."],
        "reason": ["Must be a string."],
        "ends_at": ["ends_at must be after starts_at."],
    }
    # A field that failed its own check is not blamed again by the cross-field check.
    unreadable = staff_client.post(
        LEAVE, {"person": 999_999, "starts_at": T0.isoformat(), "ends_at": "not a date"}
    )
    assert list(unreadable.json()) == ["person", "ends_at"]
    assert "must be after" not in str(unreadable.json())
