"""The parent process: a migrated template database, one child process per benchmark, the table
and bench/results.json.

Each child (``python -m bench.<module>``) clones the template into its own throwaway database,
measures, drops it and prints ``BENCH {json}`` lines; the parent never imports Django, so its
memory and settings never leak into a measurement.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from . import databases
from .child import RESULT_PREFIX

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results.json"
CHILD_TIMEOUT = 900  # seconds; a full run takes well under ten minutes in all


@dataclass(frozen=True)
class Benchmark:
    module: str
    names: tuple[str, ...]  # the results it reports
    targets: tuple[float, ...]
    units: tuple[str, ...]
    needs: str = ""  # "redis+postgres" when it only runs on PostgreSQL with Redis


BENCHMARKS = [
    Benchmark("schedule", ("schedule", "schedule_growth"), (5, 2.3), ("µs/shift", "ms")),
    Benchmark("oncall", ("oncall",), (2,), ("ms",)),
    Benchmark("sweep", ("sweep",), (4,), ("s",)),
    Benchmark("sweep_memory", ("sweep_memory",), (1.5,), ("MiB",)),
    Benchmark("api_throughput", ("api_throughput",), (2,), ("req/s",)),
    Benchmark("handoff_lag", ("handoff_lag",), (5,), ("s",), needs="redis+postgres"),
]
NAMES = [name for b in BENCHMARKS for name in b.names]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, under a minute")
    parser.add_argument("--only", nargs="+", choices=NAMES, metavar="NAME", help="run these")
    parser.add_argument("--output", type=Path, default=RESULTS, help="default %(default)s")
    parser.add_argument("--verbose", action="store_true", help="show the children's logs")
    parser.add_argument(
        "--profile", action="store_true", help="also cProfile the sweep (its log shows the top)"
    )
    return parser.parse_args(argv)


def child_env(*, run_id: str, workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DATABASE_URL", None)  # each child sets its own throwaway database
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        BENCH_RUN_ID=run_id,
        ROTA_VAR_DIR=str(workdir / "var"),
        DEBUG="0",  # as in production: no query log, no browsable API
        ROTA_NOTIFICATIONS_ALLOW_PRIVATE_WEBHOOKS="1",  # webhooks go to 127.0.0.1
        EMAIL_URL="memorymail://",
        LOG_LEVEL="WARNING",
        PYTHONPATH=os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
    )
    return env


# These two run side by side (to stay within the time limits): a tracemalloc peak does not
# depend on how busy the machine is, and handoff_lag mostly waits for its handoffs (its worker
# shares the CPUs with the traced sweep, which can only make its lag look worse). Everything
# else runs alone.
TOGETHER = {"sweep_memory", "handoff_lag"}


def schedule_groups(benchmarks: list[Benchmark]) -> list[list[Benchmark]]:
    groups = [[bench] for bench in benchmarks]
    together = [bench for bench in benchmarks if bench.module in TOGETHER]
    if len(together) > 1:
        groups = [g for g in groups if g[0] not in together]
        groups.insert(
            min(benchmarks.index(b) for b in together) if groups else 0,
            together,
        )
    return groups


def run_child(bench: Benchmark, *, env, quick: bool, verbose: bool, profile: bool) -> dict:
    argv = [sys.executable, "-m", f"bench.{bench.module}"]
    if quick:
        argv.append("--quick")
    if profile and bench.module == "sweep":
        argv.append("--profile")
    started = time.monotonic()
    cpu_before = _children_cpu()
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and modules
        argv, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        stdout, stderr = child.communicate(timeout=CHILD_TIMEOUT)
    except subprocess.TimeoutExpired:
        child.terminate()  # children turn SIGTERM into SystemExit: they stop servers, drop DBs
        try:
            stdout, stderr = child.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            child.kill()
            stdout, stderr = child.communicate()
        stderr += f"\ntimed out after {CHILD_TIMEOUT} s"
    done = subprocess.CompletedProcess(argv, child.returncode, stdout, stderr)
    elapsed = time.monotonic() - started
    results = {}
    for line in done.stdout.splitlines():
        if line.startswith(RESULT_PREFIX):
            row = json.loads(line[len(RESULT_PREFIX) :])
            results[row["name"]] = row
    if verbose or profile or done.returncode:
        sys.stderr.write(done.stderr)
    errors = {}
    missing = [name for name in bench.names if name not in results]
    if done.returncode or missing:
        tail = "\n".join(done.stderr.strip().splitlines()[-6:])
        for name in bench.names:
            errors[name] = f"exit {done.returncode}: {tail or 'no result'}"
    cpu = _children_cpu() - cpu_before
    print(f"  {bench.module}: {elapsed:.1f} s ({cpu:.1f} s CPU)", file=sys.stderr, flush=True)
    return {"results": results, "errors": errors}


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def skipped(bench: Benchmark, reason: str) -> dict:
    results = {
        name: {"name": name, "value": None, "unit": unit, "floor": None, "ratio": None,
               "target": target, "details": {"skipped": reason}}
        for name, target, unit in zip(bench.names, bench.targets, bench.units, strict=True)
    }  # fmt: skip
    return {"results": results, "errors": {}}


def _fmt(value) -> str:
    if value is None:
        return "-"
    if isinstance(value, float):
        return f"{value:,.3g}" if abs(value) < 100 else f"{value:,.0f}"
    return str(value)


def table(rows: dict[str, dict], errors: dict[str, str]) -> str:
    header = ("name", "value", "unit", "floor", "ratio", "target", "ok?")
    lines = []
    for name in NAMES:
        if name in errors:
            lines.append((name, "-", "", "-", "-", "", "ERROR"))
            continue
        row = rows.get(name)
        if row is None:
            continue
        if row["ratio"] is None:
            verdict = "skipped" if row["details"].get("skipped") else "-"
        else:
            verdict = "ok" if row["ratio"] <= row["target"] else "OVER TARGET"
        lines.append((name, _fmt(row["value"]), row["unit"], _fmt(row["floor"]),
                       _fmt(row["ratio"]), f"≤ {row['target']}", verdict))  # fmt: skip
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header))]
    render = [" | ".join(str(c).ljust(w) for c, w in zip(line, widths, strict=True)).rstrip()
              for line in [header, *lines]]  # fmt: skip
    render.insert(1, "-+-".join("-" * w for w in widths))
    return "\n".join(render)


def main(argv=None) -> int:
    args = parse_args(argv)
    server = databases.server_url()
    redis = os.environ.get("REDIS_URL", "")
    mode = "quick" if args.quick else "full"
    database = f"PostgreSQL at {_safe(server)}" if server else "SQLite (DATABASE_URL is not set)"
    broker = f"Redis at {_safe(redis)}" if redis else "filesystem (REDIS_URL is not set)"
    print(f"bench ({mode}): {database}, broker {broker}")
    print(f"load average {_load()} on {os.cpu_count()} CPUs (timings suffer on a busy machine)")
    run_id = secrets.token_hex(3)
    workdir = Path(tempfile.mkdtemp(prefix=f"rota-bench-{run_id}-"))
    env = child_env(run_id=run_id, workdir=workdir)
    rows: dict[str, dict] = {}
    errors: dict[str, str] = {}
    started = time.monotonic()
    try:
        try:
            env["BENCH_TEMPLATE_URL"] = databases.create_template(
                run_id=run_id, workdir=workdir, env=env
            )
        except Exception as exc:
            print(f"bench: could not create the template database: {exc}", file=sys.stderr)
            return 1
        selected = [b for b in BENCHMARKS if not args.only or set(b.names) & set(args.only)]
        runnable = []
        for bench in selected:
            if bench.needs == "redis+postgres" and not (server and redis):
                outcome = skipped(bench, "needs PostgreSQL and Redis (DATABASE_URL, REDIS_URL)")
                rows.update(outcome["results"])
            else:
                runnable.append(bench)
        for group in schedule_groups(runnable):
            with ThreadPoolExecutor(len(group)) as pool:
                outcomes = list(
                    pool.map(
                        lambda bench: (bench, run_child(bench, env=env, quick=args.quick,
                                                        verbose=args.verbose,
                                                        profile=args.profile)),
                        group,
                    )
                )  # fmt: skip
            for bench, outcome in outcomes:
                rows.update(outcome["results"])
                errors.update(outcome["errors"])
                for name in outcome["errors"]:  # not measured: nulls in results.json
                    rows[name] = skipped(bench, "error")["results"][name]
    finally:
        _drop_databases(run_id)
        _clean_redis(redis, run_id)
        shutil.rmtree(workdir, ignore_errors=True)
        if workdir.exists():  # a server still shutting down wrote into it: once more
            time.sleep(1)
            shutil.rmtree(workdir, ignore_errors=True)

    print()
    print(table(rows, errors))
    for name in NAMES:
        if name in errors:
            print(f"  {name}: ERROR {errors[name]}")
        elif name in rows and rows[name]["details"]:
            print(f"  {name}: " + ", ".join(f"{k}={v}" for k, v in rows[name]["details"].items()))
    print(f"({time.monotonic() - started:.0f} s; load average {_load()})")
    write_results(args.output, rows)
    return 1 if errors else 0


def write_results(path: Path, rows: dict[str, dict]) -> None:
    keep = ("value", "unit", "floor", "ratio", "target")
    data = {name: {k: rows[name][k] for k in keep} for name in NAMES if name in rows}
    path.write_text(json.dumps(data, indent=2) + "\n")
    print(f"wrote {path}")


def _load() -> str:
    return " ".join(f"{x:.1f}" for x in os.getloadavg())


def _safe(url: str) -> str:
    """The URL without its password."""
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    return f"{parts.scheme}://{host}{port}{parts.path}"


def _drop_databases(run_id: str) -> None:
    """Drop the template and whatever a crashed benchmark left behind."""
    try:
        leftovers = databases.drop_run(run_id)
    except Exception as exc:  # cleanup must not hide the results
        print(f"bench: could not drop the databases of run {run_id}: {exc}", file=sys.stderr)
        return
    leftovers = [name for name in leftovers if not name.endswith("_template")]
    if leftovers:
        print(f"bench: dropped databases a benchmark left behind: {leftovers}", file=sys.stderr)


def _clean_redis(redis_url: str, run_id: str) -> None:
    """Remove this run's broker queue and cache keys (the settings give them the run's name)."""
    if not redis_url:
        return
    try:
        import redis

        client = redis.Redis.from_url(redis_url, socket_connect_timeout=2)
        keys = [*client.scan_iter(f"*bench-{run_id}*", count=1000)]
        if keys:
            client.delete(*keys)
    except Exception as exc:
        print(f"bench: could not clean Redis keys of run {run_id}: {exc}", file=sys.stderr)
