from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

import rota_core.urls


def test_openapi_schema_of_the_app_is_valid_and_warning_free():
    GENERATOR_STATS.reset()

    schema = SchemaGenerator(patterns=rota_core.urls.urlpatterns).get_schema(public=True)

    validate_schema(schema)
    assert not GENERATOR_STATS, (
        dict(GENERATOR_STATS._warn_cache),
        dict(GENERATOR_STATS._error_cache),
    )
    paths = schema["paths"]
    assert {"/auth/csrf/", "/auth/login/", "/auth/logout/", "/auth/me/"} <= set(paths)
    assert set(paths["/people/{id}/"]) == {"get", "patch", "delete"}
    assert {"200", "400", "403", "429"} <= set(paths["/auth/login/"]["post"]["responses"])
    assert "calendar_token" not in schema["components"]["schemas"]["Person"]["properties"]


def test_nullable_in_a_3_1_document_becomes_null_among_the_types():
    from rota_core.api.schema import postprocess_nullable_for_openapi_3_1

    document = {
        "openapi": "3.1.0",
        "components": {
            "schemas": {
                "Page": {
                    "properties": {
                        "next": {"type": "string", "nullable": True, "format": "uri"},
                        "holder": {"$ref": "#/components/schemas/Person", "nullable": True},
                        "count": {"type": "integer", "nullable": False},
                    }
                }
            }
        },
    }

    result = postprocess_nullable_for_openapi_3_1(document, None, None, True)

    properties = result["components"]["schemas"]["Page"]["properties"]
    assert properties["next"] == {"type": ["string", "null"], "format": "uri"}
    assert properties["holder"] == {
        "oneOf": [{"$ref": "#/components/schemas/Person"}, {"type": "null"}]
    }
    assert properties["count"] == {"type": "integer"}


def test_nullable_in_a_3_0_document_is_left_alone():
    from rota_core.api.schema import postprocess_nullable_for_openapi_3_1

    document = {"openapi": "3.0.3", "x": {"type": "string", "nullable": True}}

    assert postprocess_nullable_for_openapi_3_1(document, None, None, True) == document


def test_the_user_schema_gives_email_no_format_its_blank_default_would_break():
    schema = SchemaGenerator(patterns=rota_core.urls.urlpatterns).get_schema(public=True)

    email = schema["components"]["schemas"]["User"]["properties"]["email"]
    assert email["type"] == "string" and "format" not in email
