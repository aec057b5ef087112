"""Drill: a Celery worker SIGKILLed in the middle of a rotation sweep.

Seeds ~1500 daily rotas that missed ten handoffs, starts a real worker (prefork), sends it the
beat task ``rota_scheduling.rotate_due_rotas``, waits until some but not all rotas are rotated,
then SIGKILLs the worker's whole process group. Checks that every rota is either untouched or
fully caught up (no half-rotated rota, no gap, no duplicate), then runs the next sweep
(``rota rotate``) and checks that every expected shift is stored exactly once and that each rota
got exactly one ``shift_started`` notification per sweep that rotated it.

    uv run python -m drills.worker_kill [--rotas 1500] [--database-url postgres://...]
"""

from __future__ import annotations

import re
import time
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from .common import (
    Processes,
    RedisServer,
    Report,
    celery_worker_argv,
    drill_env,
    drill_run,
    in_django,
    main,
    manage,
    resolve_database_url,
    throwaway_database,
    wait_worker_ready,
)

TASK = "rota_scheduling.rotate_due_rotas"
DAYS_BEHIND = 10
STARTED_EVERY = 10  # one rota in ten had its first shift stored before the sweeps stopped
STARTED = "drill: started before the outage"


# --- Run inside Django (drills._child) ---------------------------------------------------------


def seed(*, rotas: int, people: int = 60, days: int = DAYS_BEHIND) -> dict:
    """``rotas`` daily UTC rotas of 3-5 members whose first handoff was ``days`` days ago and
    that no sweep has rotated since. Handoffs fall 12 hours from now: none passes while the
    drill runs.

    Every rota is started by the scheduling services' own start path (``sync_rotation``, as
    ``rota_create`` does) at an instant in the past: one in ``STARTED_EVERY`` just after its
    first handoff (first shift stored, ``shift_started`` sent, ``days`` handoffs due), the
    others just before it (nothing stored yet, ``days + 1`` handoffs due). Rows are
    bulk-inserted, which keeps seeding ~1500 rotas within seconds.
    """
    import random
    from datetime import timedelta

    from django.db import transaction
    from django.utils import timezone

    from rota_core.models import Person
    from rota_scheduling.models import Membership, Rota
    from rota_scheduling.services.rotation import STATE_FIELDS, announce_shift, sync_rotation

    rng = random.Random(20261127)  # noqa: S311 - reproducible test data, not security
    now = timezone.now()
    b0 = (now - timedelta(hours=12, days=days)).replace(second=0, microsecond=0)
    with transaction.atomic():
        persons = Person.objects.bulk_create(
            Person(name=f"Drill person {i}", email=f"drill{i}@example.test", notify_email=False)
            for i in range(people)
        )
        ids = [p.pk for p in persons]
        created = Rota.objects.bulk_create(
            Rota(
                name=f"Drill rota {i:05d}",
                slug=f"drill-rota-{i:05d}",
                description=STARTED if i % STARTED_EVERY == 0 else "",
                cadence="daily",
                timezone="UTC",
                starts_on=b0.date(),
                handoff_time=b0.time(),
                reminder_minutes=None,
                skip_policy="skip" if i % 2 else "defer",
            )
            for i in range(rotas)
        )
        Membership.objects.bulk_create(
            Membership(rota=rota, person_id=pid, position=pos)
            for rota in created
            for pos, pid in enumerate(rng.sample(ids, rng.randint(3, 5)))
        )
        for rota in Rota.objects.prefetch_related("memberships").order_by("id"):
            offset = timedelta(minutes=1 if rota.description == STARTED else -1)
            shift = sync_rotation(rota, now=b0 + offset, redefined=True)
            rota.save(update_fields=STATE_FIELDS)
            if shift is not None:
                announce_shift(rota, shift)
    return {"b0": b0.isoformat(), "days": days}


def verify(*, b0: str, days: int) -> dict:
    """Classify every rota: untouched (as seeded), caught up (every boundary up to now stored,
    contiguous, current = latest, next handoff in the future, one ``shift_started`` for the
    latest shift besides the seed's), or broken (with the reason)."""
    from collections import defaultdict
    from datetime import datetime, timedelta

    from django.db.models import Count
    from django.utils import timezone

    from rota_notifications.models import Kind, Notification
    from rota_scheduling.models import Rota, Shift

    now = timezone.now()
    start = datetime.fromisoformat(b0)
    day = timedelta(days=1)
    last_k = int((now - start) / day)  # boundaries 0..last_k have passed
    shifts = defaultdict(list)
    for row in Shift.objects.order_by("rota_id", "starts_at").values_list(
        "rota_id", "id", "starts_at", "ends_at", "boundary"
    ):
        shifts[row[0]].append(row[1:])
    told = defaultdict(list)
    for rota_id, payload in Notification.objects.filter(kind=Kind.SHIFT_STARTED).values_list(
        "rota_id", "payload"
    ):
        told[rota_id].append(payload.get("shift_id"))
    duplicates = (
        Shift.objects.values("rota_id", "starts_at").annotate(n=Count("id")).filter(n__gt=1).count()
    )
    counts = {"untouched": 0, "caught_up": 0, "broken": 0}
    reasons: list[str] = []
    missing = started = 0
    rotas = Rota.objects.values_list(
        "id", "description", "current_shift_id", "next_handoff_at", "next_boundary"
    )
    for rota_id, description, current_id, next_at, next_k in rotas:
        was_started = description == STARTED
        started += was_started
        state = _State(shifts[rota_id], sorted(told[rota_id]), current_id, next_at, next_k)
        kind, why = _classify(state, was_started, start, day, last_k, now)
        counts[kind] += 1
        if kind == "untouched":
            missing += last_k + 1 - len(state.rows)
        if kind == "broken" and len(reasons) < 10:
            reasons.append(f"rota {rota_id}: {why}")
    return {
        **counts,
        "rotas": sum(counts.values()),
        "started_at_seed": started,
        "reasons": reasons,
        "duplicates": duplicates,
        "shifts": sum(len(v) for v in shifts.values()),
        "shifts_due_on_untouched": missing,
        "shift_started": sum(len(v) for v in told.values()),
        "expected_shifts_per_rota": last_k + 1,
        "days": days,
    }


