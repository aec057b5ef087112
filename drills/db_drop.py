"""Drill: every database connection dropped while the API is under load (PostgreSQL only).

Starts a gunicorn API (2 workers) on a throwaway PostgreSQL database, drives a bounded load of
``GET /api/v1/rotas/`` and ``GET /health/`` from 4 threads (at most 200 requests each, 30 s),
and in the middle terminates every server session of that database with
``pg_terminate_backend`` (twice). Checks that only a few requests fail, that every request
after the recovery succeeds, and that gunicorn was not restarted (same master, same workers):
``CONN_HEALTH_CHECKS`` makes each request replace a dead persistent connection.

    uv run python -m drills.db_drop [--database-url postgres://postgres@127.0.0.1:5432/postgres]
"""

from __future__ import annotations

import threading
import time
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

from .common import (
    LOCAL,
    Processes,
    RedisServer,
    Report,
    child_pids,
    drill_env,
    drill_run,
    free_port,
    gunicorn_argv,
    in_django,
    main,
    manage,
    resolve_database_url,
    signed_in_client,
    throwaway_database,
    wait_healthy,
)

USERNAME, PASSWORD = "drill-admin", "drill-password-0451"
PATHS = ("/api/v1/rotas/", "/health/")
MAX_FAILED_PER_DROP = 4  # requests in flight on the 2 workers, and a margin
RECOVERY_LIMIT_S = 5.0


# --- Run inside Django (drills._child) ---------------------------------------------------------


def setup(*, rotas: int = 20) -> dict:
    from datetime import date

    from rota_core.models import Person
    from rota_scheduling.services import rota_create

    from .common import create_superuser

    create_superuser(username=USERNAME, password=PASSWORD)
    people = [
        Person.objects.create(name=f"Drop person {i}", email=f"drop{i}@example.test")
        for i in range(6)
    ]
    for i in range(rotas):
        rota_create(
            fields={"name": f"Drop rota {i}", "cadence": "weekly", "starts_on": date(2026, 1, 5)},
            members=[p.pk for p in people[i % 3 : i % 3 + 3]],
        )
    return {"rotas": rotas}


# --- The drill ----------------------------------------------------------------------------------


@dataclass
class Result:
    started: float
    ended: float
    path: str
    status: int | None
    error: str

    @property
    def ok(self) -> bool:
        return self.status == 200


def run(
    *,
    database_url: str | None = None,
    workdir: Path | None = None,
    keep: bool = False,
    threads: int = 4,
    requests_per_thread: int = 200,
    max_seconds: float = 30.0,
    drops: int = 2,
    quiet_drop: bool = True,
) -> Report:
    with drill_run("db_drop", workdir, keep=keep) as (report, folder), ExitStack() as stack:
        server = resolve_database_url(database_url, require_postgres=True)
        db = stack.enter_context(throwaway_database(folder, server))
        report.database = db.vendor
        procs = stack.enter_context(Processes(folder))
        redis = RedisServer(procs, folder / "redis")
        redis.start()
        env = drill_env(database=db, folder=folder, redis_url=redis.url)
        manage(env, "migrate", "--noinput")
        in_django(env, "drills.db_drop:setup")

        port = free_port()
        base = f"http://{LOCAL}:{port}"
        web = procs.start("web", gunicorn_argv(port, workers=2), env)
        wait_healthy(base, [web])
        client = signed_in_client(base, USERNAME, PASSWORD)
        stack.callback(client.close)
        cookies = dict(client.cookies)
        workers_before = child_pids(web.pid)

        results, dropped = _load(
            report, db, base, cookies, threads, requests_per_thread, max_seconds, drops, quiet_drop
        )
        workers_after = child_pids(web.pid)
        _judge(report, results, dropped)
        report.check(
            "gunicorn was not restarted: same master, same worker processes",
            web.alive() and workers_before and workers_after == workers_before,
            f"workers before {sorted(workers_before)}, after {sorted(workers_after)}",
        )
    return report


