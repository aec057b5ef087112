import pytest
from django.urls import include, path
from django.utils import timezone

from rota_core.models import Person
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory, UserFactory

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


def detail(person):
    return f"{PEOPLE}{person.pk}/"


# --- read ------------------------------------------------------------------------------------


def test_anonymous_users_cannot_list_people(api_client):
    assert api_client.get(PEOPLE).status_code == 403


def test_signed_in_users_list_people_without_calendar_tokens(user_client):
    person = PersonFactory(name="Bea", email="bea@example.com", timezone="Europe/Rome")

    response = user_client.get(PEOPLE)

    assert response.status_code == 200
    assert response.json()["count"] == 1
    row = response.json()["results"][0]
    assert row == {
        "id": person.pk,
        "name": "Bea",
        "email": "bea@example.com",
        "user": None,
        "timezone": "Europe/Rome",
        "is_active": True,
        "deactivated_at": None,
        "notify_email": True,
        "created_at": row["created_at"],
        "updated_at": row["updated_at"],
    }
    assert user_client.get(detail(person)).json() == row


def test_list_query_count_does_not_grow_with_people(user_client, django_assert_max_num_queries):
    PersonFactory.create_batch(5)

    with django_assert_max_num_queries(5):  # session, user, count, page
        assert user_client.get(PEOPLE).status_code == 200


def test_filters_is_active_and_search(user_client):
    PersonFactory(name="Carla Diaz", email="carla@example.com")
    PersonFactory(name="Dan", email="dan@diaz.example")
    PersonFactory(name="Eve", email="eve@example.com", is_active=False)

    def names(**params):
        return [row["name"] for row in user_client.get(PEOPLE, params).json()["results"]]

    assert names(is_active="false") == ["Eve"]
    assert names(is_active="true") == ["Carla Diaz", "Dan"]
    assert names(search="DIAZ") == ["Carla Diaz", "Dan"]
    assert names(search="eve@") == ["Eve"]


def test_a_bad_filter_value_is_400_naming_the_filter(user_client):
    response = user_client.get(PEOPLE, {"is_active": "perhaps"})

    assert response.status_code == 400
    assert response.json() == {"is_active": ["Must be true or false."]}


# --- create ----------------------------------------------------------------------------------


def test_create_needs_the_add_permission(user_client):
    response = user_client.post(PEOPLE, {"name": "Fay", "email": "fay@example.com"})

    assert response.status_code == 403
    assert not Person.objects.exists()


def test_create_with_permission(staff_client):
    linked = UserFactory()

    response = staff_client.post(
        PEOPLE,
        {"name": "Fay", "email": "fay@example.com", "user": linked.pk, "timezone": "Asia/Tokyo"},
    )

    assert response.status_code == 201
    person = Person.objects.get()
    assert response.json()["id"] == person.pk
    assert (person.user, person.timezone) == (linked, "Asia/Tokyo")
    assert "calendar_token" not in response.json()


def test_create_without_csrf_token_is_refused(csrf_client, staff_user):
    csrf_client.force_login(staff_user)

    response = csrf_client.post(PEOPLE, {"name": "Fay", "email": "fay@example.com"})

    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_create_anonymous_is_refused(api_client):
    assert api_client.post(PEOPLE, {"name": "Fay", "email": "fay@example.com"}).status_code == 403


def test_an_email_differing_only_in_case_is_400_naming_email(staff_client):
    PersonFactory(email="fay@example.com")

    response = staff_client.post(PEOPLE, {"name": "Fay", "email": "FAY@Example.com"})

    assert response.status_code == 400
    assert response.json() == {"email": ["A person with this email already exists."]}


def test_an_unknown_timezone_is_400_naming_the_value(staff_client):
    response = staff_client.post(
        PEOPLE, {"name": "Fay", "email": "fay@example.com", "timezone": "Europe/Atlantis"}
    )

    assert response.status_code == 400
    assert response.json() == {"timezone": ['Unknown time zone "Europe/Atlantis".']}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"email": "fay@example.com"}, "name"),
        ({"name": "Fay"}, "email"),
        ({"name": "Fay", "email": "not-an-email"}, "email"),
        ({"name": "Fay", "email": "fay@example.com", "user": 999999}, "user"),
        ({"name": "Fay", "email": "fay@example.com", "is_active": "maybe"}, "is_active"),
    ],
)
def test_bad_input_is_400_naming_the_field(staff_client, body, field):
    response = staff_client.post(PEOPLE, body)

    assert response.status_code == 400
    assert field in response.json()


