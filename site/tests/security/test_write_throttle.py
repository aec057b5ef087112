"""Every app's writes count against the one per-user write rate (ROTA_CORE_WRITE_RATE):
leave created and deleted in a loop flooded colleagues with notices (issue 11)."""

import pytest
from django.core.cache import cache

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_scheduling.testing.factories import RotaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client, settings):
    settings.ROTA_CORE_WRITE_RATE = "3/minute"
    user = UserFactory(is_staff=True, is_superuser=True)
    # SQLite hands a rolled-back test's user id out again: start this one's count afresh.
    cache.delete(f"throttle_rota_core_write_{user.pk}")
    client.force_login(user)
    return client


def test_writes_to_every_app_share_one_allowance(api):
    person = PersonFactory()
    rota = RotaFactory(members=[person])
    writes = [
        api.post(
            "/api/v1/unavailability/",
            {"person": person.pk, "starts_at": "2031-01-01T00:00Z", "ends_at": "2031-01-02T00:00Z"},
            content_type="application/json",
        ),
        api.patch(
            f"/api/v1/rotas/{rota.pk}/", {"description": "x"}, content_type="application/json"
        ),
        api.post(
            "/api/v1/webhooks/",
            {"rota": rota.pk, "url": "https://example.com/hook", "events": ["shift_started"]},
            content_type="application/json",
        ),
    ]

    refused = api.post("/api/v1/notifications/read-all/")

    assert [w.status_code for w in writes] == [201, 200, 201], [w.content for w in writes]
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) > 0
    assert api.get(f"/api/v1/rotas/{rota.pk}/").status_code == 200
