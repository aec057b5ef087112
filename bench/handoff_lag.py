"""handoff_lag: with ``rota serve`` running (web server, Celery worker and beat) on PostgreSQL
and Redis, the seconds from a handoff instant to its webhook's arrival at a local receiver;
95th percentile over N handoffs a second or so apart. The floor is one second.

The rotas are made through the services in this process (as the API would: the handoff is
armed on commit), one person each, daily in UTC, handing over 10 s (quick: 4 s) after they
are made; each gets a webhook subscription afterwards, so only its handoff is posted.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx

from drills.common import free_port

from .child import (
    Result,
    emit,
    log,
    own_database,
    parse_args,
    percentile,
    setup_django,
)


class TimedRequests(list):
    """The receiver's request list, noting when each request arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrived: list[float] = []

    def append(self, item) -> None:
        self.arrived.append(time.time())
        super().append(item)


def start_serve(port: int, log_path: Path) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and the site's command
        [sys.executable, "-m", "rota_site.manage", "serve", "--bind", f"127.0.0.1:{port}"],
        env={**os.environ, "LOG_LEVEL": os.environ.get("BENCH_SERVE_LOG_LEVEL", "WARNING")},
        stdout=log_path.open("w"),
        stderr=subprocess.STDOUT,
    )


def stop_serve(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)  # it stops its web server, worker and beat
        try:
            process.wait(timeout=40)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(base: str, process: subprocess.Popen, log_path: Path, timeout=90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"rota serve exited:\n{log_path.read_text()[-3000:]}")
        try:
            if httpx.get(base + "/health/", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"rota serve never became healthy:\n{log_path.read_text()[-3000:]}")


def make_rotas(handoffs: list[datetime], url: str, prefix: str = "Lag") -> dict[int, datetime]:
    from rota_core.models import Person
    from rota_notifications.models import WebhookSubscription
    from rota_scheduling.services import rota_create

    by_rota = {}
    for i, handoff in enumerate(handoffs):
        person = Person.objects.create(
            name=f"{prefix} person {i}", email=f"{prefix.lower()}-{i}@bench.example"
        )
        rota = rota_create(
            fields={
                "name": f"{prefix} {i:02d}",
                "cadence": "daily",
                "timezone": "UTC",
                "starts_on": handoff.date() - timedelta(days=3),
                "handoff_time": handoff.time(),
                "reminder_minutes": None,
            },
            members=[person.pk],
        )
        if rota.next_handoff_at != handoff:
            raise RuntimeError(
                f"rota {rota.pk} hands over at {rota.next_handoff_at}, not {handoff}"
            )
        WebhookSubscription.objects.create(rota=rota, url=url, format="json")
        by_rota[rota.pk] = handoff
    return by_rota


def warm_up(receiver, timeout: float = 120) -> None:
    """One handoff through the whole path before measuring: /health/ answers as soon as the
    web server does, the Celery worker may still be starting (not what is measured here)."""
    handoff = (datetime.now(UTC) + timedelta(seconds=3)).replace(microsecond=0)
    by_rota = make_rotas([handoff], receiver.url, prefix="Warm-up")
    if _collect(receiver, by_rota, time.time() + timeout)[next(iter(by_rota))] is None:
        raise RuntimeError(f"no webhook arrived within {timeout} s of a handoff")


def main() -> None:
    args = parse_args(__doc__)
    count, spacing, lead = (5, 0.5, 4) if args.quick else (20, 1.5, 10)
    if not os.environ.get("REDIS_URL") or "postgres" not in os.environ["BENCH_TEMPLATE_URL"]:
        raise SystemExit("handoff_lag needs PostgreSQL and Redis")
    from rota_notifications.testing.receiver import WebhookReceiver

    log_path = Path(os.environ["ROTA_VAR_DIR"]) / "serve.log"
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with own_database("lag"):
        setup_django()
        port = free_port()
        serve = start_serve(port, log_path)
        try:
            wait_healthy(f"http://127.0.0.1:{port}", serve, log_path)
            log("rota serve is up")
            with WebhookReceiver() as receiver:
                receiver.requests = TimedRequests()
                try:
                    warm_up(receiver)
                except RuntimeError as exc:
                    raise RuntimeError(
                        f"{exc}; serve log:\n{log_path.read_text()[-4000:]}"
                    ) from None
                log("a warm-up handoff went through: the worker and beat are running")
                first = (datetime.now(UTC) + timedelta(seconds=lead)).replace(microsecond=0)
                handoffs = [first + timedelta(seconds=i * spacing) for i in range(count)]
                by_rota = make_rotas(handoffs, receiver.url)
                limit = handoffs[-1].timestamp() + 90
                lags = _collect(receiver, by_rota, limit)
        finally:
            log("stopping rota serve")
            stop_serve(serve)
            log("rota serve stopped")
    missing = [rota for rota, lag in lags.items() if lag is None]
    waited = max(0.0, limit - handoffs[0].timestamp())
    values = [waited if lag is None else lag for lag in lags.values()]
    p95 = percentile(values, 95)
    log(f"lags (s): {sorted(round(v, 2) for v in values)}")
    emit(
        Result(
            name="handoff_lag",
            value=round(p95, 2),
            unit="s",
            floor=1.0,
            ratio=round(p95 / 1.0, 2),
            target=5,
            details={
                "handoffs": count,
                "spacing_s": spacing,
                "median_s": round(sorted(values)[len(values) // 2], 2),
                "max_s": round(max(values), 2),
                "missing": len(missing),
            },
        )
    )


def _collect(receiver, by_rota: dict[int, datetime], limit: float) -> dict[int, float | None]:
    """Each rota's lag from its handoff to its webhook's arrival (None if it never came)."""
    lags: dict[int, float | None] = dict.fromkeys(by_rota)
    seen = 0
    while time.time() < limit and any(lag is None for lag in lags.values()):
        time.sleep(0.05)
        with receiver._lock:
            fresh = list(
                zip(receiver.requests[seen:], receiver.requests.arrived[seen:], strict=True)
            )
        seen += len(fresh)
        for request, arrived in fresh:
            body = json.loads(request.body)
            rota = body.get("rota", {}).get("id")
            if body.get("event") != "shift_started" or rota not in by_rota:
                continue
            if body.get("starts_at") == by_rota[rota].isoformat().replace("+00:00", "Z"):
                lags[rota] = arrived - by_rota[rota].timestamp()
    return lags


if __name__ == "__main__":
    main()
