"""sweep: ``rota rotate`` over N due rotas of 5 members with notifications installed, against
the same rows written by hand-written SQL in one transaction (bench.sweep_floor).

Each seeded rota missed exactly one handoff, so the sweep stores one shift, sends one
shift_started, and the outbox writes one in-app notification, one email delivery and one
webhook delivery per rota. The seeded database is cloned before anything runs: the sweep runs
on one copy (in a fresh process, as cron or beat would run it), the floor on the other, and
the two copies must end up with the same rows.
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
    with own_database("sweep") as url:
        setup_django()
        seed_due(count)
        floor_url = databases.clone(url, "sweepfloor")
        profile_url = databases.clone(url, "sweepprof") if args.profile else None
        try:
            floor = run_floor(floor_url)
            log(f"floor: {floor}")
            ours = rotate_once(url)
            log(f"sweep: {ours['seconds']:.2f} s, {ours['summary']}")
            if ours["stderr"].strip():
                log(f"sweep stderr: {ours['stderr']}")
            if ours["stored"] != count or floor["shifts"] != count:
                raise RuntimeError(
                    f"expected {count} shifts, sweep stored {ours['stored']}, "
                    f"floor {floor['shifts']}"
                )
            a, b = compare.snapshot(url), compare.snapshot(floor_url)
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
            databases.drop(floor_url)
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
