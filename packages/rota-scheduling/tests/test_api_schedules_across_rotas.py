"""me/shifts/ (the signed-in person's turns on every rota) and schedule/?rotas= (several
rotas in one call): the segments of rotas/{id}/schedule/, each naming its rota."""

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from rota_core.api.fields import utc_iso
from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling.api.serializers import MAX_ROTAS
from rota_scheduling.models import Shift
from rota_scheduling.testing.api import anchor, create_weekly_rota

pytestmark = pytest.mark.django_db

MINE = "/api/v1/me/shifts/"
SCHEDULE = "/api/v1/schedule/"
WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)


create = create_weekly_rota


def rota_ref(rota: dict) -> dict:
    return {"id": rota["id"], "name": rota["name"], "slug": rota["slug"]}


def window(start: datetime, end: datetime) -> dict:
    return {"start": utc_iso(start), "end": utc_iso(end)}


@pytest.fixture
def two_rotas(staff_client, people):
    """Ops (A B, B on duty since a week ago) and Desk (C A, C on duty since an hour ago)."""
    a, b, c, _ = people
    b0 = anchor(WEEK + HOUR)
    ops = create(staff_client, [a, b], name="Ops", first=b0)
    desk = create(staff_client, [c, a], name="Desk", first=anchor(HOUR))
    return ops, desk, b0


# --- me/shifts/ ------------------------------------------------------------------------------


def test_my_shifts_are_my_turns_on_every_rota_stored_and_projected(
    client_for, staff_client, two_rotas, people
):
    ops, desk, b0 = two_rotas
    a = people[0]
    a.user = UserFactory(username="ann")
    a.save()
    start, end = b0 + WEEK, b0 + 4 * WEEK + timedelta(days=1)
    cover = anchor(-2 * HOUR)
    override = staff_client.post(
        "/api/v1/overrides/",
        {"rota": ops["id"], "person": a.pk, "starts_at": utc_iso(cover),
         "ends_at": utc_iso(cover + HOUR)},
    ).json()  # fmt: skip

    response = client_for(a.user).get(MINE, window(start, end))

    assert response.status_code == 200
    mine = response.json()
    desk_b0 = anchor(HOUR)
    ann = {"id": a.pk, "name": a.name}
    assert [(s["rota"], s["starts_at"], s["ends_at"], s["source"]) for s in mine] == [
        (rota_ref(ops), utc_iso(cover), utc_iso(cover + HOUR), "override"),
        (rota_ref(desk), utc_iso(desk_b0 + WEEK), utc_iso(desk_b0 + 2 * WEEK), "rotation"),
        (rota_ref(ops), utc_iso(b0 + 2 * WEEK), utc_iso(b0 + 3 * WEEK), "rotation"),
        # Desk's handoff an hour before now, Ops' a week and an hour: both hand to A at once.
        (rota_ref(desk), utc_iso(desk_b0 + 3 * WEEK), utc_iso(end), "rotation"),
        (rota_ref(ops), utc_iso(b0 + 4 * WEEK), utc_iso(end), "rotation"),
    ]
    assert all(s["person"] == ann for s in mine)
    assert mine[0]["override_id"] == override["id"]
    assert {s["swap_id"] for s in mine} == {None}


def test_my_shifts_include_stored_history_on_a_rota_i_have_left(client_for, staff_client, people):
    a, b = people[:2]
    a.user = UserFactory(username="ann")
    a.save()
    b0 = anchor(HOUR)
    ops = create(staff_client, [a, b], name="Ops", first=b0)
    staff_client.patch(f"/api/v1/rotas/{ops['id']}/", {"members": [b.pk]})

    mine = client_for(a.user).get(MINE, window(b0 - HOUR, b0 + 3 * WEEK)).json()

    shift = Shift.objects.get(rota_id=ops["id"], person=a)
    assert [(s["rota"]["id"], s["shift_id"], s["starts_at"]) for s in mine] == [
        (ops["id"], shift.pk, utc_iso(b0))
    ]


def test_my_shifts_without_a_linked_person_is_404_saying_so(reader_client, two_rotas):
    response = reader_client.get(MINE)

    assert response.status_code == 404
    assert response.json() == {"detail": "No person is linked to your user, so you hold no shifts."}


