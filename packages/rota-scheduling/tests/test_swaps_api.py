"""swaps/: request, list with filters, take, cancel; and the taken swap in every read."""

import threading
from datetime import timedelta

import pytest
from django.db import connection, connections

from rota_core.api.fields import utc_iso
from rota_core.testing.factories import UserFactory
from rota_scheduling.testing.api import anchor, create_weekly_rota

pytestmark = pytest.mark.django_db

SWAPS = "/api/v1/swaps/"
DAY = timedelta(days=1)
HOUR = timedelta(hours=1)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks, concurrent connections): set DATABASE_URL=postgres://...",
)


@pytest.fixture
def linked(people):
    """A signed-in user for each of A B C D, linked to that person."""
    users = []
    for person in people:
        user = UserFactory(username=f"user-{person.name.lower()}")
        person.user = user
        person.save(update_fields=["user"])
        users.append(user)
    return users


@pytest.fixture
def rota(staff_client, people):
    """Weekly A B C D from an hour ago: A holds this week, B the next (from b1)."""
    b0 = anchor(HOUR)
    rota = create_weekly_rota(staff_client, people, first=b0)
    return rota["id"], b0 + timedelta(weeks=1)


def body(rota_id, requester, start, end, **extra) -> dict:
    return {
        "rota": rota_id,
        "requester": requester.pk,
        "starts_at": utc_iso(start),
        "ends_at": utc_iso(end),
        **extra,
    }


def request_swap(client, rota, person, *, offset=DAY, span=DAY) -> dict:
    rota_id, b1 = rota
    response = client.post(SWAPS, body(rota_id, person, b1 + offset, b1 + offset + span))
    assert response.status_code == 201, response.json()
    return response.json()


def test_a_linked_user_requests_a_swap_of_their_own_duty(client_for, rota, people, linked):
    b = people[1]

    answer = request_swap(client_for(linked[1]), rota, b)

    assert answer["requester"] == {"id": b.pk, "name": "B"}
    assert answer["taker"] is None and answer["status"] == "open"


def test_requesting_for_someone_else_needs_the_add_permission(
    client_for, staff_client, rota, people, linked
):
    rota_id, b1 = rota
    data = body(rota_id, people[1], b1 + DAY, b1 + 2 * DAY)

    assert client_for(linked[2]).post(SWAPS, data).status_code == 403
    assert staff_client.post(SWAPS, data).status_code == 201


def test_a_request_over_time_the_requester_does_not_hold_answers_400_saying_so(
    staff_client, rota, people
):
    rota_id, b1 = rota

    response = staff_client.post(SWAPS, body(rota_id, people[2], b1 + DAY, b1 + 2 * DAY))

    assert response.status_code == 400
    assert "holds no duty on this rota" in response.json()["requester"][0]


def test_an_overlapping_request_answers_400(staff_client, rota, people):
    request_swap(staff_client, rota, people[1])
    rota_id, b1 = rota

    response = staff_client.post(SWAPS, body(rota_id, people[1], b1 + DAY + HOUR, b1 + 3 * DAY))

    assert response.status_code == 400 and "Overlaps swap #" in response.json()["starts_at"][0]


def test_a_member_takes_a_swap_and_every_read_shows_them(client_for, rota, people, linked):
    rota_id, b1 = rota
    swap = request_swap(client_for(linked[1]), rota, people[1])
    c_client = client_for(linked[2])

    response = c_client.post(f"{SWAPS}{swap['id']}/take/", {})

    assert response.status_code == 200, response.json()
    assert response.json()["taker"] == {"id": people[2].pk, "name": "C"}
    assert response.json()["status"] == "taken"
    window = {"start": utc_iso(b1), "end": utc_iso(b1 + 7 * DAY)}
    schedule = c_client.get(f"/api/v1/rotas/{rota_id}/schedule/", window).json()
    swapped = [seg for seg in schedule if seg["source"] == "swap"]
    assert swapped == [
        {
            "starts_at": utc_iso(b1 + DAY),
            "ends_at": utc_iso(b1 + 2 * DAY),
            "person": {"id": people[2].pk, "name": "C"},
            "source": "swap",
            "conflict": False,
            "shift_id": None,
            "override_id": None,
            "swap_id": swap["id"],
        }
    ]
    mine = c_client.get("/api/v1/me/shifts/", window).json()
    assert [(seg["swap_id"], seg["starts_at"]) for seg in mine] == [(swap["id"], utc_iso(b1 + DAY))]
    several = c_client.get("/api/v1/schedule/", {"rotas": str(rota_id), **window}).json()
    assert [seg["person"]["name"] for seg in several] == ["B", "C", "B"]
    oncall = c_client.get("/api/v1/oncall/", {"at": utc_iso(b1 + DAY + HOUR)}).json()
    assert oncall[0]["person"]["name"] == "C" and oncall[0]["source"] == "swap"
    stats = c_client.get(f"/api/v1/rotas/{rota_id}/stats/", window).json()
    assert {row["person"]["name"]: row["hours"] for row in stats}["C"] == 24


