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