@dataclass
class _State:
    rows: list  # (id, starts_at, ends_at, boundary) by starts_at
    notified: list  # shift ids of the rota's shift_started notifications, sorted
    current_id: int | None
    next_at: datetime | None
    next_k: int | None


def _classify(state: _State, was_started: bool, start, day, last_k, now) -> tuple[str, str]:
    rows, notified = state.rows, state.notified
    ids = [r[0] for r in rows]
    if len(notified) != len(set(notified)):
        return "broken", f"two shift_started notifications for one shift: {notified}"
    boundaries = [r[3] for r in rows]
    if boundaries == ([0] if was_started else []):
        as_seeded = (
            state.current_id == (ids[0] if was_started else None)
            and state.next_at == (start + day if was_started else start)
            and state.next_k == (1 if was_started else 0)
            and notified == ids
        )
        return ("untouched", "") if as_seeded else ("broken", f"state moved: {state}")
    if boundaries != list(range(last_k + 1)):
        return "broken", f"stored boundaries {boundaries[:3]}..{boundaries[-3:]} of 0..{last_k}"
    for k, (_, starts_at, ends_at, _) in enumerate(rows):
        if starts_at != start + k * day or ends_at != start + (k + 1) * day:
            return "broken", f"shift {k} is [{starts_at}, {ends_at}): a gap or overlap"
    if state.current_id != ids[-1]:
        return "broken", f"current shift {state.current_id} is not the latest {ids[-1]}"
    if state.next_at != start + (last_k + 1) * day or state.next_k != last_k + 1:
        return "broken", f"next handoff {state.next_at} (boundary {state.next_k}) is not the next"
    if state.next_at <= now:
        return "broken", f"next handoff {state.next_at} is not in the future"
    expected = sorted({ids[0], ids[-1]} if was_started else {ids[-1]})
    if notified != expected:
        return "broken", f"shift_started for shifts {notified}, expected {expected}"
    return "caught_up", ""


# --- The drill ----------------------------------------------------------------------------------


