"""OpenAPI: the error answers every Rota Round operation may give, documented once.

drf-spectacular documents the success answer of each operation; the errors come from the
shared conventions (``exceptions.exception_handler``, pagination, session authentication
with CSRF, JSON-only bodies) and are the same everywhere, so a postprocessing hook adds them::

    SPECTACULAR_SETTINGS = {
        "POSTPROCESSING_HOOKS": [
            "drf_spectacular.hooks.postprocess_schema_enums",
            "rota_core.api.schema.postprocess_error_responses",
        ],
    }

Answers an operation documents itself (e.g. login's 400 and 429) are kept as they are.
Optional query parameters get ``allowEmptyValue``: an empty ``?start=`` means no start.

With ``"OAS_VERSION": "3.1.0"``, list ``postprocess_nullable_for_openapi_3_1`` too: DRF's
own schema pieces (e.g. the paginator's ``next``/``previous``) still say 3.0's
``nullable: true``, which OpenAPI 3.1 no longer knows (a validator then refuses ``null``).
"""

from typing import Any

UNSAFE_METHODS = frozenset({"post", "put", "patch", "delete"})
HTTP_METHODS = frozenset({"get", "head", "options", *UNSAFE_METHODS, "trace"})

ERROR_SCHEMA = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
VALIDATION_ERROR_SCHEMA = {
    "type": "object",
    "description": (
        "Field errors: each field name (or non_field_errors) maps to a list of messages; "
        'a problem with the request as a whole is {"detail": ...}.'
    ),
    "additionalProperties": {},
}


def _ref(name: str) -> dict[str, Any]:
    return {"$ref": f"#/components/schemas/{name}"}


def _answer(description: str, schema_name: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": _ref(schema_name)}},
    }


def _errors_for(path: str, method: str, operation: dict[str, Any]) -> dict[str, dict[str, Any]]:
    parameters = operation.get("parameters", [])
    query = {p["name"] for p in parameters if p.get("in") == "query"}
    anonymous_allowed = {} in operation.get("security", [{}])
    unsafe = method in UNSAFE_METHODS
    errors: dict[str, dict[str, Any]] = {}
    if "requestBody" in operation or query:
        errors["400"] = _answer("Invalid input: field errors.", "ValidationError")
    if unsafe or not anonymous_allowed:
        errors["403"] = _answer(
            "Not signed in, no permission, or (unsafe methods) CSRF token missing or wrong.",
            "Error",
        )
    if "{" in path or "page" in query:
        errors["404"] = _answer("No such object, or no such page.", "Error")
    if "requestBody" in operation:
        errors["415"] = _answer("The body is not JSON (the API takes JSON only).", "Error")
    if unsafe:
        errors["409"] = _answer(
            "The change conflicts with the current data (e.g. deleting what is still in use).",
            "Error",
        )
    return errors


def postprocess_error_responses(
    result: dict[str, Any], generator, request, public
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: add the shared error answers to every operation."""
    schemas = result.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Error", ERROR_SCHEMA)
    schemas.setdefault("ValidationError", VALIDATION_ERROR_SCHEMA)
    for path, item in result.get("paths", {}).items():
        for method, operation in item.items():
            if method not in HTTP_METHODS:
                continue
            for parameter in operation.get("parameters", []):
                # Filters, pagination and windows all read ``?name=`` as if it were absent.
                if parameter.get("in") == "query" and not parameter.get("required"):
                    parameter.setdefault("allowEmptyValue", True)
            responses = operation.setdefault("responses", {})
            # An operation that also renders e.g. CSV (?format=csv) renders its errors so too.
            others = {
                media_type
                for answer in responses.values()
                for media_type in answer.get("content", {})
                if media_type != "application/json"
            }
            for status, answer in _errors_for(path, method, operation).items():
                for media_type in sorted(others):
                    answer["content"][media_type] = {"schema": {"type": "string"}}
                responses.setdefault(status, answer)
    return result


def _null_allowed(node: Any) -> Any:
    if isinstance(node, list):
        return [_null_allowed(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: _null_allowed(value) for key, value in node.items()}
    if node.pop("nullable", False) is not True:
        return node
    kind = node.get("type")
    if isinstance(kind, str):
        return {**node, "type": [kind, "null"]}
    if isinstance(kind, list):
        return {**node, "type": [*kind, *(["null"] if "null" not in kind else [])]}
    return {"oneOf": [node, {"type": "null"}]}


def postprocess_nullable_for_openapi_3_1(
    result: dict[str, Any], generator, request, public
) -> dict[str, Any]:
    """drf-spectacular postprocessing hook: in a 3.1 document, ``nullable: true`` becomes
    ``null`` among the types (or ``oneOf: [..., {"type": "null"}]``)."""
    if not str(result.get("openapi", "")).startswith("3.1"):
        return result
    return _null_allowed(result)
