"""Browser tests: Debian's Chromium driven by Playwright against the live API server.

- The test SPA (``spa/``) is served from http://127.0.0.1:8080, an origin the CORS and
  CSRF allow-lists name; if the port is taken the tests fail rather than move elsewhere.
- The API runs on pytest-django's ``live_server``, on 127.0.0.1 as well, so the session
  cookie is same-site for the page (ports do not count for SameSite).
- Screenshots go to ``$ROTA_SCREENSHOTS`` (default ``var/screenshots/`` in the repository)
  and are listed at the end of the run.
"""

import functools
import http.server
import os
import shutil
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

SPA_DIR = Path(__file__).parent / "spa"
REPO = Path(__file__).resolve().parents[3]
# The typed client (clients/ts), built by `npm run build` and committed: served at /client/.
CLIENT_DIR = REPO / "clients" / "ts" / "dist"
SPA_ORIGIN = ("127.0.0.1", 8080)
SCREENSHOTS = Path(os.environ.get("ROTA_SCREENSHOTS") or REPO / "var" / "screenshots").resolve()
CHROMIUM = os.environ.get("ROTA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# live_server's address, unless given on the command line: 127.0.0.1 like the SPA's origin.
os.environ.setdefault("DJANGO_LIVE_TEST_SERVER_ADDRESS", "127.0.0.1")

_taken: list[Path] = []


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """The SPA's folder, and the built client under /client/."""

    def translate_path(self, path: str) -> str:
        if path.startswith("/client/"):
            return str(CLIENT_DIR / Path(path.split("?", 1)[0]).name)
        return super().translate_path(path)

    def log_message(self, format, *args):  # keep the test output readable
        pass


def _serve(host: str, port: int) -> tuple[http.server.ThreadingHTTPServer, threading.Thread]:
    handler = functools.partial(_QuietHandler, directory=str(SPA_DIR))
    server = http.server.ThreadingHTTPServer((host, port), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="session")
def spa_url() -> Iterator[str]:
    """The test SPA on http://127.0.0.1:8080 (an allowed origin)."""
    if not (CLIENT_DIR / "api.js").is_file():
        pytest.fail(
            f"No built typed client in {CLIENT_DIR}: it is committed; rebuild it with "
            "`cd clients/ts && npm ci && npm run build`.",
            pytrace=False,
        )
    host, port = SPA_ORIGIN
    try:
        server, thread = _serve(host, port)
    except OSError as exc:
        pytest.fail(
            f"Cannot serve the test SPA on http://{host}:{port} ({exc}). The CORS and CSRF "
            f"allow-lists name that origin, so the browser tests need it: stop what listens "
            f"on port {port} and run them again.",
            pytrace=False,
        )
    yield f"http://{host}:{port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture(scope="session")
def foreign_spa_url() -> Iterator[str]:
    """The same SPA from an origin that is not allowed: 127.0.0.1 on another port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server, thread = _serve("127.0.0.1", port)
    yield f"http://127.0.0.1:{port}"
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


@pytest.fixture
def api_url(live_server) -> str:
    url = live_server.url
    if not url.startswith("http://127.0.0.1:"):
        pytest.fail(f"The API must run on 127.0.0.1 (same site as the SPA), not {url}")
    return url


@pytest.fixture(scope="module")
def browser():
    """One headless Chromium per module. Playwright's sync API runs an event loop in this
    thread, so Django's ORM calls from the test need DJANGO_ALLOW_ASYNC_UNSAFE meanwhile."""
    from playwright.sync_api import sync_playwright

    if not shutil.which(CHROMIUM):
        pytest.fail(
            f"No Chromium at {CHROMIUM}: install Debian's (apt-get install -y chromium, as "
            ".ci/run does) or point ROTA_CHROMIUM at one.",
            pytrace=False,
        )
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1100, "height": 760})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """``screenshot("spa-01-csrf")`` saves the page as PNG under SCREENSHOTS and prints it."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str, *, full_page: bool = True) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=full_page)
        print(f"screenshot: {path}")
        _taken.append(path)
        return path

    return take


def pytest_terminal_summary(terminalreporter):
    if _taken:
        terminalreporter.section("browser screenshots")
        terminalreporter.write_line(f"in {SCREENSHOTS}:")
        for path in dict.fromkeys(_taken):
            terminalreporter.write_line(f"  {path}")
