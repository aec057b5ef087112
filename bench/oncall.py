"""oncall: GET /api/v1/oncall/ with N active rotas (stored current shifts), median of many
requests through Django's test client signed in, against the floor view
(bench.floor_views.oncall_floor) answering the same rows from one ``.values()`` query.

The two answers are compared row by row first; the query count of each is recorded at a few
rotas and at N (it must not grow: the test suite asserts that for the API).
"""

from __future__ import annotations

import json
import time

from .child import Result, backend, emit, log, median, own_database, parse_args, setup_django

OURS = "/api/v1/oncall/"
FLOOR = "/api/v1/bench-floor/oncall/"


def timed_get(client, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    if response.status_code != 200:
        raise RuntimeError(f"GET {url}: {response.status_code} {response.content[:300]!r}")
    return elapsed, response.content


def query_count(client, url: str) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        timed_get(client, url)
    return len(queries)


def rows_of(content: bytes) -> list:
    return sorted(json.loads(content), key=lambda row: row["rota"]["id"])


def main() -> None:
    args = parse_args(__doc__)
    count = 200 if args.quick else 1_000
    requests = 20 if args.quick else 60
    with own_database("oncall"):
        setup_django()
        from django.test import Client

        from .seed import seed_rotas, signed_in_user

        client = Client()
        client.force_login(signed_in_user())
        seed_rotas(count=5, due=False, prefix="Few")
        for url in (OURS, FLOOR):  # the first request reads the system zone into the cache
            timed_get(client, url)
        few = {url: query_count(client, url) for url in (OURS, FLOOR)}
        seed_rotas(count=count - 5, due=False)
        many = {url: query_count(client, url) for url in (OURS, FLOOR)}
        log(f"queries with 5 rotas {few}, with {count} rotas {many}")

        ours_rows, floor_rows = (
            rows_of(timed_get(client, OURS)[1]),
            rows_of(timed_get(client, FLOOR)[1]),
        )
        if len(ours_rows) != count:
            raise RuntimeError(f"oncall/ answered {len(ours_rows)} rows for {count} rotas")
        if ours_rows != floor_rows:
            differing = next((a, b) for a, b in zip(ours_rows, floor_rows, strict=False) if a != b)
            raise RuntimeError(f"the floor view answers other rows, e.g. {differing}")

        times: dict[str, list[float]] = {OURS: [], FLOOR: []}
        for _ in range(3):  # warm up both
            timed_get(client, OURS), timed_get(client, FLOOR)
        for _ in range(requests):  # interleaved, so drift hits both alike
            for url in (OURS, FLOOR):
                times[url].append(timed_get(client, url)[0])
    ours, floor = median(times[OURS]) * 1000, median(times[FLOOR]) * 1000
    emit(
        Result(
            name="oncall",
            value=round(ours, 2),
            unit="ms",
            floor=round(floor, 2),
            ratio=round(ours / floor, 2),
            target=2,
            details={
                "rotas": count,
                "requests": requests,
                "backend": backend(),
                "queries_ours": f"{few[OURS]} at 5 rotas, {many[OURS]} at {count}",
                "queries_floor": f"{few[FLOOR]} at 5 rotas, {many[FLOOR]} at {count}",
                "same_rows": True,
            },
        )
    )
    if many[OURS] != few[OURS]:
        log(f"WARNING: oncall/ queries vary with rotas: {few[OURS]} -> {many[OURS]}")


if __name__ == "__main__":
    main()
