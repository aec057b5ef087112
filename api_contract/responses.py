"""pytest plugin: fail a test whose client receives an /api/v1/ answer the schema does not
describe.

Registered by the workspace's pyproject (``-p api_contract.responses``), so it runs for
``uv run pytest`` from the root with the site's settings, over every package's tests and the
site's. It wraps ``django.test.Client.request`` (DRF's APIClient goes through it too) for the
whole session and checks each JSON answer under /api/v1/ with openapi-core against the
document ``/api/schema/`` serves, generated once. The packages' own runs (tox, their
tests/settings.py) do not register it: their URLconfs hold one app each, and the document a
client reads is the site's. A run for another site (the host-site test's child pytest) turns it
off with ``ROTA_API_CONTRACT=off``.
"""

import os
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from django.test.client import Client

if TYPE_CHECKING:
    from .schema import Answer


def answer_of(environ: dict, response) -> "Answer":
    from .schema import Answer  # drf-spectacular reads the settings when imported

    return Answer(
        method=environ.get("REQUEST_METHOD", "GET"),
        path=environ.get("PATH_INFO", ""),
        query=environ.get("QUERY_STRING", ""),
        status=response.status_code,
        content_type=response.get("Content-Type", ""),
        body=b"" if response.streaming else response.content,
    )


def check(answer: "Answer") -> None:
    """Fail the running test when ``answer`` is not what the document says."""
    __tracebackhide__ = True  # the traceback ends at the test's own client call
    from .schema import mismatches, site_openapi

    if response_problems := mismatches(site_openapi(), answer):
        details = "\n".join(response_problems)
        body = answer.body[:2000].decode("utf-8", "replace")
        pytest.fail(
            f"The OpenAPI document does not describe this answer:\n"
            f"{answer.method} {answer.path}{'?' + answer.query if answer.query else ''}"
            f" -> {answer.status}\n{details}\nbody: {body}"
        )


@pytest.fixture(scope="session", autouse=True)
def _api_answers_match_the_schema(django_test_environment) -> Iterator[None]:
    if os.environ.get("ROTA_API_CONTRACT") == "off":
        yield
        return
    from .schema import should_check, site_openapi

    site_openapi()  # generated before any test changes the settings
    original = Client.request

    def request(self, **environ):
        __tracebackhide__ = True
        response = original(self, **environ)
        if not response.streaming:
            answer = answer_of(response.request, response)
            if should_check(answer):
                check(answer)
        return response

    Client.request = request
    try:
        yield
    finally:
        Client.request = original