def test_my_shifts_refuse_a_window_over_366_days_and_anonymous_users(client_for, two_rotas, people):
    a = people[0]
    a.user = UserFactory(username="ann")
    a.save()
    start = anchor(HOUR)

    too_long = client_for(a.user).get(MINE, window(start, start + timedelta(days=367)))

    assert too_long.status_code == 400
    assert too_long.json() == {"end": ["The window may span at most 366 days."]}
    assert client_for(None).get(MINE).status_code == 403


def test_my_shifts_take_a_constant_number_of_queries(
    client_for, staff_client, people, django_assert_max_num_queries
):
    a = people[0]
    a.user = UserFactory(username="ann")
    a.save()
    client = client_for(a.user)
    span = window(anchor(2 * WEEK), anchor(-8 * WEEK))

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(MINE, span).status_code == 200
        return len(queries)

    create(staff_client, [a, *people[1:]], name="Rota 0", first=anchor(WEEK + HOUR))
    few = count()
    for n in range(1, 6):
        create(staff_client, [*people[n % 4 :], *people[: n % 4]], name=f"Rota {n}",
               first=anchor(n * HOUR))  # fmt: skip
    assert count() == few
    with django_assert_max_num_queries(12):
        client.get(MINE, span)


# --- schedule/?rotas= ------------------------------------------------------------------------


def test_several_rotas_in_one_call_give_each_rotas_schedule(staff_client, two_rotas):
    ops, desk, b0 = two_rotas
    span = window(b0, b0 + 3 * WEEK)

    response = staff_client.get(SCHEDULE, {"rotas": f"{desk['id']},{ops['id']}", **span})

    assert response.status_code == 200
    together = response.json()
    alone = {
        rota["id"]: staff_client.get(f"/api/v1/rotas/{rota['id']}/schedule/", span).json()
        for rota in (ops, desk)
    }
    assert together == [
        *({"rota": rota_ref(desk), **segment} for segment in alone[desk["id"]]),
        *({"rota": rota_ref(ops), **segment} for segment in alone[ops["id"]]),
    ]


@pytest.mark.parametrize(
    ("rotas", "message"),
    [
        ("1,x", "Give rota ids separated by commas, e.g. 1,2."),
        ("", "This field may not be blank."),
        (",".join(str(n) for n in range(1, MAX_ROTAS + 2)), f"Give at most {MAX_ROTAS} rotas."),
    ],
)
def test_bad_rota_lists_are_400_naming_rotas(staff_client, rotas, message):
    response = staff_client.get(SCHEDULE, {"rotas": rotas})

    assert response.status_code == 400
    assert response.json() == {"rotas": [message]}


def test_unknown_rotas_and_a_bad_window_are_named_together(staff_client, two_rotas):
    ops, _, _ = two_rotas

    response = staff_client.get(SCHEDULE, {"rotas": f"{ops['id']},999998,999999", "start": "soon"})

    assert response.status_code == 400
    assert response.json() == {
        "start": response.json()["start"],
        "rotas": ["Unknown rota id(s): 999998, 999999."],
    }


def test_rotas_are_required_and_signing_in_too(staff_client, client_for):
    assert staff_client.get(SCHEDULE).json() == {"rotas": ["This field is required."]}
    assert client_for(None).get(SCHEDULE, {"rotas": "1"}).status_code == 403


def test_several_rotas_take_a_constant_number_of_queries(
    staff_client, people, django_assert_max_num_queries
):
    extra = PersonFactory(name="E")
    ids = []
    for n in range(8):
        rota = create(staff_client, [*people[n % 4 :], *people[: n % 4], extra],
                      name=f"Rota {n}", first=anchor(WEEK + n * HOUR))  # fmt: skip
        ids.append(str(rota["id"]))
    span = window(anchor(2 * WEEK), anchor(-8 * WEEK))

    def count(rotas: list[str]) -> int:
        with CaptureQueriesContext(connection) as queries:
            response = staff_client.get(SCHEDULE, {"rotas": ",".join(rotas), **span})
            assert response.status_code == 200
            assert {s["rota"]["id"] for s in response.json()} == {int(i) for i in rotas}
        return len(queries)

    assert count(ids[:1]) == count(ids)
    with django_assert_max_num_queries(10):
        staff_client.get(SCHEDULE, {"rotas": ",".join(ids), **span})
