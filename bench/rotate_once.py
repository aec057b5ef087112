"""One ``rota rotate`` in a fresh process, timed (and optionally traced or profiled).

``python -m bench.rotate_once [--tracemalloc] [--profile FILE]`` with DATABASE_URL set prints
one JSON line: the seconds the command took, its tracemalloc peak, what it stored. Django is
set up, the command and the Celery tasks loaded and the database connected before the clock
starts, as they are before any sweep of a running site.
"""

from __future__ import annotations

import argparse
import io
import json
import time
import tracemalloc


class LastLine(io.TextIOBase):
    """A null stream that keeps only the last line written (the command's summary), so the
    printed shifts cost the measurement nothing."""

    def __init__(self) -> None:
        self.last = ""

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        if text.strip():
            self.last = text.strip().splitlines()[-1]
        return len(text)


def warm_up_celery() -> None:
    """Import what the sweep's enqueues would import on first use (the task modules, the
    broker's transport), as a running worker or beat already has: the measurement is of the
    sweep, not of loading code."""
    import importlib

    from celery import current_app

    for module in ("rota_scheduling.tasks", "rota_notifications.tasks"):
        importlib.import_module(module)
    current_app.loader.import_default_modules()
    current_app.finalize()
    with current_app.connection_for_write() as conn:
        conn.transport  # noqa: B018 - imports the transport module without connecting


def set_batch_size(size: int) -> int | None:
    """Make ``size`` the default batch size of ``rotate_due`` (the command passes none), so a
    small run still spans many batches; None if the service no longer takes one."""
    from rota_scheduling.services import sweep

    defaults = getattr(sweep.rotate_due, "__kwdefaults__", None) or {}
    if "batch_size" not in defaults:
        return None
    defaults["batch_size"] = size
    return size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--profile", help="write cProfile stats of the sweep to this file")
    parser.add_argument("--batch-size", type=int, help="rotate_due's batch size (default: its own)")
    args = parser.parse_args()

    from .child import setup_django

    setup_django()
    from django.core.management import call_command, load_command_class
    from django.db import connection

    from rota_scheduling.models import Shift

    load_command_class("rota_scheduling", "rotate")
    connection.ensure_connection()
    warm_up_celery()
    batch_size = set_batch_size(args.batch_size) if args.batch_size else None
    before = Shift.objects.count()
    out, err = LastLine(), io.StringIO()

    profiler = None
    if args.profile:
        import cProfile

        profiler = cProfile.Profile()
    if args.tracemalloc:
        tracemalloc.start()
    started = time.perf_counter()
    if profiler:
        profiler.enable()
    call_command("rotate", stdout=out, stderr=err)
    if profiler:
        profiler.disable()
    seconds = time.perf_counter() - started
    peak = None
    if args.tracemalloc:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    if profiler:
        profiler.dump_stats(args.profile)
    print(
        json.dumps(
            {
                "seconds": seconds,
                "peak_bytes": peak,
                "stored": Shift.objects.count() - before,
                "summary": out.last,
                "batch_size": batch_size,
                "stderr": err.getvalue()[-2000:],
            }
        ),
        flush=True,
    )


if __name__ == "__main__":
    main()
