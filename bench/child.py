"""What every benchmark child shares: its own database, Django set up on it, result lines.

A child is ``python -m bench.<module> [--quick]``, started by ``python -m bench`` with the
run's environment (``BENCH_TEMPLATE_URL``, ``BENCH_RUN_ID``, ``DJANGO_SETTINGS_MODULE``...).
It prints one ``BENCH {json}`` line per result on stdout; everything else goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import sys
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from . import databases

RESULT_PREFIX = "BENCH "


@dataclass
class Result:
    name: str
    value: float | None
    unit: str
    floor: float | None
    ratio: float | None
    target: float
    details: dict = field(default_factory=dict)

    def as_line(self) -> str:
        return RESULT_PREFIX + json.dumps(self.__dict__, default=str)


def emit(result: Result) -> None:
    print(result.as_line(), flush=True)


def log(message: str) -> None:
    print(f"  [{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def parse_args(description: str, extra: Callable[[argparse.ArgumentParser], None] | None = None):
    # SIGTERM (the harness's timeout) unwinds like Ctrl-C: servers stopped, databases dropped.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--quick", action="store_true", help="smaller sizes (CI)")
    if extra:
        extra(parser)
    return parser.parse_args()


@contextlib.contextmanager
def own_database(label: str) -> Iterator[str]:
    """A clone of the run's migrated template, dropped on the way out; DATABASE_URL points
    at it (set before Django is set up)."""
    url = databases.clone(os.environ["BENCH_TEMPLATE_URL"], label)
    os.environ["DATABASE_URL"] = url
    os.environ["BENCH_SCOPE"] = f"{os.environ['BENCH_RUN_ID']}-{databases.scope_of(url)}"
    try:
        yield url
    finally:
        with contextlib.suppress(Exception):
            from django.db import connections

            connections.close_all()
        databases.drop(url)


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    import django

    django.setup()


def backend() -> str:
    return "postgresql" if databases.is_postgres(os.environ["BENCH_TEMPLATE_URL"]) else "sqlite"


def child_env(**extra: str) -> dict[str, str]:
    """This process's environment for a grandchild (same database and settings)."""
    return {**os.environ, **extra}


def median(values: list[float]) -> float:
    ordered = sorted(values)
    mid = len(ordered) // 2
    return ordered[mid] if len(ordered) % 2 else (ordered[mid - 1] + ordered[mid]) / 2


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (p95 of 20 values is the 19th smallest)."""
    import math

    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]
