"""Run the web server, a Celery worker and beat as children; stop them all together."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass


@dataclass
class Child:
    name: str
    argv: Sequence[str]
    process: subprocess.Popen | None = None


def web_server(bind: str) -> Child:
    return Child(
        "web",
        [
            sys.executable, "-m", "gunicorn", "rota_site.wsgi:application",
            "--bind", bind, "--workers", "2", "--threads", "2",
            "--access-logfile", "-", "--graceful-timeout", "5",
        ],
    )  # fmt: skip


def celery_worker() -> Child:
    return Child(
        "worker",
        [sys.executable, "-m", "celery", "-A", "rota_site", "worker",
         "--loglevel", "INFO", "--concurrency", "2", "--without-mingle", "--without-gossip"],
    )  # fmt: skip


def celery_beat() -> Child:
    # Exactly one beat; the database scheduler reads the periodic tasks ops manage in the admin.
    return Child(
        "beat",
        [sys.executable, "-m", "celery", "-A", "rota_site", "beat", "--loglevel", "INFO",
         "--scheduler", "django_celery_beat.schedulers:DatabaseScheduler", "--pidfile="],
    )  # fmt: skip


class Supervisor:
    """Starts children in their own sessions and stops them all on SIGINT/SIGTERM or on the
    first unexpected exit, so Ctrl-C never leaves an orphaned worker or beat behind."""

    def __init__(self, children: Sequence[Child], *, stop_timeout: float = 15.0, log=print):
        self.children = list(children)
        self.stop_timeout = stop_timeout
        self.log = log
        self._stopping = False

    def _request_stop(self, signum, _frame) -> None:
        self.log(f"Received {signal.Signals(signum).name}, stopping…")
        self._stopping = True

    def run(self) -> int:
        previous = {
            s: signal.signal(s, self._request_stop) for s in (signal.SIGINT, signal.SIGTERM)
        }
        try:
            for child in self.children:
                child.process = subprocess.Popen(child.argv, start_new_session=True)  # noqa: S603
                self.log(f"Started {child.name} (pid {child.process.pid})")
            code = 0
            while not self._stopping:
                for child in self.children:
                    if child.process.poll() is not None:
                        self.log(f"{child.name} exited with {child.process.returncode}")
                        code = child.process.returncode or 1
                        self._stopping = True
                time.sleep(0.2)
            return code
        finally:
            self.stop()
            for sig, handler in previous.items():
                signal.signal(sig, handler)

    def stop(self) -> None:
        running = [c for c in self.children if c.process and c.process.poll() is None]
        for child in running:
            _signal_group(child.process, signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for child in running:
            try:
                child.process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                self.log(f"{child.name} did not stop in time; killing it")
                _signal_group(child.process, signal.SIGKILL)
                child.process.wait()


def _signal_group(process: subprocess.Popen, sig: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, sig)