def run(
    *,
    rotas: int = 1500,
    database_url: str | None = None,
    workdir: Path | None = None,
    keep: bool = False,
) -> Report:
    with drill_run("worker_kill", workdir, keep=keep) as (report, folder), ExitStack() as stack:
        db = stack.enter_context(throwaway_database(folder, resolve_database_url(database_url)))
        report.database = db.vendor
        procs = stack.enter_context(Processes(folder))
        redis = RedisServer(procs, folder / "redis")
        redis.start()
        env = drill_env(database=db, folder=folder, redis_url=redis.url)

        t = time.monotonic()
        manage(env, "migrate", "--noinput")
        report.numbers["migrate_s"] = time.monotonic() - t
        t = time.monotonic()
        seeded = in_django(env, "drills.worker_kill:seed", rotas=rotas, timeout=600)
        report.numbers["seed_s"] = time.monotonic() - t
        before = in_django(env, "drills.worker_kill:verify", **seeded)
        report.check(
            "seeded rotas are all due and untouched",
            before["untouched"] == rotas and before["shifts"] == before["started_at_seed"],
            f"{before['untouched']} untouched, {before['shifts']} shifts stored at seeding",
        )
        report.numbers["rotas"] = rotas
        report.numbers["shifts_due"] = before["shifts_due_on_untouched"]

        worker = procs.start("worker", celery_worker_argv(pool="prefork", concurrency=2), env)
        wait_worker_ready(worker)
        _kill_mid_sweep(report, db, worker, redis, rotas)

        after_kill = in_django(env, "drills.worker_kill:verify", **seeded)
        report.numbers["untouched_after_kill"] = after_kill["untouched"]
        report.numbers["caught_up_after_kill"] = after_kill["caught_up"]
        report.check(
            "after the kill every rota is untouched or fully caught up (none half-rotated)",
            after_kill["broken"] == 0 and after_kill["rotas"] == rotas,
            f"{after_kill['broken']} broken {after_kill['reasons']}",
        )
        report.check(
            "the kill interrupted the sweep: some rotas rotated, some not",
            0 < after_kill["caught_up"] < rotas,
            f"{after_kill['caught_up']} caught up, {after_kill['untouched']} untouched",
        )
        report.check(
            "no (rota, starts_at) stored twice after the kill", after_kill["duplicates"] == 0
        )

        t = time.monotonic()
        swept = manage(env, "rotate", timeout=600)
        report.numbers["next_sweep_s"] = time.monotonic() - t
        match = re.search(r"Stored (\d+) shift\(s\) for (\d+) rota\(s\)", swept.stdout)
        stored, rotated = (int(match[1]), int(match[2])) if match else (-1, -1)
        report.check(
            "the next sweep rotates exactly the untouched rotas, storing each missed handoff",
            rotated == after_kill["untouched"] and stored == after_kill["shifts_due_on_untouched"],
            f"stored {stored} shift(s) for {rotated} rota(s); expected "
            f"{after_kill['shifts_due_on_untouched']} for {after_kill['untouched']}",
        )
        final = in_django(env, "drills.worker_kill:verify", **seeded)
        report.check(
            "after the next sweep every rota is caught up, every shift stored once, no gap",
            final["caught_up"] == rotas
            and final["duplicates"] == 0
            and final["shifts"] == rotas * final["expected_shifts_per_rota"],
            f"{final['caught_up']}/{rotas} caught up, {final['shifts']} shifts, "
            f"{final['duplicates']} duplicates {final['reasons']}",
        )
        report.check(
            "shift_started: one per rota per sweep that rotated it (and the seed's), never twice",
            final["shift_started"] == rotas + final["started_at_seed"],
            f"{final['shift_started']} for {rotas} rotas ({final['started_at_seed']} at seeding)",
        )
        report.numbers["shifts_stored"] = final["shifts"]
    return report


def _kill_mid_sweep(report: Report, db, worker, redis: RedisServer, rotas: int) -> None:
    """Send the sweep, SIGKILL the worker's process group once a batch has committed and the next
    one is under way."""
    from celery import Celery

    sql = "SELECT count(*) FROM rota_notifications_notification WHERE kind = %s"
    conn = db.connect()
    try:
        baseline = db.scalar(conn, sql, ["shift_started"])

        def rotated() -> int:
            return db.scalar(conn, sql, ["shift_started"]) - baseline

        app = Celery("drill", broker=redis.url)
        sent = time.monotonic()
        app.send_task(TASK)
        progress = 0
        deadline = sent + 120
        while progress == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
            progress = rotated()
            if not worker.alive():
                raise RuntimeError(f"the worker died by itself:\n{worker.log()}")
        first_commit = time.monotonic() - sent
        seen = [(round(first_commit, 3), progress)]
        # Half a batch into the next one (the first batch's time includes the task pickup).
        pause_until = time.monotonic() + min(first_commit / 2, 1.0)
        while time.monotonic() < pause_until:
            time.sleep(0.01)
            value = rotated()
            if value != seen[-1][1]:
                seen.append((round(time.monotonic() - sent, 3), value))
        report.numbers["commits_seen"] = seen
        mine = [conn.info.backend_pid] if db.vendor == "postgresql" else []
        open_transactions = db.open_write_transactions(exclude=mine)
        at_kill = rotated()
        killed_at = time.monotonic()
        worker.kill_group()
        report.numbers["first_batch_committed_s"] = first_commit
        report.numbers["killed_after_s"] = killed_at - sent
        report.numbers["rotated_at_kill"] = at_kill
        report.numbers["open_transactions_at_kill"] = open_transactions
        gone = _wait(lambda: not worker.group_alive(), 10)
        report.check("SIGKILL took the whole worker group (main and pool children)", gone)
        if db.vendor == "postgresql":
            released = _wait(lambda: db.sessions(exclude=mine) == 0, 15)
            report.numbers["server_sessions_gone_s"] = time.monotonic() - killed_at
            report.check(
                "the server dropped the dead worker's sessions (row locks released)", released
            )
        # acks_late: the message stays unacknowledged in Redis and comes back after the
        # visibility timeout; the next sweep (beat, every minute) does not wait for it.
        report.numbers["unacked_messages_left"] = redis.command("HLEN", "unacked").lstrip(":")
        report.check(
            "the sweep was still running when the worker was killed (a batch in its transaction)",
            0 < at_kill < rotas and open_transactions >= 1,
            f"{at_kill} of {rotas} rotated at the kill, {open_transactions} transaction(s) open",
        )
    finally:
        conn.close()


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return bool(predicate())


def _arguments(parser) -> None:
    parser.add_argument("--rotas", type=int, default=1500, help="rotas to seed (default 1500)")
    parser.add_argument("--keep", action="store_true", help="keep the work folder")


if __name__ == "__main__":
    main(run, __doc__.split("\n\n")[0], _arguments)
