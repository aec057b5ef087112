"""Stored rotas into the engine's inputs: members, their names, deactivation and leave."""

from datetime import UTC, datetime, timedelta

from rota_core.models import Unavailability
from rota_core.services import person_update
from rota_scheduling.adapters import load_member_ids, load_members
from rota_scheduling.models import Rota

NOW = datetime(2027, 3, 1, 12, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def test_load_members_reads_order_names_deactivation_and_leave_in_one_query(
    make_rota, people, django_assert_num_queries
):
    a, b, c, d = people
    first = make_rota([c, a, b])
    second = make_rota([d, c], name="Second")
    for offset in (2, 5):  # two periods: two joined rows for c in each rota
        Unavailability.objects.create(
            person=c, starts_at=NOW + offset * DAY, ends_at=NOW + (offset + 1) * DAY
        )
    Unavailability.objects.create(person=a, starts_at=NOW - 3 * DAY, ends_at=NOW - DAY)  # over
    person_update(person=b, data={"is_active": False})
    rotas = list(Rota.objects.filter(pk__in=[first.pk, second.pk]).order_by("pk"))

    with django_assert_num_queries(1):
        loaded = load_members(rotas, leave_since=NOW)

    assert [loaded.of(rota) for rota in rotas] == [(c.pk, a.pk, b.pk), (d.pk, c.pk)]
    availability = loaded.availability
    people_loaded = loaded.people
    assert {pid: m.name for pid, m in people_loaded.items()} == {p.pk: p.name for p in (a, b, c, d)}
    assert people_loaded[b.pk].inactive_since is not None
    assert people_loaded[a.pk].inactive_since is None
    assert not availability.is_available(c.pk, NOW + 2 * DAY, NOW + 3 * DAY)
    assert not availability.is_available(c.pk, NOW + 5 * DAY, NOW + 6 * DAY)
    assert availability.is_available(c.pk, NOW + 3 * DAY, NOW + 4 * DAY)
    assert availability.is_available(a.pk, NOW, NOW + DAY)  # their leave ended before NOW
    assert not availability.is_available(b.pk, NOW + DAY, NOW + 2 * DAY)


def test_what_is_loaded_is_returned_and_never_kept_on_the_rotas(
    make_rota, people, django_assert_num_queries
):
    rota = make_rota(people)
    before = set(vars(rota))

    loaded = load_members([rota])

    assert set(vars(rota)) == before  # nothing stashed: a later read cannot silently skip SQL
    assert loaded.of(rota) == tuple(p.pk for p in people)
    with django_assert_num_queries(1):  # the named loader always asks the database
        assert load_member_ids(rota) == loaded.of(rota)
