"""What the schemathesis run found, pinned as plain tests (each failed before its fix)."""

import pytest
from django.test import Client
from drf_spectacular.generators import SchemaGenerator

from rota_core.testing.factories import PersonFactory, UserFactory
from rota_notifications.models import WebhookSubscription
from rota_scheduling.testing.factories import RotaFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client: Client) -> Client:
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def rota(db):
    return RotaFactory(members=[PersonFactory(), PersonFactory()])


@pytest.fixture(scope="module")
def schema():
    return SchemaGenerator().get_schema(request=None, public=True)


def post(api, url, data, method="post"):
    return getattr(api, method)(url, data, content_type="application/json")


# -- errors are JSON under /api/, and documented -----------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/rotas/1.5/", "/api/v1/people/x/calendar-token/"])
def test_an_api_url_no_route_matches_answers_json(api, path):
    response = api.get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_other_urls_keep_django_s_html_404(api):
    response = api.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_every_operation_documents_its_error_answers(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = set(operation["responses"])
            if method != "get" or path != "/api/v1/auth/csrf/":
                assert "403" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if method in ("post", "put", "patch"):
                assert "400" in codes or operation.get("requestBody") is None, (method, path)


# -- schedule and stats: plain lists, not filtered lists of rotas ---------------------------------


def test_schedule_and_stats_are_plain_lists_that_rota_filters_do_not_hide(api, rota, schema):
    for action in ("schedule", "stats"):
        response = api.get(f"/api/v1/rotas/{rota.pk}/{action}/", {"is_active": "false"})
        assert response.status_code == 200, (action, response.content)
        assert isinstance(response.json(), list)
        operation = schema["paths"][f"/api/v1/rotas/{{id}}/{action}/"]["get"]
        names = {p["name"] for p in operation["parameters"]}
        assert names == {"id", "start", "end"} | ({"format"} if action == "stats" else set())
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == (
            "array"
        )


def test_stats_documents_csv_for_its_answers_and_errors(api, rota, schema):
    responses = schema["paths"]["/api/v1/rotas/{id}/stats/"]["get"]["responses"]
    assert responses["200"]["content"]["text/csv"]["schema"] == {"type": "string"}
    assert "text/csv" in responses["400"]["content"]

    bad = api.get(f"/api/v1/rotas/{rota.pk}/stats/", {"format": "csv", "start": "soon"})
    assert bad.status_code == 400
    assert bad["Content-Type"].startswith("text/csv")


# -- query parameters: a wrong value is a 400, an empty one means absent -------------------------


@pytest.mark.parametrize("value", ["null", "0", "-3", "2.5"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_400(api, value):
    response = api.get("/api/v1/people/", {"page_size": value})

    assert response.status_code == 400
    assert "page_size" in response.json()


def test_an_empty_query_parameter_means_absent(api, schema):
    assert api.get("/api/v1/people/", {"page_size": ""}).status_code == 200
    assert api.get("/api/v1/shifts/", {"start": ""}).status_code == 200
    shifts = {p["name"]: p for p in schema["paths"]["/api/v1/shifts/"]["get"]["parameters"]}
    assert shifts["start"]["allowEmptyValue"] is True


def test_unread_must_be_a_boolean(api):
    assert api.get("/api/v1/notifications/", {"unread": "maybe"}).status_code == 400
    assert api.get("/api/v1/notifications/", {"unread": "true"}).status_code == 200


def test_webhook_is_active_filter_must_be_a_boolean(api):
    assert api.get("/api/v1/webhooks/", {"is_active": "-58800"}).status_code == 400
    assert api.get("/api/v1/webhooks/", {"is_active": "false"}).status_code == 200


@pytest.mark.parametrize("url", ["/api/v1/shifts/", "/api/v1/unavailability/"])
def test_datetime_filters_take_any_offset_and_refuse_what_overflows(api, url):
    # PostgreSQL stores offsets up to ±15:59 only: the filters hand it UTC.
    assert api.get(url, {"start": "0702-10-25T04:31:27-19:18"}).status_code == 200
    overflow = api.get(url, {"start": "0001-01-01T00:00:00+05:00"})
    assert overflow.status_code == 400
    assert "start" in overflow.json()


# -- request bodies: JSON only, each value in the JSON type the schema gives it ------------------


def test_form_encoded_bodies_are_refused(api):
    response = api.post("/api/v1/people/", {"name": "Ann", "email": "ann@example.com"})

    assert response.status_code == 415


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/v1/people/", {"name": 0, "email": "a@example.com"}, "name"),
        ("/api/v1/people/", {"name": "A", "email": "a@x.com", "is_active": "no"}, "is_active"),
        ("/api/v1/people/", {"name": "A", "email": "a@x.com", "notify_email": 0}, "notify_email"),
        ("/api/v1/rotas/", {"name": "R", "cadence": "daily", "starts_on": "2030-01-01",
                            "interval": "2"}, "interval"),
        ("/api/v1/rotas/", {"name": "R", "cadence": "daily", "starts_on": "2030-01-01",
                            "members": ["1"]}, "members"),
    ],
)  # fmt: skip
def test_values_of_another_json_type_are_refused(api, url, body, field):
    response = post(api, url, body)

    assert response.status_code == 400
    assert field in response.json()


def test_the_csv_import_keeps_its_spellings_of_booleans():
    from rota_core.people_import import people_import_csv

    result = people_import_csv(
        rows=[["name", "email", "is_active"], ["Ben", "ben@example.com", "no"]]
    )

    assert not result.errors
    assert result.created[0].is_active is False


@pytest.mark.parametrize("value", ["09:00:00Z", "09:00+01:00", "0900", "9:00", "24:00"])
def test_handoff_time_is_a_local_wall_time(api, value, schema):
    body = {"name": "R", "cadence": "daily", "starts_on": "2030-01-01", "handoff_time": value}

    response = post(api, "/api/v1/rotas/", body)

    assert response.status_code == 400
    assert "handoff_time" in response.json()
    field = schema["components"]["schemas"]["Rota"]["properties"]["handoff_time"]
    assert "pattern" in field and "format" not in field


def test_handoff_time_reads_back_as_it_was_written(api):
    body = {"name": "R", "cadence": "daily", "starts_on": "2030-01-01", "handoff_time": "07:30"}

    response = post(api, "/api/v1/rotas/", body)

    assert response.status_code == 201, response.content
    assert response.json()["handoff_time"] == "07:30:00"


def test_webhooks_take_patch_not_put(api, rota):
    hook = WebhookSubscription.objects.create(rota=rota, url="https://93.184.215.14/hook")

    assert post(api, f"/api/v1/webhooks/{hook.pk}/", {"is_active": False}, "put").status_code == 405
