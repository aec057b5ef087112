"""The sweep under concurrency, downtime and sudden death: each shift stored once, announced
once, and no rota ever left half rotated.

The concurrent tests need PostgreSQL (row locks with SKIP LOCKED, several connections); run
them with DATABASE_URL=postgres://... The sudden-death test runs on any database.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, connections
from django.db.models import Count

from rota_core.testing.factories import PersonFactory
from rota_scheduling.models import Rota, Shift
from rota_scheduling.services import rotate_due
from rota_scheduling.signals import shifts_started

START = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)

needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs PostgreSQL (row locks with SKIP LOCKED, concurrent connections): "
    "set DATABASE_URL=postgres://...",
)


def make_due_rotas(make_rota, count: int, *, cadence: str = "weekly") -> list[Rota]:
    members = PersonFactory.create_batch(3)
    return [make_rota(members, name=f"R{i:04d}", cadence=cadence, now=START) for i in range(count)]


def run_concurrently(count: int, target) -> tuple[list, list[BaseException]]:
    """Run ``target()`` in ``count`` threads at once, each with its own connection."""
    results, errors = [], []
    barrier = threading.Barrier(count)

    def run():
        try:
            barrier.wait()
            results.append(target())
        except BaseException as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads)
    return results, errors


def assert_caught_up(rota: Rota, *, shifts: int) -> None:
    """Fully rotated: the latest stored shift is current and ends at the next handoff."""
    rota = Rota.objects.select_related("current_shift").get(pk=rota.pk)
    latest = rota.shifts.order_by("-starts_at").first()
    assert rota.shifts.count() == shifts
    assert rota.current_shift == latest
    assert latest.ends_at == rota.next_handoff_at
    assert rota.next_boundary == latest.boundary + 1


@pytest.mark.postgres
@needs_postgres
def test_four_concurrent_sweeps_store_each_shift_once_and_announce_it_once(
    transactional_db, make_rota, signals
):
    rotas = make_due_rotas(make_rota, 200)
    signals.clear()
    due = START + timedelta(weeks=1)

    results, errors = run_concurrently(4, lambda: rotate_due(now=due, batch_size=25))

    assert errors == []
    assert all(result.failed == [] for result in results)
    assert sum(len(result.shifts) for result in results) == 200
    assert Shift.objects.filter(starts_at=due).count() == 200
    assert not Shift.objects.values("rota", "starts_at").annotate(n=Count("id")).filter(n__gt=1)
    announced = [sent["rota"].pk for sent in signals.shift_started]
    assert sorted(announced) == sorted(rota.pk for rota in rotas)
    for rota in rotas[::20]:
        assert_caught_up(rota, shifts=2)


@pytest.mark.postgres
@needs_postgres
def test_concurrent_sweeps_after_ten_days_down_store_the_missed_shifts_once(
    transactional_db, make_rota, signals
):
    rotas = make_due_rotas(make_rota, 40, cadence="daily")
    signals.clear()
    back = START + timedelta(days=10, hours=3)

    results, errors = run_concurrently(4, lambda: rotate_due(now=back, batch_size=7))

    assert errors == []
    assert sum(len(result.shifts) for result in results) == 40 * 10
    for rota in rotas:
        assert_caught_up(rota, shifts=11)
    latest = {sent["rota"].pk: sent["shift"].starts_at for sent in signals.shift_started}
    assert len(signals.shift_started) == 40
    assert set(latest.values()) == {START + timedelta(days=10)}


class SweepKilled(BaseException):
    """The process dies (not an Exception: the per-rota guard must not swallow it)."""


def test_a_sweep_that_dies_midway_leaves_no_half_rotated_rota(transactional_db, make_rota):
    rotas = make_due_rotas(make_rota, 30, cadence="daily")
    originals = {
        rota.pk: (rota.current_shift_id, rota.next_handoff_at, rota.cycle_index) for rota in rotas
    }
    back = START + timedelta(days=10, hours=3)
    announced = []

    def die_at_the_15th(sender, starts, **kwargs):
        announced.extend(start.rota.pk for start in starts)
        if len(announced) >= 15:
            raise SweepKilled

    shifts_started.connect(die_at_the_15th, weak=False)
    try:
        with pytest.raises(SweepKilled):
            rotate_due(now=back, batch_size=10)
    finally:
        shifts_started.disconnect(die_at_the_15th)

    done = untouched = 0
    for rota in Rota.objects.select_related("current_shift"):
        if rota.shifts.count() == 1:
            untouched += 1
            assert (rota.current_shift_id, rota.next_handoff_at, rota.cycle_index) == originals[
                rota.pk
            ]
            assert rota.current_shift.ends_at == rota.next_handoff_at
        else:
            done += 1
            assert_caught_up(rota, shifts=11)
    assert done == 10  # the first batch committed; the batch it died in rolled back
    assert untouched == 20

    result = rotate_due(now=back, batch_size=10)

    assert len(result.shifts) == 20 * 10
    for rota in rotas:
        assert_caught_up(rota, shifts=11)
