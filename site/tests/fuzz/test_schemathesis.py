"""Schemathesis against the OpenAPI document the site serves at /api/schema/.

Every operation is fuzzed in-process through the site's WSGI application, signed in as a
superuser: the session cookie, the CSRF cookie and the matching X-CSRFToken header, given to
schemathesis as an auth provider so its ``ignored_auth`` check can take them away again.
Each request runs in a savepoint that is rolled back, so every example sees the same seeded
data: rotas with members and history, an override, unavailability, a webhook and a
notification. Most ids the fuzzer draws (in the path, and in body fields such as ``person``,
``rota`` or ``members``) are pointed at seeded rows, so detail routes and writes reach real
objects; the rest (and huge or negative ids) are sent as drawn.

Checks: no 5xx, status codes, content types, headers and bodies as documented, invalid input
refused (negative_data_rejection), auth really enforced, undeclared methods refused.
``positive_data_acceptance`` is left out: a request the schema allows may still break a
business rule (a duplicate email, ``starts_on`` outside ``weekdays``), and 400 is then the
right answer. ``ROTA_FUZZ_EXAMPLES`` sets the examples per operation (default 8, for CI).
"""

import datetime as dt
import os
from importlib import import_module

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib import auth
from django.contrib.sessions.models import Session
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections, transaction
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.core.parameters import ParameterLocation

from rota_core.testing.factories import PersonFactory, UnavailabilityFactory, UserFactory
from rota_notifications.models import Notification, WebhookSubscription
from rota_scheduling.models import Shift
from rota_scheduling.testing.factories import OverrideFactory, RotaFactory

MAX_EXAMPLES = int(os.environ.get("ROTA_FUZZ_EXAMPLES", "8"))
CHECKS = [
    "not_a_server_error",
    "status_code_conformance",
    "content_type_conformance",
    "response_headers_conformance",
    "response_schema_conformance",
    "negative_data_rejection",
    "ignored_auth",
    "unsupported_method",
    "missing_required_header",
]
CONFIG = schemathesis.Config.from_dict(
    {
        "generation": {"max-examples": MAX_EXAMPLES, "deterministic": True},
        "checks": {"enabled": False, **{name: {"enabled": True} for name in CHECKS}},
    }
)

# The document /api/schema/ serves (test_served_schema_is_the_fuzzed_one pins that). It is
# built here rather than fetched because collection happens before the test database exists.
schema = schemathesis.openapi.from_dict(
    SchemaGenerator().get_schema(request=None, public=True), config=CONFIG
)
schema.config.generation.update(with_security_parameters=False)
schema.app = WSGIHandler()
# Fixed, because schemathesis builds its coverage-phase cases (auth included) at collection
# time; the `seeded` fixture stores a signed-in session under this key in each test.
SESSION_KEY = "fuzzsession0000000000000000000000"
CSRF_SECRET = "fuzzcsrf" + "0" * 24


@schema.auth(refresh_interval=None)
class SessionAuth:
    """The fuzz user's session cookie, and the CSRF cookie with its matching header."""

    def get(self, case, context):
        return {"sessionid": SESSION_KEY, "csrftoken": CSRF_SECRET}

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), **data}
        case.headers = {**(case.headers or {}), "X-CSRFToken": data["csrftoken"]}


def sign_in_with_fixed_session_key(user) -> None:
    store = import_module(django_settings.SESSION_ENGINE).SessionStore()
    store[auth.SESSION_KEY] = str(user.pk)
    store[auth.BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    store[auth.HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    Session.objects.filter(session_key=store.session_key).update(session_key=SESSION_KEY)


@pytest.fixture
def in_process_requests():
    """Let the WSGI app share the test's connection: Django's request signals would close it
    mid-transaction (the test client disconnects them the same way)."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def seeded(db):
    """One of each kind of row, owned by a superuser linked to a person."""
    user = UserFactory(username="fuzz", is_staff=True, is_superuser=True)
    me = PersonFactory(user=user, name="Fuzz Me")
    alice, bob = PersonFactory.create_batch(2)
    start = dt.date.today() - dt.timedelta(days=10)
    rota = RotaFactory(members=[me, alice, bob], cadence="daily", starts_on=start)
    other = RotaFactory(members=[alice], cadence="weekly", starts_on=start)
    override = OverrideFactory(rota=rota, person=bob)
    unavailability = UnavailabilityFactory(person=me)
    webhook = WebhookSubscription.objects.create(
        rota=rota, url="http://127.0.0.1:9/hook", format="json", secret="s3cret-hook"
    )
    notification = Notification.objects.create(
        person=me, rota=rota, kind="shift_started", title="On duty", body="You are on duty.",
        dedup_key="fuzz:1",
    )  # fmt: skip
    sign_in_with_fixed_session_key(user)
    return {
        "users": [user.pk],
        "people": [me.pk, alice.pk, bob.pk],
        "rotas": [rota.pk, other.pk],
        "shifts": list(Shift.objects.values_list("pk", flat=True)),
        "overrides": [override.pk],
        "unavailability": [unavailability.pk],
        "webhooks": [webhook.pk],
        "notifications": [notification.pk],
    }


# Body fields holding ids, and the seeded collection each one refers to.
BODY_REFERENCES = {"person": "people", "rota": "rotas", "members": "people", "user": "users"}


def _seeded(drawn, rows: list[int] | None):
    """A seeded id for most drawn ids in the database's range; the rest are left as drawn, so
    missing (and huge or negative) ids are still tried."""
    if not rows or isinstance(drawn, bool) or not isinstance(drawn, int):
        return drawn
    if not 0 <= drawn < 2**31 or drawn % 4 == 3:
        return drawn
    return rows[drawn % len(rows)]


def point_ids_at_seeded_rows(case, ids: dict[str, list[int]]) -> None:
    """Point drawn ids (path and body) at seeded rows, so detail routes and writes reach real
    objects; only where the drawn value is itself valid, so negative cases stay negative."""
    negative_path = case.meta is not None and case.meta.is_negative_at(ParameterLocation.PATH)
    if case.path_parameters and "id" in case.path_parameters and not negative_path:
        collection = case.path.removeprefix("/api/v1/").split("/", 1)[0]
        drawn = case.path_parameters["id"]
        if isinstance(drawn, str) and drawn.isascii() and drawn.isdigit():
            drawn = int(drawn)  # the coverage phase draws path ids as strings
        case.path_parameters = {**case.path_parameters, "id": _seeded(drawn, ids.get(collection))}
    if isinstance(case.body, dict):
        body = dict(case.body)
        for name, collection in BODY_REFERENCES.items():
            value = body.get(name)
            if isinstance(value, list):
                body[name] = [_seeded(item, ids.get(collection)) for item in value]
            elif value is not None:
                body[name] = _seeded(value, ids.get(collection))
        case.body = body


@schema.parametrize()
@settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_every_operation_answers_as_documented(case, seeded, in_process_requests):
    point_ids_at_seeded_rows(case, seeded)
    with transaction.atomic():
        case.call_and_validate()
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_served_schema_is_the_fuzzed_one(client):
    served = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert served.status_code == 200
    document = served.json()
    assert document["paths"] == schema.raw_schema["paths"]
    assert document["components"] == schema.raw_schema["components"]
