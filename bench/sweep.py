"""sweep: ``rota rotate`` over N due rotas of 5 members with notifications installed, against
the same rows written by hand-written SQL in one transaction (bench.sweep_floor).

Each seeded rota missed exactly one handoff, so the sweep stores one shift, names it in its
batch's shifts_started, and the outbox writes one in-app notification, one email delivery and one
webhook delivery per rota. The seeded database is cloned before anything runs: the sweep runs
on one copy (in a fresh process, as cron or beat would run it), the floor on the other, and
the two copies must end up with the same rows. Each is timed over several rounds, interleaved
and each on a fresh copy, and the best time of each counts (a single timing on a shared
machine can be off by a quarter either way).
"""

from __future__ import annotations

import json
import os
import pstats
import subprocess
import sys
import tempfile
from pathlib import Path

from . import compare, databases, sweep_floor
from .child import Result, backend, emit, log, own_database, parse_args, setup_django

WEBHOOK_URL = "http://127.0.0.1:9/hook"  # never called: the sweep only writes the outbox


def rotate_once(url: str, *flags: str) -> dict:
    """``rota rotate`` in a fresh process on ``url`` (bench.rotate_once)."""
    done = subprocess.run(  # noqa: S603 - our own interpreter and module
        [sys.executable, "-m", "bench.rotate_once", *flags],
        env={**os.environ, "DATABASE_URL": url},
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"rota rotate failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def seed_due(count: int, *, prefix: str = "Bench") -> None:
    from django.db import connections

    from .seed import seed_rotas

    seeded = seed_rotas(count=count, due=True, webhook_url=WEBHOOK_URL, prefix=prefix)
    log(f"seeded {len(seeded.rota_ids)} due rotas, {seeded.people} people")
    connections.close_all()  # a PostgreSQL database in use cannot be cloned


def run_floor(url: str) -> dict:
    from datetime import UTC, datetime

    now = datetime.now(UTC)
    if databases.is_postgres(url):
        return sweep_floor.run_postgres(url, now=now)
    return sweep_floor.run_sqlite(str(databases.sqlite_path(url)), now=now)


def print_profile(path: str, top: int = 15) -> None:
    log(f"cProfile of the sweep, top {top} by cumulative time:")
    stats = pstats.Stats(path, stream=sys.stderr)
    stats.sort_stats("cumulative").print_stats(top)


def main() -> None:
    args = parse_args(__doc__, lambda p: p.add_argument("--profile", action="store_true"))
    count = 1_000 if args.quick else 10_000
    rounds = 2 if args.quick else 3
    with own_database("sweep") as url:
        setup_django()
        seed_due(count)
        # Every copy is made before anything runs on the seeded database (the first round's
        # sweep runs on it).
        ours_urls = [url] + [databases.clone(url, f"sweep{i}") for i in range(1, rounds)]
        floor_urls = [databases.clone(url, f"sweepfloor{i}") for i in range(rounds)]
        profile_url = databases.clone(url, "sweepprof") if args.profile else None
        try:
            floors, sweeps = [], []
            for ours_url, floor_url in zip(ours_urls, floor_urls, strict=True):
                floors.append(run_floor(floor_url))
                sweeps.append(rotate_once(ours_url))
                log(f"floor {floors[-1]['seconds']:.2f} s, sweep {sweeps[-1]['seconds']:.2f} s")
            floor = min(floors, key=lambda run: run["seconds"])
            ours = min(sweeps, key=lambda run: run["seconds"])
            log(f"floor: {floors[0]}")
            log(f"sweep: {sweeps[0]['summary']}")
            if ours["stderr"].strip():
                log(f"sweep stderr: {ours['stderr']}")
            if any(run["stored"] != count for run in sweeps) or any(
                run["shifts"] != count for run in floors
            ):
                raise RuntimeError(
                    f"expected {count} shifts, sweeps stored {[r['stored'] for r in sweeps]}, "
                    f"floors {[r['shifts'] for r in floors]}"
                )
            a, b = compare.snapshot(url), compare.snapshot(floor_urls[0])
            texts_differ = compare.differences({"texts": a.pop("texts")}, {"texts": b.pop("texts")})
            rows_differ = compare.differences(a, b)
            if rows_differ:
                raise RuntimeError(f"the floor did not write the sweep's rows: {rows_differ}")
            if texts_differ:
                log(f"WARNING: notification texts differ from the floor's: {texts_differ}")
            if profile_url:
                with tempfile.TemporaryDirectory() as tmp:
                    path = str(Path(tmp) / "sweep.prof")
                    rotate_once(profile_url, "--profile", path)
                    print_profile(path)
        finally:
            for copy in [*ours_urls[1:], *floor_urls]:
                databases.drop(copy)
            if profile_url:
                databases.drop(profile_url)
    per_rota = {
        "sweep_ms_per_rota": round(ours["seconds"] / count * 1000, 3),
        "floor_ms_per_rota": round(floor["seconds"] / count * 1000, 3),
    }
    emit(
        Result(
            name="sweep",
            value=round(ours["seconds"], 3),
            unit="s",
            floor=round(floor["seconds"], 3),
            ratio=round(ours["seconds"] / floor["seconds"], 2),
            target=4,
            details={
                "rotas": count,
                "rounds": rounds,
                "backend": backend(),
                "deliveries": floor["deliveries"],
                "same_rows": True,
                "same_texts": not texts_differ,
                **per_rota,
            },
        )
    )


if __name__ == "__main__":
    main()
