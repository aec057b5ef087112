"""The swap admin: listed with their derived status, filterable by rota and status."""

from datetime import timedelta

import pytest
from django.utils import timezone

from rota_scheduling.services import swap_cancel, swap_request, swap_take

pytestmark = pytest.mark.django_db

URL = "/admin/rota_scheduling/swap/"


@pytest.fixture
def swaps(make_rota, people):
    """B's week (the next) on a weekly rota whose first handoff was yesterday at 09:00, at any
    hour of today: one taken by C, one cancelled."""
    now = timezone.now()
    rota = make_rota(people, now=now, starts_on=now.date() - timedelta(1))
    b1 = rota.next_handoff_at
    taken = swap_request(rota=rota, requester=people[1], starts_at=b1, ends_at=b1 + timedelta(1))
    swap_take(swap=taken, taker=people[2])
    cancelled = swap_request(
        rota=rota, requester=people[1], starts_at=b1 + timedelta(2), ends_at=b1 + timedelta(3)
    )
    swap_cancel(swap=cancelled)
    return taken, cancelled


def test_swaps_are_listed_with_their_status_and_filter_on_it(admin_client, swaps):
    taken, cancelled = swaps

    page = admin_client.get(URL).content.decode()
    only_taken = admin_client.get(URL, {"status": "taken"}).content.decode()

    assert "taken" in page and "cancelled" in page
    assert f"/{taken.pk}/change/" in only_taken and f"/{cancelled.pk}/change/" not in only_taken


def test_a_swap_over_time_the_requester_does_not_hold_is_a_form_error(
    admin_client, make_rota, people
):
    now = timezone.now()
    rota = make_rota(people, now=now, starts_on=now.date() - timedelta(1))  # A's week, then B's
    b1 = rota.next_handoff_at

    response = admin_client.post(
        f"{URL}add/",
        {
            "rota": rota.pk,
            "requester": people[0].pk,
            "starts_at_0": (b1 + timedelta(1)).strftime("%Y-%m-%d"),
            "starts_at_1": "10:00:00",
            "ends_at_0": (b1 + timedelta(2)).strftime("%Y-%m-%d"),
            "ends_at_1": "10:00:00",
            "description": "",
        },
    )

    assert response.status_code == 200
    assert "holds no duty on this rota" in response.content.decode()
