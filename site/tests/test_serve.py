import signal
import subprocess
import sys
import time

import httpx
import pytest

pytestmark = pytest.mark.slow


def wait_for_health(url: str, process: subprocess.Popen, timeout: float = 90) -> httpx.Response:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "rota serve exited before becoming healthy"
        try:
            response = httpx.get(url, timeout=2)
            if response.status_code == 200:
                return response
        except httpx.TransportError:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{url} did not answer 200 within {timeout}s")


def test_rota_serve_runs_web_worker_and_beat_and_stops_on_sigterm(
    process_env, tmp_path, free_port, api_docs_served_locally
):
    port = free_port
    log = (tmp_path / "serve.log").open("w+")
    process = subprocess.Popen(
        [sys.executable, "-m", "rota_site.manage", "serve", "--demo",
         "--bind", f"127.0.0.1:{port}"],
        env=process_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        health = wait_for_health(f"http://127.0.0.1:{port}/health/", process)
        assert health.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "ok"}
        api_docs_served_locally(f"http://127.0.0.1:{port}")
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        if process.poll() is None:
            process.kill()
    log.seek(0)
    output = log.read()
    assert "Demo superuser (dev only): admin /" in output
    for child in ("web", "worker", "beat"):
        assert f"Started {child}" in output
    # Every child is gone: nothing still listens on the port.
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/health/", timeout=2)
