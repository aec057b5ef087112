"""Drill: Redis (broker and cache; sessions live in the database) stops while the API serves.

Starts its own redis-server, a gunicorn API and a Celery worker on a throwaway database, signs
in, then stops that Redis. While it is down: reads and writes answer (a fresh sign-in too),
``/health/`` answers 503 naming the broker and the cache, and a handoff (a rota activated over
the API) leaves its deliveries pending in the database, nothing sent. Redis comes back, the
relay runs (twice, as overlapping beat runs would), and the subscribed webhook receives the
handoff exactly once; every delivery row ends ``sent`` after one attempt.

    uv run python -m drills.redis_outage [--database-url postgres://...]
"""

from __future__ import annotations

import contextlib
import time
from contextlib import ExitStack
from datetime import UTC, datetime, timedelta
from pathlib import Path

from .common import (
    LOCAL,
    Database,
    Processes,
    RedisServer,
    Report,
    celery_worker_argv,
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
    wait_worker_ready,
)

USERNAME, PASSWORD = "drill-admin", "drill-password-0451"
IN_FLIGHT_S = 3.0  # how long the slow webhook takes to answer


# --- Run inside Django (drills._child) ---------------------------------------------------------


def setup() -> dict:
    from .common import create_superuser

    return create_superuser(username=USERNAME, password=PASSWORD)


def relay(*, runs: int = 2) -> list[int]:
    """``relay_pending`` run back to back (as overlapping beat runs could): how many each
    enqueued. The deliveries' leases keep a second enqueue from sending anything twice."""
    from rota_notifications.delivery import relay_pending

    return [relay_pending() for _ in range(runs)]


DELIVERIES_SQL = (
    "SELECT d.id, n.kind, d.channel, d.status, d.attempts, d.last_error "
    "FROM rota_notifications_delivery d "
    "JOIN rota_notifications_notification n ON n.id = d.notification_id "
    "WHERE n.rota_id = %s ORDER BY d.id"
)


def deliveries(db: Database, rota_id: int) -> list[dict]:
    """The rota's delivery rows, read by the drill itself (no Django needed)."""
    conn = db.connect()
    try:
        rows = conn.execute(db.param(DELIVERIES_SQL), (rota_id,)).fetchall()
    finally:
        conn.close()
    keys = ("id", "kind", "channel", "status", "attempts", "error")
    return [dict(zip(keys, row, strict=True)) for row in rows]


# --- The drill ----------------------------------------------------------------------------------


