"""The examples in docs/api.md are of the documented shapes: each JSON answer shown there is
validated against its operation's response schema in the committed docs/openapi.yaml.

An example is attributed to an operation by the request line before it
(``POST /api/v1/rotas/ {...}``, then ``201`` and the body, or ``400 {...}``; a GET's body
may follow its request line directly), or by a preceding ```http block holding only a request
line, or else by its section heading (``### `GET auth/me/` ``; a bare ``200 {...}`` or a bare
body, read as 200). Ids in paths match the document's templates (``/api/v1/rotas/3/schedule/``
is ``/api/v1/rotas/{id}/schedule/``). Trimmed parts are left out: a ``"…": "…"`` member drops
out and its object is checked as partial (no ``required``), a ``"…"`` list item drops out.
Objects are otherwise closed, as in the suite-wide check (api_contract): a property the schema
does not list is a mismatch.
"""

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import yaml
from jsonschema import Draft202012Validator, validators
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from api_contract.schema import closed  # objects closed, as the suite's answer check has them

ROOT = Path(__file__).resolve().parents[2]
API_MD = ROOT / "docs" / "api.md"
OPENAPI = ROOT / "docs" / "openapi.yaml"
DOCUMENT_URI = "urn:rota-round:openapi"
ELLIPSIS = "…"
SCHEMA_IN_RESPONSE = ("content", "application/json", "schema")
METHODS = ("GET", "POST", "PATCH", "PUT", "DELETE")

REQUEST = re.compile(rf"({'|'.join(METHODS)}) (/api/v1/\S*)(?: \([^)\n]*\))?")
STATUS = re.compile(r"(\d{3})\b")
HEADING = re.compile(r"^#{2,4} (.*)$")
HEADING_OPERATION = re.compile(rf"`({'|'.join(METHODS)}) ([^`?\s]+)")

# Examples the document does not describe on purpose, each with why: (method, path, status).
UNCHECKED = {
    # auth/login/'s 403 (CSRF failure) is raised by the CSRF check before the view; the
    # document lists the status for the operation without a body schema.
    ("post", "/api/v1/auth/login/", "403"): "the document gives login's 403 no body schema",
}

# Each main resource's section shows at least one checked example.
RESOURCES = {
    "people": ("/api/v1/people/", "/api/v1/people/{id}/"),
    "unavailability": ("/api/v1/unavailability/", "/api/v1/unavailability/{id}/"),
    "rotas": ("/api/v1/rotas/", "/api/v1/rotas/{id}/"),
    "schedule": ("/api/v1/rotas/{id}/schedule/", "/api/v1/schedule/"),
    "shifts": ("/api/v1/shifts/", "/api/v1/shifts/{id}/"),
    "overrides": ("/api/v1/overrides/", "/api/v1/overrides/{id}/"),
    "oncall": ("/api/v1/oncall/",),
    "me/shifts": ("/api/v1/me/shifts/",),
    "notifications": ("/api/v1/notifications/", "/api/v1/notifications/{id}/"),
    "webhooks": ("/api/v1/webhooks/", "/api/v1/webhooks/{id}/"),
    "settings": ("/api/v1/settings/",),
    "auth/me": ("/api/v1/auth/me/",),
}
MINIMUM_CHECKED = 30  # 32 when written


class Partial(dict):
    """An object shown trimmed (it held ``"…": "…"``): its required properties may be absent."""


_required = Draft202012Validator.VALIDATORS["required"]


def _required_unless_partial(validator, required, instance, schema):
    if isinstance(instance, Partial):
        return
    yield from _required(validator, required, instance, schema)


DocValidator = validators.extend(Draft202012Validator, {"required": _required_unless_partial})


@dataclass
class Example:
    line: int
    method: str
    path: str  # as written, without the query
    status: str
    body: Any
    template: str | None = None


def untrimmed(value: Any) -> Any:
    if isinstance(value, dict):
        kept = {key: untrimmed(item) for key, item in value.items() if key != ELLIPSIS}
        return Partial(kept) if ELLIPSIS in value else kept
    if isinstance(value, list):
        return [untrimmed(item) for item in value if item != ELLIPSIS]
    return value


def code_blocks(text: str) -> list[tuple[int, str, str, str | None]]:
    """(first line number, info string, content, last heading) of each fenced block."""
    blocks, heading, lines, index = [], None, text.splitlines(), 0
    while index < len(lines):
        line = lines[index]
        if match := HEADING.match(line):
            heading = match.group(1)
        elif line.startswith("```"):
            info, start = line[3:].strip(), index + 1
            index += 1
            while not lines[index].startswith("```"):
                index += 1
            blocks.append((start + 1, info, "\n".join(lines[start:index]), heading))
        index += 1
    return blocks


