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


# --- Run inside Django (drills._child) ---------------------------------------------------------


def seed(*, rotas: int, people: int = 60, days: int = DAYS_BEHIND) -> dict:
    """``rotas`` daily UTC rotas of 3-5 members that started ``days`` days ago (so ``days``
    handoffs are due now). Handoffs fall 12 hours from now: none passes while the drill runs.

    Each rota is started by the scheduling services' own start path (``sync_rotation``, as
    ``rota_create`` does, at an instant ten days ago: first shift stored, ``shift_started``
    sent); only the rows themselves are bulk-inserted, which keeps seeding ~1500 rotas fast.
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
    started_at = b0 + timedelta(minutes=1)
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
            shift = sync_rotation(rota, now=started_at, redefined=True)
            rota.save(update_fields=STATE_FIELDS)
            announce_shift(rota, shift)
    return {"b0": b0.isoformat(), "days": days}


def verify(*, b0: str, days: int) -> dict:
    """Classify every rota: untouched (as seeded), caught up (every boundary up to now stored,
    contiguous, current = latest, next handoff in the future), or broken (with the reason)."""
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
    rotas = Rota.objects.values_list("id", "current_shift_id", "next_handoff_at", "next_boundary")
    for rota_id, current_id, next_at, next_k in rotas:
        rows = shifts[rota_id]
        ids = [r[0] for r in rows]
        notified = sorted(told[rota_id])
        kind, why = _classify(
            rows, ids, notified, current_id, next_at, next_k, start, day, last_k, now
        )
        counts[kind] += 1
        if kind == "broken" and len(reasons) < 10:
            reasons.append(f"rota {rota_id}: {why}")
    return {
        **counts,
        "rotas": sum(counts.values()),
        "reasons": reasons,
        "duplicates": duplicates,
        "shifts": sum(len(v) for v in shifts.values()),
        "shift_started": sum(len(v) for v in told.values()),
        "expected_shifts_per_rota": last_k + 1,
        "handoffs_due_before_12h": last_k,
        "days": days,
    }


def _classify(rows, ids, notified, current_id, next_at, next_k, start, day, last_k, now):
    if len(notified) != len(set(notified)):
        return "broken", f"two shift_started notifications for one shift: {notified}"
    boundaries = [r[3] for r in rows]
    if boundaries == [0]:
        untouched = (
            current_id == ids[0]
            and next_at == start + day
            and next_k == 1
            and rows[0][2] == start + day
            and notified == [ids[0]]
        )
        return (
            ("untouched", "")
            if untouched
            else ("broken", f"boundary 0 only, state moved: {next_at}")
        )
    if boundaries != list(range(last_k + 1)):
        return "broken", f"stored boundaries {boundaries[:3]}..{boundaries[-3:]} of 0..{last_k}"
    for k, (_, starts_at, ends_at, _) in enumerate(rows):
        if starts_at != start + k * day or ends_at != start + (k + 1) * day:
            return "broken", f"shift {k} is [{starts_at}, {ends_at}): a gap or overlap"
    if current_id != ids[-1]:
        return "broken", f"current shift {current_id} is not the latest {ids[-1]}"
    if next_at != start + (last_k + 1) * day or next_k != last_k + 1 or next_at <= now:
        return "broken", f"next handoff {next_at} (boundary {next_k}) is not the next one"
    if notified != sorted([ids[0], ids[-1]]):
        return "broken", f"shift_started for shifts {notified}, expected {ids[0]} and {ids[-1]}"
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
            before["untouched"] == rotas and before["shifts"] == rotas,
            f"{before['untouched']} untouched, {before['shifts']} shifts",
        )
        report.numbers["rotas"] = rotas
        report.numbers["handoffs_due_per_rota"] = before["handoffs_due_before_12h"]

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
        due = before["handoffs_due_before_12h"]
        report.check(
            "the next sweep rotates exactly the untouched rotas, storing each missed handoff",
            rotated == after_kill["untouched"] and stored == rotated * due,
            f"stored {stored} shift(s) for {rotated} rota(s); expected {after_kill['untouched']} "
            f"rotas x {due}",
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
            "shift_started: one per rota per sweep that rotated it (seed + catch-up), never twice",
            final["shift_started"] == 2 * rotas,
            f"{final['shift_started']} for {rotas} rotas",
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
        # Half a batch into the next one (the first batch's time includes the task pickup).
        time.sleep(min(first_commit / 2, 1.0))
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
            "the sweep was still running when the worker was killed",
            0 < at_kill < rotas,
            f"{at_kill} of {rotas} rotated at the kill",
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