@pytest.mark.parametrize("name", ["Fay\r\nBcc: x", "Fay\tLee", "Fay\x00", "Fay\x9bLee"])
def test_a_name_with_control_characters_is_400_naming_name(staff_client, person, name):
    created = staff_client.post(PEOPLE, {"name": name, "email": "fay@example.com"}, format="json")
    patched = staff_client.patch(detail(person), {"name": name}, format="json")

    for response in (created, patched):
        assert response.status_code == 400
        assert list(response.json()) == ["name"]
    assert list(Person.objects.values_list("name", flat=True)) == [person.name]


def test_a_user_can_be_linked_to_one_person_only(staff_client, user, person):
    response = staff_client.post(
        PEOPLE, {"name": "Fay", "email": "fay@example.com", "user": user.pk}
    )

    assert response.status_code == 400
    assert response.json() == {"user": ["This user is already linked to another person."]}


# --- update ----------------------------------------------------------------------------------


def test_update_needs_the_change_permission(user_client, person):
    response = user_client.patch(detail(person), {"name": "Other"})

    assert response.status_code == 403


def test_deactivating_stamps_deactivated_at_and_reactivating_clears_it(staff_client):
    person = PersonFactory()

    deactivated = staff_client.patch(detail(person), {"is_active": False})

    assert deactivated.status_code == 200
    stamp = deactivated.json()["deactivated_at"]
    assert stamp is not None
    assert stamp.endswith("Z")
    person.refresh_from_db()
    assert timezone.now() - person.deactivated_at < timezone.timedelta(seconds=5)

    reactivated = staff_client.patch(detail(person), {"is_active": True})

    assert reactivated.json()["deactivated_at"] is None


def test_keeping_ones_own_email_in_another_case_is_allowed(staff_client):
    person = PersonFactory(email="gus@example.com")

    response = staff_client.patch(detail(person), {"email": "Gus@Example.com"})

    assert response.status_code == 200
    assert response.json()["email"] == "Gus@Example.com"


def test_changing_to_someone_elses_email_is_400(staff_client):
    PersonFactory(email="taken@example.com")
    person = PersonFactory()

    response = staff_client.patch(detail(person), {"email": "TAKEN@example.com"})

    assert response.status_code == 400
    assert "email" in response.json()


def test_put_is_not_offered(staff_client):
    person = PersonFactory()

    response = staff_client.put(detail(person), {"name": "X", "email": "x@example.com"})

    assert response.status_code == 405


# --- delete ----------------------------------------------------------------------------------


def test_delete_a_person_without_history(staff_client):
    person = PersonFactory()
    UnavailabilityFactory(person=person)

    response = staff_client.delete(detail(person))

    assert response.status_code == 204
    assert not Person.objects.exists()


def test_delete_needs_the_delete_permission(user_client, person):
    assert user_client.delete(detail(person)).status_code == 403
    assert Person.objects.filter(pk=person.pk).exists()


def test_an_unknown_person_is_404(staff_client):
    assert staff_client.get(f"{PEOPLE}999999/").status_code == 404
    assert staff_client.delete(f"{PEOPLE}999999/").status_code == 404


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_writes_to_a_person_need_a_signed_in_user_and_a_csrf_token(
    api_client, csrf_client, staff_user, method
):
    person = PersonFactory()
    csrf_client.force_login(staff_user)

    anonymous = getattr(api_client, method)(detail(person), {"name": "X"})
    without_token = getattr(csrf_client, method)(detail(person), {"name": "X"})

    assert anonymous.status_code == 403
    assert without_token.status_code == 403
    assert Person.objects.get().name == person.name


# --- calendar-token ---------------------------------------------------------------------------

# rota-core alone: no app serves feeds, so the answer has no feed URL.
urlpatterns = [path("api/v1/", include("rota_core.urls"))]


@pytest.mark.urls(__name__)
def test_a_person_rotates_their_own_calendar_token_in_rota_core_alone(user_client, person):
    old = person.calendar_token

    response = user_client.post(f"{detail(person)}calendar-token/")

    assert response.status_code == 201
    person.refresh_from_db()
    assert response.json() == {"calendar_token": person.calendar_token, "calendar_url": None}
    assert person.calendar_token != old


def test_someone_elses_calendar_token_needs_the_change_person_permission(
    user_client, person, grant, user
):
    other = PersonFactory()

    refused = user_client.post(f"{detail(other)}calendar-token/")
    assert refused.status_code == 403
    assert refused.json() == {"detail": "You may only rotate your own calendar token."}
    grant(user, "change_person")
    assert user_client.post(f"{detail(other)}calendar-token/").status_code == 201