@pytest.mark.parametrize(
    ("taker", "reason"),
    [(1, "cannot take their own swap"), (None, "is not a member of this rota")],
)
def test_a_take_by_someone_who_cannot_hold_it_answers_400_naming_the_reason(
    client_for, staff_client, rota, people, linked, taker, reason
):
    swap = request_swap(staff_client, rota, people[1])
    if taker is None:
        outsider = UserFactory(username="outsider")
        from rota_core.testing.factories import PersonFactory

        PersonFactory(name="Outsider", user=outsider)
        client = client_for(outsider)
    else:
        client = client_for(linked[taker])

    response = client.post(f"{SWAPS}{swap['id']}/take/", {})

    assert response.status_code == 400 and reason in response.json()["person"][0]


def test_taking_for_someone_else_needs_the_change_permission(
    client_for, staff_client, rota, people, linked
):
    swap = request_swap(staff_client, rota, people[1])
    url = f"{SWAPS}{swap['id']}/take/"

    assert client_for(linked[3]).post(url, {"person": people[2].pk}).status_code == 403
    response = staff_client.post(url, {"person": people[2].pk})
    assert response.status_code == 200 and response.json()["taker"]["name"] == "C"


def test_taking_a_taken_swap_answers_409(client_for, staff_client, rota, people, linked):
    swap = request_swap(staff_client, rota, people[1])
    url = f"{SWAPS}{swap['id']}/take/"
    assert client_for(linked[2]).post(url, {}).status_code == 200

    response = client_for(linked[3]).post(url, {})

    assert response.status_code == 409 and "taken" in response.json()["detail"]


def test_the_requester_cancels_and_the_duty_goes_back(client_for, rota, people, linked):
    _rota_id, b1 = rota
    swap = request_swap(client_for(linked[1]), rota, people[1])
    client_for(linked[2]).post(f"{SWAPS}{swap['id']}/take/", {})

    assert client_for(linked[3]).delete(f"{SWAPS}{swap['id']}/").status_code == 403
    response = client_for(linked[1]).delete(f"{SWAPS}{swap['id']}/")

    assert response.status_code == 200 and response.json()["status"] == "cancelled"
    at = {"at": utc_iso(b1 + DAY + HOUR)}
    assert client_for(linked[1]).get("/api/v1/oncall/", at).json()[0]["person"]["name"] == "B"


def test_swaps_filter_on_rota_requester_taker_status_and_window(
    client_for, staff_client, rota, people, linked
):
    rota_id, b1 = rota
    first = request_swap(staff_client, rota, people[1])
    second = request_swap(staff_client, rota, people[1], offset=3 * DAY)
    client_for(linked[2]).post(f"{SWAPS}{first['id']}/take/", {})

    def ids(**params):
        response = staff_client.get(SWAPS, params)
        assert response.status_code == 200, response.json()
        return [row["id"] for row in response.json()["results"]]

    assert ids(rota=rota_id) == [first["id"], second["id"]]
    assert ids(requester=people[1].pk) == [first["id"], second["id"]]
    assert ids(taker=people[2].pk) == [first["id"]]
    assert ids(status="open") == [second["id"]]
    assert ids(status="taken") == [first["id"]]
    assert ids(start=utc_iso(b1 + 3 * DAY)) == [second["id"]]
    assert ids(end=utc_iso(b1 + 2 * DAY)) == [first["id"]]
    assert staff_client.get(SWAPS, {"status": "nope"}).status_code == 400


def test_swap_permissions_for_signed_out_users(client_for, rota):
    assert client_for(None).get(SWAPS).status_code == 403


@pytest.mark.postgres
@needs_postgres
def test_two_people_taking_one_swap_at_once_one_wins_one_gets_409(
    transactional_db, staff_client, rota, people, linked
):
    from rest_framework.test import APIClient

    swap = request_swap(staff_client, rota, people[1])
    url = f"{SWAPS}{swap['id']}/take/"
    clients = []
    for user in (linked[2], linked[3]):
        client = APIClient()
        client.force_login(user)
        clients.append(client)
    barrier = threading.Barrier(2)
    codes: list[int] = []

    def take(client):
        try:
            barrier.wait()
            codes.append(client.post(url, {}).status_code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(codes) == [200, 409]
    taken = staff_client.get(f"{SWAPS}{swap['id']}/").json()
    assert taken["status"] == "taken" and taken["taker"]["name"] in {"C", "D"}


def test_both_calendar_feeds_show_the_taker_of_a_taken_swap(client_for, staff_client, rota, people):
    from rota_core.models import Person
    from rota_scheduling.models import Rota

    rota_id, b1 = rota
    swap = request_swap(staff_client, rota, people[1])
    staff_client.post(f"{SWAPS}{swap['id']}/take/", {"person": people[3].pk})
    anonymous = client_for(None)
    token = Rota.objects.get(pk=rota_id).calendar_token

    rota_feed = anonymous.get(f"/calendar/{token}.ics").content.decode()
    d_feed = anonymous.get(
        f"/calendar/{Person.objects.get(pk=people[3].pk).calendar_token}.ics"
    ).content.decode()

    assert "Ops: D on duty (swap)" in rota_feed
    assert "Ops: D on duty (swap)" in d_feed
    assert f"DTSTART:{(b1 + DAY):%Y%m%dT%H%M%SZ}" in d_feed