def _load(report, db, base, cookies, threads, per_thread, max_seconds, drops, quiet_drop):
    """Run the load; drop every session ``drops`` times under load, then once more at a quiet
    moment (no request in flight) when ``quiet_drop``. Returns the results and the drops as
    (instant, quiet)."""
    import httpx

    results: list[Result] = []
    lock = threading.Lock()
    running = [0]  # requests in flight
    go = threading.Event()  # cleared to hold the threads between requests (quiet drop)
    go.set()
    started = time.monotonic()
    deadline = started + max_seconds

    def hammer(index: int) -> None:
        with httpx.Client(base_url=base, cookies=cookies, timeout=10) as session:
            for n in range(per_thread):
                go.wait(timeout=10)
                if time.monotonic() > deadline:
                    return
                path = PATHS[(n + index) % len(PATHS)]
                with lock:
                    running[0] += 1
                t0 = time.monotonic()
                try:
                    status, error = session.get(path).status_code, ""
                except httpx.HTTPError as exc:
                    status, error = None, f"{exc.__class__.__name__}: {exc}"
                with lock:
                    running[0] -= 1
                    results.append(Result(t0, time.monotonic(), path, status, error))

    def done() -> int:
        with lock:
            return len(results)

    pool = [threading.Thread(target=hammer, args=(i,), daemon=True) for i in range(threads)]
    for thread in pool:
        thread.start()
    planned = threads * per_thread
    modes = [False] * drops + [True] * bool(quiet_drop)
    drop_list: list[tuple[float, bool]] = []
    terminated: list[int] = []
    try:
        for k, quiet in enumerate(modes, start=1):
            # At the k-th fraction of the planned requests or of the time, whichever comes first.
            at = started + max_seconds * k / (len(modes) + 1)
            while time.monotonic() < at and done() < planned * k // (len(modes) + 1):
                time.sleep(0.01)
            if quiet:
                go.clear()
                while time.monotonic() < deadline and running[0]:
                    time.sleep(0.005)
            drop_list.append((time.monotonic(), quiet))
            terminated.append(db.terminate_backends())
            if quiet:
                time.sleep(0.3)  # the terminated sessions are gone before the load resumes
                go.set()
    finally:
        go.set()
        for thread in pool:
            thread.join(timeout=max(1.0, deadline - time.monotonic()) + 15)
    elapsed = time.monotonic() - started
    report.numbers["requests"] = len(results)
    report.numbers["requests_per_s"] = len(results) / elapsed if elapsed else 0.0
    report.numbers["sessions_terminated_per_drop"] = terminated
    report.check(
        "each drop terminated the API's database sessions",
        len(terminated) == len(modes) and all(n > 0 for n in terminated),
        terminated,
    )
    report.check("the load ran to completion", not any(t.is_alive() for t in pool))
    return sorted(results, key=lambda r: r.started), drop_list


def _judge(report: Report, results: list[Result], drops: list[tuple[float, bool]]) -> None:
    drop_times = [at for at, _ in drops]
    failed = [r for r in results if not r.ok]
    report.numbers["failed_requests"] = len(failed)
    report.numbers["failures"] = sorted({f"{r.path} -> {r.status or r.error[:80]}" for r in failed})
    # A request fails because of the latest drop before it ended (its connection was killed).
    owners: dict[int, list[Result]] = {i: [] for i in range(len(drop_times))}
    stray = []
    for r in failed:
        before = [i for i, d in enumerate(drop_times) if d <= r.ended]
        if before and r.ended - drop_times[before[-1]] <= RECOVERY_LIMIT_S:
            owners[before[-1]].append(r)
        else:
            stray.append(r)
    recoveries = []
    for i, (dropped_at, quiet) in enumerate(drops):
        name = f"drop {i + 1} ({'quiet' if quiet else 'under load'})"
        until = drop_times[i + 1] if i + 1 < len(drop_times) else float("inf")
        mine = owners[i]
        recovered_at = max((r.ended for r in mine), default=dropped_at)
        recoveries.append(recovered_at - dropped_at)
        if quiet:
            # Nothing was in flight: every worker's next request meets a dead persistent
            # connection, which CONN_HEALTH_CHECKS must replace before using it.
            report.check(f"{name}: no request fails", not mine, f"{len(mine)} failed")
        else:
            report.check(
                f"{name}: at most {MAX_FAILED_PER_DROP} requests fail",
                len(mine) <= MAX_FAILED_PER_DROP,
                f"{len(mine)} failed",
            )
        after = [r for r in results if recovered_at < r.started and r.ended < until]
        report.check(
            f"{name}: every request after the recovery succeeds",
            after and all(r.ok for r in after),
            f"{len(after)} requests after a recovery of {recovered_at - dropped_at:.3f} s",
        )
    report.check(
        f"no request failed away from a drop (more than {RECOVERY_LIMIT_S:.0f} s after it)",
        not stray,
        [vars(r) for r in stray[:5]],
    )
    for path in PATHS:
        took = sorted(r.ended - r.started for r in results if r.path == path and r.ok)
        if took:
            report.numbers[f"median_s {path}"] = took[len(took) // 2]
    report.numbers["failed_per_drop"] = [len(owners[i]) for i in owners]
    report.numbers["recovery_s_per_drop"] = [round(s, 3) for s in recoveries]


def _arguments(parser) -> None:
    parser.add_argument("--keep", action="store_true", help="keep the work folder")
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--requests-per-thread", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=30.0)
    parser.add_argument("--drops", type=int, default=2, help="drops under load (default 2)")
    parser.add_argument(
        "--no-quiet-drop", dest="quiet_drop", action="store_false",
        help="skip the last drop at a moment with no request in flight",
    )  # fmt: skip


if __name__ == "__main__":
    main(run, __doc__.split("\n\n")[0], _arguments)
