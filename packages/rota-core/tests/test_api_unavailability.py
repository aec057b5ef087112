import datetime as dt

import pytest

from rota_core.models import Unavailability
from rota_core.testing.factories import PersonFactory, UnavailabilityFactory

pytestmark = pytest.mark.django_db

URL = "/api/v1/unavailability/"
T0 = dt.datetime(2025, 6, 2, 9, tzinfo=dt.UTC)
DAY = dt.timedelta(days=1)


def detail(row):
    return f"{URL}{row.pk}/"


def body(person, start=T0, end=T0 + DAY, **extra):
    return {
        "person": person.pk,
        "starts_at": start.isoformat(),
        "ends_at": end.isoformat(),
        **extra,
    }


@pytest.fixture
def other(db):
    return PersonFactory(name="Other")


# --- read ------------------------------------------------------------------------------------


def test_anonymous_users_cannot_read(api_client):
    assert api_client.get(URL).status_code == 403


def test_signed_in_users_read_everyones_rows(user_client, other):
    row = UnavailabilityFactory(person=other, starts_at=T0, ends_at=T0 + DAY, reason="leave")

    response = user_client.get(URL)

    assert response.status_code == 200
    assert response.json()["results"] == [
        {
            "id": row.pk,
            "person": {"id": other.pk, "name": other.name},
            "starts_at": "2025-06-02T09:00:00Z",
            "ends_at": "2025-06-03T09:00:00Z",
            "reason": "leave",
            "created_at": response.json()["results"][0]["created_at"],
            "updated_at": response.json()["results"][0]["updated_at"],
        }
    ]
    assert user_client.get(detail(row)).status_code == 200


def test_filters_person_and_overlap_with_start_and_end(user_client, person, other):
    mine = UnavailabilityFactory(person=person, starts_at=T0, ends_at=T0 + DAY)
    later = UnavailabilityFactory(person=other, starts_at=T0 + 3 * DAY, ends_at=T0 + 4 * DAY)

    def ids(**params):
        return [row["id"] for row in user_client.get(URL, params).json()["results"]]

    assert ids(person=person.pk) == [mine.pk]
    assert ids(start=(T0 + DAY).isoformat()) == [later.pk]  # [start, end) is half-open
    assert ids(end=(T0 + 3 * DAY).isoformat()) == [mine.pk]
    assert ids(start="2025-06-02T12:00:00Z", end="2025-06-05T12:00:00Z") == [mine.pk, later.pk]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"person": "abc"}, "person"),
        ({"person": 999999}, "person"),
        ({"start": "soon"}, "start"),
        ({"end": "2025-13-01"}, "end"),
    ],
)
def test_bad_filter_values_are_400_naming_the_filter(user_client, params, field):
    response = user_client.get(URL, params)

    assert response.status_code == 400
    assert field in response.json()


# --- a linked user and their own rows ----------------------------------------------------------


def test_a_linked_user_creates_their_own_rows_without_permissions(user_client, person):
    response = user_client.post(URL, body(person, reason="holiday"))

    assert response.status_code == 201
    row = Unavailability.objects.get()
    assert (row.person, row.starts_at, row.reason) == (person, T0, "holiday")


def test_a_linked_user_updates_and_deletes_their_own_rows(user_client, person):
    row = UnavailabilityFactory(person=person, starts_at=T0, ends_at=T0 + DAY)

    updated = user_client.patch(detail(row), {"ends_at": (T0 + 2 * DAY).isoformat()})
    deleted = user_client.delete(detail(row))

    assert updated.status_code == 200
    assert updated.json()["ends_at"] == "2025-06-04T09:00:00Z"
    assert deleted.status_code == 204
    assert not Unavailability.objects.exists()


