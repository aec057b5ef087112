"""Settings of the benchmark processes: the site's base settings (read from the environment as
in production: DEBUG=0 is set by the harness) plus the floor views' routes.

The broker queue and cache key prefix are the benchmark's own, so a benchmark sharing a Redis
server with a running site (or the test suite, or another benchmark) never feeds it tasks or
reads its cached values.
"""

import os

from rota_site.settings.base import *  # noqa: F403
from rota_site.settings.base import CACHES, REDIS_URL

ROOT_URLCONF = "bench.urls"

# One scope per throwaway database (bench.child.own_database sets it): benchmarks running side
# by side never consume each other's tasks.
BENCH_SCOPE = os.environ.get("BENCH_SCOPE") or f"{os.environ.get('BENCH_RUN_ID', 'local')}"
CELERY_TASK_DEFAULT_QUEUE = f"bench-{BENCH_SCOPE}"
if REDIS_URL:
    CACHES["default"]["KEY_PREFIX"] = f"rota-bench-{BENCH_SCOPE}"
