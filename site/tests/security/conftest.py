"""Shared by the security tests: the site's routes read from its URL configuration, and one
row of each kind the API serves.

Tests take ``api_call`` (every method of every non-public API route), ``unsafe_call`` (every
unsafe method of every route) or ``write_call`` (those of the API) and are parametrized over
the routes the resolver knows, so a route added later is covered without touching them.
"""

import datetime as dt
from functools import cache
from typing import NamedTuple

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from rota_core.testing.factories import PersonFactory, UnavailabilityFactory, UserFactory
from rota_notifications.models import Notification, WebhookSubscription
from rota_scheduling.models import Shift, Swap
from rota_scheduling.testing.factories import OverrideFactory, RotaFactory

UNSAFE = ("post", "put", "patch", "delete")

# Routes anyone may call (SPEC section 4), by URL name.
PUBLIC = {"auth-csrf", "auth-login", "schema", "api-docs", "rota-calendar-feed", "health"}


class Route(NamedTuple):
    route: str  # as in the URLconf, e.g. "api/v1/^people/(?P<pk>[^/.]+)/$"
    name: str  # URL name with its namespace, for reverse()
    basename: str  # the router's basename (or the name): which object its {pk} is
    kwargs: tuple[str, ...]
    methods: tuple[str, ...]  # lower case, those the view really serves

    @property
    def is_api(self) -> bool:
        return self.route.startswith("api/v1/") and self.name not in PUBLIC


class Call(NamedTuple):
    route: Route
    method: str

    @property
    def id(self) -> str:
        return f"{self.method.upper()} {self.route.name}"


def _walk(patterns, prefix="", namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
        else:
            yield prefix + str(pattern.pattern), namespace, pattern


def _methods(pattern: URLPattern) -> tuple[str, ...]:
    callback = pattern.callback
    view_class = getattr(callback, "cls", None) or getattr(callback, "view_class", None)
    if view_class is None:  # a function view: GET only (health, calendar feed)
        return ("get",)
    allowed = set(view_class.http_method_names) - {"head", "options", "trace"}
    actions = getattr(callback, "actions", None)
    if actions is not None:  # a viewset route: the router's mapping, minus refused methods
        return tuple(sorted(set(actions) & allowed))
    return tuple(sorted(m for m in allowed if hasattr(view_class, m)))


@cache
def site_routes() -> tuple[Route, ...]:
    """Every route of the site but the admin's (Django's own, with its own login)."""
    routes = []
    for route, namespace, pattern in _walk(get_resolver().url_patterns):
        if route.startswith("admin/"):
            continue
        basename = getattr(pattern.callback, "initkwargs", {}).get("basename") or pattern.name
        kwargs = tuple(pattern.pattern.regex.groupindex)
        routes.append(Route(route, namespace + pattern.name, basename, kwargs, _methods(pattern)))
    return tuple(routes)


def api_calls() -> list[Call]:
    return [Call(r, m) for r in site_routes() if r.is_api for m in r.methods]


def unsafe_calls() -> list[Call]:
    return [Call(r, m) for r in site_routes() for m in r.methods if m in UNSAFE]


def pytest_generate_tests(metafunc):
    for argument, calls in [
        ("api_call", api_calls),
        ("unsafe_call", unsafe_calls),
        ("write_call", lambda: [c for c in unsafe_calls() if c.route.is_api]),
    ]:
        if argument in metafunc.fixturenames:
            found = calls()
            metafunc.parametrize(argument, found, ids=[c.id for c in found])


def url_for(route: Route, objects: dict) -> str:
    """The route's URL for the ``objects`` row of its kind."""
    if not route.kwargs:
        return reverse(route.name)
    if route.kwargs == ("token",):
        return reverse(route.name, kwargs={"token": objects["person"].calendar_token})
    assert route.kwargs == ("pk",), f"{route.name}: teach url_for its parameters"
    assert route.basename in objects, f"{route.name}: add a {route.basename} to `objects`"
    return reverse(route.name, kwargs={"pk": objects[route.basename].pk})


@pytest.fixture
def objects(db):
    """One row of each kind the API serves, with a linked user; keyed by route basename."""
    owner = UserFactory(username="owner")
    me = PersonFactory(user=owner, name="Owner")
    other = PersonFactory(name="Other")
    start = dt.date.today() - dt.timedelta(days=3)
    rota = RotaFactory(members=[me, other], cadence="daily", starts_on=start)
    webhook = WebhookSubscription.objects.create(
        rota=rota, url="http://127.0.0.1:9/hook", secret="webhook-signing-secret"
    )
    notification = Notification.objects.create(
        person=me, rota=rota, kind="shift_started", title="On duty", body="You are on duty.",
        dedup_key="security:1",
    )  # fmt: skip
    return {
        "owner": owner,
        "person": me,
        "other_person": other,
        "person-calendar-token": me,
        "unavailability": UnavailabilityFactory(person=me),
        # Three days out: the override below (from an hour from now, for a day) must not fall
        # in Other's leave, which would refuse Other as its coverer.
        "other_unavailability": UnavailabilityFactory(
            person=other, starts_at=timezone.now() + dt.timedelta(days=3)
        ),
        "rota": rota,
        "shift": Shift.objects.filter(rota=rota).first(),
        "override": OverrideFactory(rota=rota, person=other),
        "notification": notification,
        "webhook": webhook,
        "swap": Swap.objects.create(
            rota=rota,
            requester=other,
            starts_at=rota.next_handoff_at + dt.timedelta(days=30),
            ends_at=rota.next_handoff_at + dt.timedelta(days=31),
        ),
    }


@pytest.fixture
def superuser_client(db):
    client = APIClient()
    client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def url_of(objects):
    """``url_of(route)``: the route's URL for the ``objects`` row of its kind."""
    return lambda route: url_for(route, objects)


@pytest.fixture
def routes() -> tuple[Route, ...]:
    return site_routes()


@pytest.fixture
def public_names() -> set[str]:
    return set(PUBLIC)