def run(
    *, database_url: str | None = None, workdir: Path | None = None, keep: bool = False
) -> Report:
    import httpx

    from rota_notifications.testing.receiver import Reply, WebhookReceiver

    with drill_run("redis_outage", workdir, keep=keep) as (report, folder), ExitStack() as stack:
        db = stack.enter_context(throwaway_database(folder, resolve_database_url(database_url)))
        report.database = db.vendor
        procs = stack.enter_context(Processes(folder))
        redis = RedisServer(procs, folder / "redis")
        redis.start()
        env = drill_env(database=db, folder=folder, redis_url=redis.url)
        manage(env, "migrate", "--noinput")
        in_django(env, "drills.redis_outage:setup")

        port = free_port()
        base = f"http://{LOCAL}:{port}"
        web = procs.start("web", gunicorn_argv(port, workers=2), env)
        worker = procs.start("worker", celery_worker_argv(pool="prefork", concurrency=2), env)
        wait_healthy(base, [web, worker])
        wait_worker_ready(worker)
        client = signed_in_client(base, USERNAME, PASSWORD)
        stack.callback(client.close)
        receiver = stack.enter_context(WebhookReceiver())

        def person(name: str) -> httpx.Response:
            email = f"{name.lower().replace(' ', '.')}@example.test"
            return client.post("/api/v1/people/", json={"name": name, "email": email})

        ada, bob, dan, eve = (
            person(f"{n} Drill").json()["id"] for n in ("Ada", "Bob", "Dan", "Eve")
        )
        fanout = client.post(
            "/api/v1/rotas/",
            json={"name": "Drill fan-out rota", "cadence": "daily", "timezone": "UTC",
                  "starts_on": "2026-01-05", "members": [ada, bob, dan, eve],
                  "is_active": False},
        ).json()["id"]  # fmt: skip
        # A webhook that answers after IN_FLIGHT_S: its delivery task is still running (its
        # message unacknowledged, acks_late) when Redis stops.
        slow = stack.enter_context(WebhookReceiver([Reply(delay=IN_FLIGHT_S)]))
        client.post(
            "/api/v1/webhooks/",
            json={"rota": fanout, "url": slow.url, "events": ["shift_started"]},
        )
        client.patch(f"/api/v1/rotas/{fanout}/", json={"is_active": True})
        slow.wait_for(1, timeout=30)

        # --- Redis down (a delivery in flight) ---------------------------------------------
        redis.stop()
        down_at = time.monotonic()
        report.check("the drill's Redis is down", not redis.ping())
        latency: dict[str, float] = {}

        def timed(name: str, call):
            started = time.monotonic()
            response = call()
            latency[name] = time.monotonic() - started
            return response

        rotas = timed("GET rotas", lambda: client.get("/api/v1/rotas/"))
        report.check("GET /api/v1/rotas/ answers 200 with Redis down", rotas.status_code == 200,
                     rotas.status_code)  # fmt: skip
        created = timed("POST people", lambda: person("Cleo Drill"))
        report.check("POST /api/v1/people/ answers 201 with Redis down", created.status_code == 201,
                     f"{created.status_code} {created.text[:200]}")  # fmt: skip
        health = timed("GET health", lambda: httpx.get(f"{base}/health/", timeout=30))
        checks = _json(health).get("checks", {})
        report.check(
            "/health/ answers 503 naming the broker (and the cache) while the database is ok",
            health.status_code == 503
            and str(checks.get("broker", "")).startswith("error")
            and str(checks.get("cache", "")).startswith("error")
            and checks.get("database") == "ok",
            f"{health.status_code} {checks}",
        )
        fresh = timed("sign-in", lambda: _try_sign_in(base))
        report.check("a fresh sign-in works with Redis down (sessions fall back to the database)",
                     fresh == "ok", fresh)  # fmt: skip
        rota = timed("POST rotas", lambda: client.post(
            "/api/v1/rotas/",
            json={"name": "Drill outage rota", "cadence": "weekly", "timezone": "UTC",
                  "starts_on": "2026-01-05", "members": [ada, bob], "is_active": False},
        ))  # fmt: skip
        report.check("POST /api/v1/rotas/ answers 201 with Redis down", rota.status_code == 201,
                     f"{rota.status_code} {rota.text[:200]}")  # fmt: skip
        rota_id = _json(rota).get("id")
        hook = timed("POST webhooks", lambda: client.post(
            "/api/v1/webhooks/",
            json={"rota": rota_id, "url": receiver.url, "format": "json",
                  "events": ["shift_started"]},
        ))  # fmt: skip
        report.check("POST /api/v1/webhooks/ answers 201 with Redis down", hook.status_code == 201,
                     f"{hook.status_code} {hook.text[:200]}")  # fmt: skip
        activated_from = datetime.now(UTC)
        handoff = timed("PATCH rota active", lambda: client.patch(
            f"/api/v1/rotas/{rota_id}/", json={"is_active": True}
        ))  # fmt: skip
        due = {_weekly_on_duty([ada, bob], at) for at in (activated_from, datetime.now(UTC))}
        current = (_json(handoff).get("current") or {}).get("person") or {}
        report.check(
            "activating the rota (a handoff) answers 200 with Redis down",
            handoff.status_code == 200 and current.get("id") in due,
            f"{handoff.status_code} current={current} expected one of {due}",
        )
        reordered = timed("PATCH members (fan-out)", lambda: client.patch(
            f"/api/v1/rotas/{fanout}/", json={"members": [eve, dan, bob, ada]}, timeout=90
        ))  # fmt: skip
        fanned = deliveries(db, fanout)
        report.numbers["fan-out deliveries written"] = sum(
            d["kind"] == "schedule_changed" for d in fanned
        )
        report.check(
            "a write that notifies several people answers 200 with Redis down",
            reordered.status_code == 200,
            reordered.status_code,
        )
        time.sleep(max(2.0, IN_FLIGHT_S + 1 - (time.monotonic() - down_at)))
        waiting = deliveries(db, rota_id)
        webhooks = [d for d in waiting if d["channel"] == "webhook"]
        report.check(
            "deliveries wait in the database: pending, not attempted, nothing received",
            waiting
            and len(webhooks) == 1
            and all(d["status"] == "pending" and d["attempts"] == 0 for d in waiting)
            and not receiver.requests,
            f"{waiting} received={len(receiver.requests)}",
        )
        report.check(
            "the worker survives the outage, a task in flight when Redis stopped included",
            worker.alive(),
            "" if worker.alive() else worker.log(1500),
        )
        slowest = max(latency, key=latency.get)
        report.check(
            "every request answers within 5 s while Redis is down",
            latency[slowest] < 5,
            f"slowest: {slowest} {latency[slowest]:.2f} s",
        )
        report.numbers["outage_s"] = time.monotonic() - down_at
        report.numbers.update({f"{k} s (Redis down)": v for k, v in latency.items()})

        # --- Redis back ---------------------------------------------------------------------
        report.numbers["redis_restart_s"] = redis.start()
        back_at = time.monotonic()
        report.numbers["health_200_after_restart_s"] = wait_healthy(base, [web, worker])
        relayed = in_django(env, "drills.redis_outage:relay")
        report.numbers["relay_enqueued"] = relayed
        with contextlib.suppress(AssertionError):  # judged below
            receiver.wait_for(1, timeout=30)
        report.numbers["webhook_after_restart_s"] = time.monotonic() - back_at
        time.sleep(3)  # a duplicate would arrive within this
        body = receiver.requests[0].json() if receiver.requests else {}
        report.check(
            "the webhook arrives exactly once after Redis returns",
            len(receiver.requests) == 1
            and body.get("event") == "shift_started"
            and body.get("rota", {}).get("id") == rota_id,
            f"{len(receiver.requests)} request(s), first event {body.get('event')}",
        )
        done = _settled(db, rota_id)
        report.check(
            "every delivery row is sent after exactly one attempt",
            all(d["status"] == "sent" and d["attempts"] == 1 for d in done),
            done,
        )
        fanned = _settled(db, fanout)
        report.check(
            "the fan-out rota's deliveries (the one in flight too) are sent after one attempt",
            fanned and all(d["status"] == "sent" and d["attempts"] == 1 for d in fanned),
            fanned,
        )
        report.check(
            "the webhook in flight when Redis stopped was received exactly once",
            len(slow.requests) == 1,
            f"{len(slow.requests)} request(s)",
        )
        report.check("the worker reconnected by itself (same process)", worker.alive())
        advanced_at = time.monotonic()
        advanced = client.post(f"/api/v1/rotas/{rota_id}/advance/")
        try:
            second = receiver.wait_for(2, timeout=20)[1].json()
        except AssertionError as exc:
            second = {"error": str(exc)}
        report.numbers["handoff_to_webhook_after_recovery_s"] = time.monotonic() - advanced_at
        report.check(
            "after Redis returns the web process enqueues directly again (no relay needed)",
            advanced.status_code == 200
            and second.get("person", {}).get("id") == (bob if current.get("id") == ada else ada),
            f"{advanced.status_code} {second}",
        )
        after = client.get("/api/v1/rotas/")
        report.check("the old session still works after the outage", after.status_code == 200,
                     after.status_code)  # fmt: skip
    return report


