"""api_throughput: requests/s of GET /api/v1/rotas/?page_size=50 under gunicorn (2 sync
workers) with a load generator in another process (bench.loadgen), against the floor view
(bench.floor_views.rotas_floor) answering the same page from ``.values()`` under the same
server. Ratio = floor rps / ours.

Before loading, both pages are fetched and compared, and the list's query count is recorded
at a few rotas and at N (the test suite asserts it stays constant).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import httpx

from drills.common import free_port

from .child import Result, backend, emit, log, own_database, parse_args, setup_django

OURS = "/api/v1/rotas/?page_size=50"
FLOOR = "/api/v1/bench-floor/rotas/?page_size=50"


def start_gunicorn(port: int) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - our own interpreter and the site's WSGI app
        [sys.executable, "-m", "gunicorn", "rota_site.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", "2", "--worker-class", "sync",
         "--log-level", "warning"],
        env=dict(os.environ),
        start_new_session=True,
    )  # fmt: skip


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def wait_ready(base: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {process.returncode}")
        try:
            if httpx.get(base + "/health/", timeout=5).status_code in (200, 503):
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer")


def load(url: str, cookie: str, seconds: float, concurrency: int) -> dict:
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.loadgen", url, "--cookie", cookie,
         "--seconds", str(seconds), "--concurrency", str(concurrency)],
        capture_output=True, text=True, check=True,
    )  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def list_queries(client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(OURS)  # the first request reads the system zone into the cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get(OURS).status_code == 200
    return len(queries)


def main() -> None:
    args = parse_args(__doc__)
    count = 100 if args.quick else 500
    seconds = 2 if args.quick else 10
    rounds = 1 if args.quick else 2
    concurrency = 4
    with own_database("api"):
        setup_django()
        from django.db import connections
        from django.test import Client

        from .seed import seed_rotas, signed_in_user

        client = Client()
        client.force_login(signed_in_user())
        seed_rotas(count=5, due=False, prefix="Few")
        few = list_queries(client)
        seed_rotas(count=count - 5, due=False)
        many = list_queries(client)
        cookie = f"sessionid={client.cookies['sessionid'].value}"
        connections.close_all()

        port = free_port()
        base = f"http://127.0.0.1:{port}"
        server = start_gunicorn(port)
        try:
            wait_ready(base, server)
            pages = {}
            for url in (OURS, FLOOR):
                response = httpx.get(base + url, headers={"Cookie": cookie}, timeout=30)
                if response.status_code != 200:
                    raise RuntimeError(f"GET {url}: {response.status_code} {response.text[:300]}")
                pages[url] = response.json()
            same_page = _compare(pages[OURS], pages[FLOOR])
            for url in (OURS, FLOOR):  # warm up both workers
                load(base + url, cookie, 0.5 if args.quick else 2, concurrency)
            runs = {OURS: [], FLOOR: []}
            for _ in range(rounds):
                for url in (OURS, FLOOR):
                    runs[url].append(load(base + url, cookie, seconds / rounds, concurrency))
        finally:
            stop(server)
    rps = {
        url: sum(r["requests"] for r in rs) / sum(r["seconds"] for r in rs)
        for url, rs in runs.items()
    }
    errors = sum(r["errors"] for rs in runs.values() for r in rs)
    if errors:
        raise RuntimeError(f"{errors} requests failed under load")
    log(f"ours {rps[OURS]:.1f} req/s, floor {rps[FLOOR]:.1f} req/s")
    emit(
        Result(
            name="api_throughput",
            value=round(rps[OURS], 1),
            unit="req/s",
            floor=round(rps[FLOOR], 1),
            ratio=round(rps[FLOOR] / rps[OURS], 2),
            target=2,
            details={
                "rotas": count,
                "seconds_each": seconds,
                "concurrency": concurrency,
                "backend": backend(),
                "median_ms_ours": round(runs[OURS][-1]["median_ms"], 1),
                "median_ms_floor": round(runs[FLOOR][-1]["median_ms"], 1),
                "list_queries": f"{few} at 5 rotas, {many} at {count}",
                "same_page": same_page,
            },
        )
    )
    if few != many:
        log(f"WARNING: the rota list's queries vary with rotas: {few} -> {many}")


def _compare(ours: dict, floor: dict) -> bool:
    """Same page? (Logs the first difference; a mismatch is reported, not fatal.)"""
    floor = json.loads(json.dumps(floor).replace("/bench-floor/rotas/", "/rotas/"))  # links
    if ours == floor:
        return True
    for key in ("count", "next", "previous"):
        if ours.get(key) != floor.get(key):
            log(f"WARNING: {key} {ours.get(key)!r} vs floor {floor.get(key)!r}")
    for a, b in zip(ours["results"], floor["results"], strict=False):
        if a != b:
            keys = sorted(k for k in a.keys() | b.keys() if a.get(k) != b.get(k))
            log(f"WARNING: rota {a.get('id')} differs from the floor's in {keys}: "
                f"{[(a.get(k), b.get(k)) for k in keys][:3]}")  # fmt: skip
            break
    return False


if __name__ == "__main__":
    main()
