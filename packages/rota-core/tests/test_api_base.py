"""The policies rota_core.api.base sets on every Rota Round view (the host-site test in
site/tests/test_host_site.py proves them against a site with other REST_FRAMEWORK defaults)."""

import pytest

pytestmark = pytest.mark.django_db

PEOPLE = "/api/v1/people/"


def test_the_browsable_api_answers_only_while_debug_is_on(user_client, settings):
    settings.DEBUG = False
    refused = user_client.get(PEOPLE, HTTP_ACCEPT="text/html")
    assert refused.status_code == 406
    assert refused["Content-Type"] == "application/json"

    settings.DEBUG = True  # read per request: no restart, no reload of DRF's settings
    browsable = user_client.get(PEOPLE, HTTP_ACCEPT="text/html")
    assert browsable.status_code == 200
    assert browsable["Content-Type"].startswith("text/html")
    assert user_client.get(PEOPLE)["Content-Type"] == "application/json"


def test_form_encoded_bodies_are_refused(staff_client):
    response = staff_client.post(
        PEOPLE, {"name": "Ada", "email": "ada@example.com"}, format="multipart"
    )

    assert response.status_code == 415
    assert set(response.json()) == {"detail"}
