"""The API's reads at scale: lists, oncall/ and schedule/ take a small constant number of
queries, however many rotas, members, shifts or overrides there are; and the shortcuts that
keep them fast (the current shift loaded with the page, the rota built without the generic
fields) answer exactly what the general paths answer."""

from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.serializers import ModelSerializer

from rota_core.testing.factories import PersonFactory, UnavailabilityFactory
from rota_scheduling.api.serializers import RotaSerializer
from rota_scheduling.models import Membership, Rota, Shift, new_calendar_token
from rota_scheduling.selectors import rota_on_duty, rotas_for_api
from rota_scheduling.services import override_create
from rota_scheduling.testing.factories import RotaFactory
from rota_settings.selectors import get_system_timezone

pytestmark = pytest.mark.django_db

WEEK = timedelta(weeks=1)
HOUR = timedelta(hours=1)

# Each includes the session and user of a signed-in request. The list: count, page (with each
# rota's current shift), members (with their names, deactivation and unavailability), then
# the overrides covering now or the next handoffs, and the taken swaps covering them.
LIST_BUDGET = 7
# oncall/: the active rotas, overrides, shifts, and for rotas projected past a stored handoff
# the rotas themselves and their members (as for the list); the taken swaps.
ONCALL_BUDGET = 8
# Schedules: one more for the taken swaps (and the takers' leave when there are some).
SCHEDULE_BUDGET = 11


@pytest.fixture(autouse=True)
def _system_zone_cached(db):
    """The system zone is read once and cached: keep that one read out of the counts."""
    get_system_timezone()


def anchor(ago: timedelta) -> datetime:
    return (timezone.now() - ago).astimezone(UTC).replace(second=0, microsecond=0)


def _rota(name, people, *, ago=WEEK + HOUR, created=None, **fields) -> Rota:
    first = anchor(ago)
    return RotaFactory(
        name=name, members=people, starts_on=first.date(), handoff_time=first.time(),
        now=created, **fields,
    )  # fmt: skip


@pytest.fixture
def kinds(people):
    """One rota of each kind the readers treat differently."""
    a, b, c, d = people
    UnavailabilityFactory(person=c, starts_at=anchor(-WEEK), ends_at=anchor(-2 * WEEK))
    covered = _rota("Covered", [c, d])
    now = timezone.now()
    override_create(rota=covered, person=a, starts_at=now - HOUR, ends_at=now + HOUR)
    return [
        _rota("Running", people),
        _rota("Overdue", people, cadence="daily", created=now - timedelta(days=1)),
        _rota("Not started", [a, b], ago=-WEEK),
        _rota("Paused", [a, b], is_active=False),
        _rota("Empty", []),
        _rota("System zone", [b, c], timezone=None),
        covered,
    ]


def clone(rota: Rota, copies: int) -> None:
    """``copies`` more rotas in the same state as ``rota`` (members, current shift,
    overrides), written in bulk: building hundreds through the services would be slow."""
    skip = {"id", "name", "slug", "calendar_token", "current_shift"}
    values = {
        f.attname: getattr(rota, f.attname)
        for f in Rota._meta.concrete_fields
        if f.name not in skip
    }
    made = Rota.objects.bulk_create(
        Rota(
            **values,
            name=f"{rota.name} {i:04d}",
            slug=f"{rota.slug}-{i:04d}",
            calendar_token=new_calendar_token(),
        )
        for i in range(copies)
    )
    members = list(rota.memberships.all())
    Membership.objects.bulk_create(
        Membership(rota=copy, person_id=m.person_id, position=m.position)
        for copy in made
        for m in members
    )
    shift = rota.current_shift
    if shift is not None:
        shifts = Shift.objects.bulk_create(
            Shift(
                rota=copy,
                person_id=shift.person_id,
                starts_at=shift.starts_at,
                ends_at=shift.ends_at,
                boundary=shift.boundary,
                source=shift.source,
            )
            for copy in made
        )
        for copy, copied in zip(made, shifts, strict=True):
            copy.current_shift = copied
        Rota.objects.bulk_update(made, ["current_shift"])
    for override in rota.overrides.all():
        type(override).objects.bulk_create(
            type(override)(
                rota=copy,
                person_id=override.person_id,
                starts_at=override.starts_at,
                ends_at=override.ends_at,
            )
            for copy in made
        )


