"""The schema never lies: the committed document is the generated one, it is valid OpenAPI,
and the suite-wide hook (api_contract.responses) fails a test whose answer it does not describe.
"""

import copy
import difflib
from pathlib import Path

import pytest
import yaml
from django.core.management import call_command
from drf_spectacular.drainage import GENERATOR_STATS
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

from api_contract.schema import generate
from rota_settings.api.serializers import SystemSettingsSerializer

COMMITTED = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
REGENERATE = "uv run rota spectacular --file docs/openapi.yaml --validate --fail-on-warn"


def test_the_committed_document_is_the_generated_one(tmp_path):
    generated = tmp_path / "openapi.yaml"
    GENERATOR_STATS.reset()

    call_command("spectacular", "--file", str(generated), "--validate", "--fail-on-warn")

    diff = list(
        difflib.unified_diff(
            COMMITTED.read_text().splitlines(),
            generated.read_text().splitlines(),
            "docs/openapi.yaml (committed)",
            "generated from the code",
            lineterm="",
        )
    )
    assert not diff, (
        f"docs/openapi.yaml is not what the code generates: the API changed. Regenerate it "
        f"with `{REGENERATE}`, then `cd clients/ts && npm run generate` for the typed client, "
        f"and commit both.\n" + "\n".join(diff[:60])
    )


@pytest.fixture(scope="module")
def generated_document():
    return generate()


@pytest.fixture
def document(generated_document):
    return copy.deepcopy(generated_document)


def test_the_generated_document_is_valid_openapi_3_1(document):
    validate(document)  # openapi-spec-validator: raises on any error

    assert document["openapi"] == "3.1.0"
    assert yaml.safe_load(COMMITTED.read_text())["openapi"] == "3.1.0"


def test_a_default_that_breaks_its_own_format_is_caught_by_the_spec_validator(document):
    # What the User schema said before: `email` in the email format with the default "".
    document["components"]["schemas"]["User"]["properties"]["email"] = {
        "type": "string", "format": "email", "default": "",
    }  # fmt: skip

    with pytest.raises(OpenAPIValidationError, match="'' is not a 'email'"):
        validate(document)


def test_the_documented_me_has_unread_notifications_and_settings_no_put(document):
    me = document["components"]["schemas"]["Me"]
    assert me["properties"]["unread_notifications"]["type"] == "integer"
    assert "unread_notifications" in me["required"]
    assert set(document["paths"]["/api/v1/settings/"]) == {"get", "patch"}


@pytest.fixture
def reader_client(client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader"))
    return client


def test_an_answer_with_a_wrong_type_fails_the_test(reader_client, monkeypatch):
    monkeypatch.setattr(
        SystemSettingsSerializer, "to_representation", lambda self, row: {"timezone": 3}
    )

    with pytest.raises(pytest.fail.Exception) as failure:
        reader_client.get("/api/v1/settings/")

    message = str(failure.value)
    assert "does not describe this answer" in message
    assert "GET /api/v1/settings/ -> 200" in message
    assert "at timezone: 3 is not of type 'string'" in message


def test_an_answer_with_a_property_the_schema_does_not_list_fails_the_test(
    reader_client, monkeypatch
):
    real = SystemSettingsSerializer.to_representation
    monkeypatch.setattr(
        SystemSettingsSerializer,
        "to_representation",
        lambda self, row: {**real(self, row), "colour": "blue"},
    )

    with pytest.raises(pytest.fail.Exception, match="'colour' was unexpected"):
        reader_client.get("/api/v1/settings/")


def test_an_undocumented_status_fails_the_test(reader_client, monkeypatch):
    from rest_framework.response import Response

    from rota_settings.api.views import SystemSettingsView

    monkeypatch.setattr(
        SystemSettingsView, "retrieve", lambda self, request: Response({"detail": "x"}, 418)
    )

    with pytest.raises(pytest.fail.Exception, match="-> 418"):
        reader_client.get("/api/v1/settings/")


def test_what_the_hook_leaves_alone(reader_client):
    assert reader_client.get("/api/v1/no-such-thing/").status_code == 404  # no route
    assert reader_client.get("/health/").status_code in (200, 503)  # not the API
    csv = reader_client.get("/api/v1/rotas/1/stats/", {"format": "csv"})
    assert csv.status_code == 404  # no such rota; the answer is CSV, not checked