def _weekly_on_duty(members: list[int], at: datetime) -> int:
    """Who the outage rota (weekly, UTC, from Monday 2026-01-05 at the default 09:00 handoff)
    has on duty at ``at``: the rule itself, so the check holds in odd weeks too."""
    weeks = (at - datetime(2026, 1, 5, 9, tzinfo=UTC)) // timedelta(weeks=1)
    return members[weeks % len(members)]


def _json(response) -> dict:
    try:
        value = response.json()
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _try_sign_in(base: str) -> str:
    from .common import DrillError

    try:
        signed_in_client(base, USERNAME, PASSWORD).close()
    except DrillError as exc:
        return str(exc)[:300]
    except Exception as exc:
        return f"{exc.__class__.__name__}: {exc}"[:300]
    return "ok"


def _settled(db: Database, rota_id: int, timeout: float = 30) -> list[dict]:
    """The rota's deliveries once none is pending any more (or as they are after ``timeout``)."""
    deadline = time.monotonic() + timeout
    rows = deliveries(db, rota_id)
    while time.monotonic() < deadline and (not rows or any(d["status"] == "pending" for d in rows)):
        time.sleep(0.2)
        rows = deliveries(db, rota_id)
    return rows


if __name__ == "__main__":
    main(run, __doc__.split("\n\n")[0], lambda p: p.add_argument("--keep", action="store_true"))
