"""sweep_memory: the tracemalloc peak (Python allocations) of ``rota rotate`` over N due rotas,
against the same at N/10. A sweep that works in batches should stay near flat.

One process seeds N/10 due rotas, copies that database, then seeds the rest; each database
then gets one sweep in a fresh process (bench.rotate_once) with Django set up, the command
and the Celery tasks loaded and the database connected before tracing starts. The two sweeps
run side by side: a tracemalloc peak does not depend on how busy the machine is.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

from . import databases
from .child import Result, backend, emit, log, own_database, parse_args, setup_django
from .sweep import seed_due

MIB = 1024 * 1024
QUICK_BATCH = 50


def traced_sweeps(urls: list[str], *flags: str) -> list[dict]:
    children = [
        subprocess.Popen(  # noqa: S603 - our own interpreter and module
            [sys.executable, "-m", "bench.rotate_once", "--tracemalloc", *flags],
            env={**os.environ, "DATABASE_URL": url},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for url in urls
    ]
    runs = []
    for child in children:
        out, err = child.communicate()
        if child.returncode:
            raise RuntimeError(f"rota rotate failed (exit {child.returncode}):\n{err[-3000:]}")
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return runs


def main() -> None:
    args = parse_args(__doc__)
    large = 600 if args.quick else 10_000
    small = large // 10
    # Quick sizes are below the sweep's own batch size (500): smaller batches keep the small
    # run at more than one batch, so the comparison still says whether memory stays flat.
    flags = ["--batch-size", str(QUICK_BATCH)] if args.quick else []
    with own_database("memory") as url:
        setup_django()
        seed_due(small)
        small_url = databases.clone(url, "memorysmall")
        try:
            seed_due(large - small, prefix="More")
            large_run, small_run = traced_sweeps([url, small_url], *flags)
        finally:
            databases.drop(small_url)
    for count, run in ((large, large_run), (small, small_run)):
        if run["stored"] != count:
            raise RuntimeError(f"expected {count} shifts, the sweep stored {run['stored']}")
        log(f"{count} rotas: peak {run['peak_bytes'] / MIB:.1f} MiB in {run['seconds']:.1f} s")
    ours, floor = large_run["peak_bytes"] / MIB, small_run["peak_bytes"] / MIB
    emit(
        Result(
            name="sweep_memory",
            value=round(ours, 2),
            unit="MiB",
            floor=round(floor, 2),
            ratio=round(ours / floor, 2),
            target=1.5,
            details={
                "rotas": f"{large} vs {small}",
                "backend": backend(),
                "peak_large_mib": round(ours, 2),
                "peak_small_mib": round(floor, 2),
                "kib_per_extra_rota": round((ours - floor) * 1024 / (large - small), 2),
                "batch_size": large_run.get("batch_size") or "the sweep's default",
            },
        )
    )


if __name__ == "__main__":
    main()