def count_queries(client, url) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(queries), response


def test_the_rota_list_takes_the_same_queries_for_a_few_or_50_rotas(staff_client, kinds):
    url = "/api/v1/rotas/?page_size=50"
    few, small = count_queries(staff_client, url)
    for rota in kinds:
        clone(rota, 7)

    many, large = count_queries(staff_client, url)

    assert small.json()["count"] == len(kinds)
    assert len(large.json()["results"]) == 50
    assert many == few <= LIST_BUDGET
    by_name = {row["name"]: row for row in large.json()["results"]}
    assert by_name["Overdue 0000"]["current"] == by_name["Overdue"]["current"]  # not stale
    assert by_name["Covered 0000"]["current"]["source"] == "override"


def test_the_list_shows_the_same_holders_as_reading_the_history(staff_client, kinds):
    # The list answers "current" from each rota's current shift, loaded with the page; the
    # general path (rota_on_duty) reads the stored shifts covering the instant instead.
    now = timezone.now()
    response = staff_client.get("/api/v1/rotas/?page_size=50")

    shown = {
        row["name"]: row["current"] and (row["current"]["person"]["id"], row["current"]["source"])
        for row in response.json()["results"]
    }
    expected = {}
    for rota in kinds:
        on_duty = rota_on_duty(rota=rota, at=now)
        expected[rota.name] = on_duty.person_id and (on_duty.person_id, on_duty.source)
    assert shown == expected
    assert shown["Running"] and shown["Overdue"] and shown["Covered"][1] == "override"


def test_a_rota_reads_the_same_as_field_by_field(staff_client, kinds):
    request = staff_client.get("/api/v1/rotas/").wsgi_request
    for rota in rotas_for_api().filter(pk__in=[rota.pk for rota in kinds]):
        serializer = RotaSerializer(rota, context={"request": request})

        fast = serializer.to_representation(rota)
        by_fields = ModelSerializer.to_representation(serializer, rota)

        assert list(fast.items()) == list(by_fields.items()), rota.name


def test_oncall_takes_the_same_queries_for_a_few_or_500_rotas(staff_client, kinds):
    few, small = count_queries(staff_client, "/api/v1/oncall/")
    for rota in kinds:
        clone(rota, 500 // len(kinds))

    many, large = count_queries(staff_client, "/api/v1/oncall/")

    active = sum(rota.is_active for rota in kinds)
    assert len(small.json()) == active
    assert len(large.json()) == active * (1 + 500 // len(kinds))
    assert many == few <= ONCALL_BUDGET


def test_a_rota_detail_takes_a_constant_number_of_queries(staff_client, kinds):
    counts = {count_queries(staff_client, f"/api/v1/rotas/{rota.pk}/")[0] for rota in kinds}

    assert max(counts) <= LIST_BUDGET


def test_the_schedule_takes_the_same_queries_however_long_or_busy(staff_client, people):
    small = _rota("Small", people[:2])
    many_people = PersonFactory.create_batch(20)
    large = _rota("Large", many_people, cadence="daily")
    start = anchor(-HOUR)
    for i in range(10):
        at = start + i * 3 * HOUR
        override_create(rota=large, person=many_people[i], starts_at=at, ends_at=at + HOUR)
        UnavailabilityFactory(person=many_people[i], starts_at=at, ends_at=at + WEEK)

    base, _ = count_queries(staff_client, f"/api/v1/rotas/{small.pk}/schedule/")
    busy, response = count_queries(
        staff_client,
        f"/api/v1/rotas/{large.pk}/schedule/?start={start:%Y-%m-%dT%H:%M:%SZ}"
        f"&end={start + timedelta(days=366):%Y-%m-%dT%H:%M:%SZ}",
    )

    assert len(response.json()) > 366
    assert busy == base <= SCHEDULE_BUDGET
