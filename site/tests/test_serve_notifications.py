"""Through `rota serve` (web server, Celery worker and beat as real processes): activating a rota
notifies its current person in-app once and a subscribed webhook exactly once, even when the
receiver fails twice first; a handoff reaches its webhook within seconds."""

import re
import signal
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from rota_notifications.testing.receiver import Reply, WebhookReceiver

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served(module_process_env, tmp_path_factory, module_free_port):
    """`rota serve --demo` on a free port; yields (base_url, signed-in httpx client)."""
    free_port, process_env = module_free_port, module_process_env
    base = f"http://127.0.0.1:{free_port}"
    log_path = tmp_path_factory.mktemp("serve") / "serve.log"
    log = log_path.open("w")
    process = subprocess.Popen(
        [sys.executable, "-m", "rota_site.manage", "serve", "--demo", "--bind",
         f"127.0.0.1:{free_port}"],
        env=process_env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        password = _wait_for_password(log_path, process)
        client = httpx.Client(base_url=base, timeout=10)
        _wait_healthy(client, process)
        token = client.get("/api/v1/auth/csrf/").json()["csrfToken"]
        client.headers.update({"X-CSRFToken": token, "Referer": base + "/"})
        login = client.post("/api/v1/auth/login/", json={"username": "admin", "password": password})
        assert login.status_code == 200, login.text
        client.headers["X-CSRFToken"] = client.cookies["csrftoken"]
        yield base, client
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for_password(log_path, process, timeout=90) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        match = re.search(r"Demo superuser \(dev only\): admin / (\S+)", log_path.read_text())
        if match:
            return match.group(1)
        assert process.poll() is None, log_path.read_text()
        time.sleep(0.3)
    raise AssertionError("no demo password printed")


def _wait_healthy(client, process, timeout=60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None
        try:
            if client.get("/health/").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("rota serve never became healthy")


def _me(client) -> dict:
    return client.get("/api/v1/auth/me/").json()


def test_activation_notifies_in_app_once_and_the_webhook_exactly_once_after_two_failures(
    served,
):
    _, client = served
    ada = _me(client)["person"]["id"]
    rota = client.post(
        "/api/v1/rotas/",
        json={"name": "E2E on-call", "cadence": "weekly", "starts_on": "2026-01-05",
              "members": [ada], "is_active": False},
    ).json()  # fmt: skip
    with WebhookReceiver([Reply(500), Reply(503), Reply(200)]) as receiver:
        hook = client.post(
            "/api/v1/webhooks/", json={"rota": rota["id"], "url": receiver.url, "format": "json"}
        )
        assert hook.status_code == 201, hook.text
        activated = client.patch(f"/api/v1/rotas/{rota['id']}/", json={"is_active": True})
        assert activated.status_code == 200
        assert activated.json()["current"]["person"]["id"] == ada
        requests = receiver.wait_for(3, timeout=60)
        time.sleep(4)  # nothing more arrives: no duplicate after the success
        assert len(receiver.requests) == 3
    assert {r.headers["X-Rota-Delivery"] for r in requests} == {
        requests[0].headers["X-Rota-Delivery"]
    }
    assert requests[-1].json()["event"] == "shift_started"
    assert requests[-1].json()["person"]["id"] == ada
    mine = client.get("/api/v1/notifications/").json()["results"]
    started = [n for n in mine if n["kind"] == "shift_started" and n["rota"] == rota["id"]]
    assert len(started) == 1


def test_a_handoff_reaches_its_webhook_within_seconds(served):
    _, client = served
    ada = _me(client)["person"]["id"]
    handoff = (datetime.now(UTC) + timedelta(seconds=12)).replace(microsecond=0)
    rota = client.post(
        "/api/v1/rotas/",
        json={"name": "E2E timing", "cadence": "daily", "timezone": "UTC",
              "starts_on": (handoff - timedelta(days=3)).date().isoformat(),
              "handoff_time": handoff.time().isoformat(), "members": [ada],
              "reminder_minutes": None},
    ).json()  # fmt: skip
    assert rota["next_handoff_at"] == handoff.isoformat().replace("+00:00", "Z")
    with WebhookReceiver() as receiver:
        client.post("/api/v1/webhooks/", json={"rota": rota["id"], "url": receiver.url})
        receiver.wait_for(1, timeout=90)
        lag = time.time() - handoff.timestamp()
    print(f"handoff to webhook delivery: {lag:.2f} s")
    assert lag < 10


def test_a_swap_taken_in_the_api_reaches_the_requester_in_app_and_a_webhook_exactly_once(
    served,
):
    _, client = served
    ada = _me(client)["person"]["id"]
    other = client.post("/api/v1/people/", json={"name": "Swap Taker", "email": "st@example.com"})
    assert other.status_code == 201, other.text
    taker = other.json()["id"]
    rota = client.post(
        "/api/v1/rotas/",
        json={"name": "E2E swaps", "cadence": "daily", "timezone": "UTC",
              "starts_on": "2026-01-05", "members": [ada, taker]},
    ).json()  # fmt: skip
    now = datetime.now(UTC)
    schedule = client.get(f"/api/v1/rotas/{rota['id']}/schedule/").json()
    held = next(
        s for s in schedule
        if s["person"]["id"] == ada
        and datetime.fromisoformat(s["ends_at"]) > now + timedelta(hours=3)
    )  # fmt: skip
    start = max(datetime.fromisoformat(held["starts_at"]), now + timedelta(hours=1))
    start = start.replace(microsecond=0)
    with WebhookReceiver() as receiver:
        hook = client.post(
            "/api/v1/webhooks/",
            json={"rota": rota["id"], "url": receiver.url, "format": "json",
                  "events": ["swap_taken"]},
        )  # fmt: skip
        assert hook.status_code == 201, hook.text
        swap = client.post(
            "/api/v1/swaps/",
            json={"rota": rota["id"], "requester": ada, "starts_at": start.isoformat(),
                  "ends_at": (start + timedelta(hours=1)).isoformat()},
        )  # fmt: skip
        assert swap.status_code == 201, swap.text
        taken = client.post(f"/api/v1/swaps/{swap.json()['id']}/take/", json={"person": taker})
        assert taken.status_code == 200, taken.text
        (request,) = receiver.wait_for(1, timeout=60)
        time.sleep(4)  # nothing more arrives
        assert len(receiver.requests) == 1
    assert request.json()["event"] == "swap_taken"
    assert request.json()["swap_id"] == swap.json()["id"]
    mine = client.get("/api/v1/notifications/").json()["results"]
    assert [n["kind"] for n in mine if n["rota"] == rota["id"]].count("swap_taken") == 1
