import pytest

from rota_core.models import Person
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.mark.parametrize(
    "url",
    [
        "/admin/rota_core/person/",
        "/admin/rota_core/person/?is_active__exact=0&q=example",
        "/admin/rota_core/person/add/",
        "/admin/rota_core/unavailability/",
        "/admin/rota_core/unavailability/add/",
    ],
)
def test_admin_pages_render(admin_client, url):
    UnavailabilityFactory()

    assert admin_client.get(url).status_code == 200


def test_change_pages_render(admin_client):
    row = UnavailabilityFactory()

    assert admin_client.get(f"/admin/rota_core/person/{row.person.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/rota_core/unavailability/{row.pk}/change/").status_code == 200


def test_deactivating_in_the_admin_stamps_deactivated_at(admin_client):
    person = PersonFactory(name="Ann", email="ann@example.com")
    form = {
        "name": "Ann",
        "email": "ann@example.com",
        "user": "",
        "timezone": "",
        "notify_email": "on",
        # is_active left out: unchecked
        "unavailability-TOTAL_FORMS": "0",
        "unavailability-INITIAL_FORMS": "0",
    }

    response = admin_client.post(f"/admin/rota_core/person/{person.pk}/change/", form)

    assert response.status_code == 302
    old_token = person.calendar_token
    person.refresh_from_db()
    assert not person.is_active
    assert person.deactivated_at is not None
    assert person.calendar_token != old_token  # feed links handed out before stop working
    assert person.timezone is None  # an empty zone field is null, as through the API


def test_the_rotate_action_gives_new_calendar_tokens(admin_client):
    person = PersonFactory()
    old = person.calendar_token

    response = admin_client.post(
        "/admin/rota_core/person/",
        {"action": "rotate_calendar_tokens", "_selected_action": [person.pk]},
    )

    assert response.status_code == 302
    assert Person.objects.get().calendar_token != old
