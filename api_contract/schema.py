"""The site's OpenAPI document, generated from the code, and checking answers against it."""

import json
from dataclasses import dataclass
from functools import cache
from typing import Any

from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from openapi_core import OpenAPI
from openapi_core.templating.paths.exceptions import OperationNotFound, PathNotFound
from openapi_core.testing import MockRequest, MockResponse

API_PREFIX = "/api/v1/"
HOST_URL = "http://testserver"


def generate() -> dict[str, Any]:
    """The document `/api/schema/` serves, as plain JSON data."""
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return json.loads(OpenApiJsonRenderer().render(schema))


@cache
def site_openapi() -> OpenAPI:
    """The generated document, loaded (and checked as OpenAPI 3.1) once per process, with
    every object closed: a property the document does not list is a mismatch too."""
    return OpenAPI.from_dict(closed(generate()))


def closed(node: Any) -> Any:
    """``node`` with ``additionalProperties: false`` on each object schema that lists its
    properties and says nothing about others (JSON Schema's default lets any through)."""
    if isinstance(node, list):
        return [closed(item) for item in node]
    if not isinstance(node, dict):
        return node
    copy = {key: closed(value) for key, value in node.items()}
    if isinstance(node.get("properties"), dict) and "additionalProperties" not in node:
        copy["additionalProperties"] = False
    return copy


@dataclass(frozen=True)
class Answer:
    """What the suite's client received: enough to find the operation and check the body."""

    method: str
    path: str
    query: str
    status: int
    content_type: str
    body: bytes


def should_check(answer: Answer) -> bool:
    """Only JSON (or empty) answers of the API (not CSV); not the 429s of the limits, nor the
    406 of an Accept header no renderer satisfies: any operation may answer them (docs/api.md's
    error table; login documents its 429)."""
    if not answer.path.startswith(API_PREFIX) or answer.method == "OPTIONS":
        return False  # OPTIONS: CORS preflights, answered by the CORS middleware
    if answer.status in (406, 429):
        return False
    media_type = answer.content_type.split(";")[0].strip().lower()
    return media_type == "application/json" or not answer.body


def mismatches(openapi: OpenAPI, answer: Answer) -> list[str]:
    """What is wrong with ``answer`` according to the document; empty when it matches."""
    request = MockRequest(HOST_URL, answer.method, answer.path, args=_query(answer.query))
    response = MockResponse(
        answer.body or b"",
        status_code=answer.status,
        content_type=answer.content_type.split(";")[0].strip() or "application/json",
    )
    try:
        openapi.validate_response(request, response)
    except (PathNotFound, OperationNotFound) as error:
        # A URL no route matches answers the JSON 404 of the site's error handlers.
        if answer.status == 404:
            return []
        if isinstance(error, PathNotFound):
            return ["the path is not in the schema"]
        return [] if answer.status == 405 else ["the method is not in the schema"]
    except Exception as error:  # openapi-core's validation errors
        return _describe(error)
    return []


def _query(query: str) -> dict[str, str]:
    from urllib.parse import parse_qsl

    return dict(parse_qsl(query, keep_blank_values=True))


def _describe(error: BaseException) -> list[str]:
    causes = getattr(error.__cause__, "schema_errors", None)
    if not causes:
        return [f"{type(error).__name__}: {error}"]
    return [
        f"{type(error).__name__} at {'/'.join(map(str, cause.absolute_path)) or '(body)'}: "
        f"{cause.message[:300]}"
        for cause in causes
    ]