def heading_operation(heading: str | None) -> tuple[str, str] | None:
    operations = HEADING_OPERATION.findall(heading or "")
    if len(operations) != 1:
        return None
    method, path = operations[0]
    return method, "/api/v1/" + path.removeprefix("/api/v1/").lstrip("/")


def examples_in(block_line: int, content: str, heading, context) -> tuple[list, list]:
    """The answers shown in one ```json block, and what could not be read or attributed."""
    found, problems = [], []
    request, status, took_body, pos = context, None, False, 0
    decoder = json.JSONDecoder()

    def line_of(offset: int) -> int:
        return block_line + content.count("\n", 0, offset)

    while True:
        while pos < len(content) and content[pos].isspace():
            pos += 1
        if pos >= len(content):
            break
        if match := REQUEST.match(content, pos):
            request = (match.group(1), match.group(2).split("?")[0])
            status, took_body, pos = None, False, match.end()
        elif match := STATUS.match(content, pos):
            status, pos = match.group(1), match.end()
        elif content[pos] in "{[":
            try:
                value, end = decoder.raw_decode(content, pos)
            except json.JSONDecodeError as error:
                problems.append(f"api.md:{line_of(pos)}: not JSON ({error})")
                break
            operation = request or heading_operation(heading)
            if status is None and request is not None and request[0] != "GET" and not took_body:
                took_body = True  # the request's own body
            elif operation is None:
                problems.append(f"api.md:{line_of(pos)}: cannot tell which operation this is")
            else:
                found.append(Example(line_of(pos), *operation, status or "200", value))
                status = None
            pos = end
        else:
            text = content[pos:].split("\n", 1)[0]
            problems.append(f"api.md:{line_of(pos)}: cannot read {text!r}")
            break
    return found, problems


def doc_examples() -> tuple[list[Example], list[str]]:
    examples, problems, previous = [], [], None
    for line, info, content, heading in code_blocks(API_MD.read_text()):
        if info == "json":
            context = None
            match = previous and previous[1] == "http" and REQUEST.fullmatch(previous[2].strip())
            if match:
                context = (match.group(1), match.group(2).split("?")[0])
            found, trouble = examples_in(line, content, heading, context)
            examples += found
            problems += trouble
        previous = (line, info, content)
    return examples, problems


def escaped(part: str) -> str:
    """``part`` as one segment of a JSON pointer inside a URI fragment."""
    return quote(part.replace("~", "~0").replace("/", "~1"), safe="~")


def template_of(path: str, templates: list[str]) -> str | None:
    if path in templates:
        return path
    for template in templates:
        pattern = re.sub(r"\\\{[^}]+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path):
            return template
    return None


def test_every_example_in_api_md_is_of_the_documented_shape():
    document = yaml.safe_load(OPENAPI.read_text())
    registry = Registry().with_resource(
        DOCUMENT_URI, Resource.from_contents(closed(document), default_specification=DRAFT202012)
    )
    examples, problems = doc_examples()
    checked, skipped = [], []
    for example in examples:
        where = f"api.md:{example.line}: {example.method} {example.path} → {example.status}"
        template = template_of(example.path, list(document["paths"]))
        operation = document["paths"].get(template, {}).get(example.method.lower())
        if operation is None:
            problems.append(f"{where}: no such operation in docs/openapi.yaml")
            continue
        example.template = template
        key = (example.method.lower(), template, example.status)
        if key in UNCHECKED:
            skipped.append(f"{where}: {UNCHECKED[key]}")
            continue
        response = operation["responses"].get(example.status)
        if response is None:
            problems.append(f"{where}: status not documented for {template}")
            continue
        if "application/json" not in response.get("content", {}):
            problems.append(f"{where}: no JSON body documented for {template}")
            continue
        parts = ("paths", template, example.method.lower(), "responses", example.status)
        pointer = "/".join(escaped(part) for part in (*parts, *SCHEMA_IN_RESPONSE))
        validator = DocValidator({"$ref": f"{DOCUMENT_URI}#/{pointer}"}, registry=registry)
        errors = sorted(validator.iter_errors(untrimmed(example.body)), key=lambda e: str(e.path))
        for error in errors:
            at = "/".join(str(part) for part in error.absolute_path) or "(body)"
            problems.append(f"{where} ({template}): at {at}: {error.message}")
        checked.append(example)

    assert not problems, "docs/api.md examples that do not match docs/openapi.yaml:\n" + "\n".join(
        problems
    )
    assert len(checked) >= MINIMUM_CHECKED, (
        f"only {len(checked)} examples of docs/api.md were checked (skipped: {skipped})"
    )
    shown = {example.template for example in checked}
    missing = [name for name, paths in RESOURCES.items() if not shown & set(paths)]
    assert not missing, f"no checked example in docs/api.md for: {', '.join(missing)}"