def test_other_peoples_rows_need_permissions(user_client, person, other):
    row = UnavailabilityFactory(person=other)

    assert user_client.post(URL, body(other)).status_code == 403
    assert user_client.patch(detail(row), {"reason": "x"}).status_code == 403
    assert user_client.delete(detail(row)).status_code == 403
    assert Unavailability.objects.get().reason == ""


def test_a_linked_user_cannot_hand_their_row_to_someone_else(user_client, person, other):
    row = UnavailabilityFactory(person=person)

    response = user_client.patch(detail(row), {"person": other.pk})

    assert response.status_code == 403
    assert Unavailability.objects.get().person == person


def test_an_unlinked_user_needs_permissions(user_client, other):
    assert user_client.post(URL, body(other)).status_code == 403


def test_a_linked_user_missing_the_person_gets_400(user_client, person):
    response = user_client.post(URL, {"starts_at": T0.isoformat(), "ends_at": T0.isoformat()})

    assert response.status_code == 400
    assert "person" in response.json()


# --- with model permissions --------------------------------------------------------------------


def test_with_permissions_any_persons_rows_can_be_written(staff_client, other):
    created = staff_client.post(URL, body(other))
    row = Unavailability.objects.get()
    updated = staff_client.patch(detail(row), {"reason": "training"})
    deleted = staff_client.delete(detail(row))

    assert (created.status_code, updated.status_code, deleted.status_code) == (201, 200, 204)


def test_with_only_the_add_permission_other_rows_cannot_be_deleted(user_client, user, other, grant):
    grant(user, "add_unavailability")
    row = UnavailabilityFactory(person=other)

    assert user_client.post(URL, body(other)).status_code == 201
    assert user_client.delete(detail(row)).status_code == 403


# --- refusals ----------------------------------------------------------------------------------


def test_the_end_must_be_after_the_start(user_client, person):
    response = user_client.post(URL, body(person, start=T0, end=T0))

    assert response.status_code == 400
    assert response.json() == {"ends_at": ["ends_at must be after starts_at."]}


def test_a_patch_that_moves_the_start_past_the_end_is_400_naming_ends_at(user_client, person):
    row = UnavailabilityFactory(person=person, starts_at=T0, ends_at=T0 + DAY)

    response = user_client.patch(detail(row), {"starts_at": (T0 + 2 * DAY).isoformat()})

    assert response.status_code == 400
    assert "ends_at" in response.json()


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"ends_at": None}, "ends_at"),
        ({"person": "abc"}, "person"),
    ],
)
def test_bad_input_is_400_naming_the_field(staff_client, other, change, field):
    response = staff_client.post(URL, {**body(other), **change})

    assert response.status_code == 400
    assert field in response.json()


def test_anonymous_writes_are_refused(api_client, other):
    assert api_client.post(URL, body(other)).status_code == 403


def test_writes_without_csrf_token_are_refused(csrf_client, user, person):
    csrf_client.force_login(user)

    response = csrf_client.post(URL, body(person))

    assert response.status_code == 403
    assert not Unavailability.objects.exists()


def test_times_are_utc_even_when_another_zone_is_active(user_client, person, settings):
    settings.TIME_ZONE = "America/New_York"
    created = user_client.post(URL, body(person, start=T0, end=T0 + DAY))

    listed = user_client.get(URL).json()["results"][0]

    assert created.json()["starts_at"] == listed["starts_at"] == "2025-06-02T09:00:00Z"
    assert listed["created_at"].endswith("Z")


@pytest.mark.parametrize("method", ["patch", "delete"])
def test_changes_need_a_signed_in_user_and_a_csrf_token(
    api_client, csrf_client, user, person, method
):
    row = UnavailabilityFactory(person=person)
    csrf_client.force_login(user)

    anonymous = getattr(api_client, method)(detail(row), {"reason": "x"})
    without_token = getattr(csrf_client, method)(detail(row), {"reason": "x"})

    assert anonymous.status_code == 403
    assert without_token.status_code == 403
    assert Unavailability.objects.get().reason == ""
