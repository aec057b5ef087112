"""Failed-login limits end to end: real HTTP to the site's live server, with the site's own
settings (5 failures per username, 20 per address, no trusted proxy) and its cache (Redis
when REDIS_URL is set). A forged X-Forwarded-For on every attempt changes nothing."""

import secrets

import httpx
import pytest

from rota_core.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


class Browser:
    """An SPA's view of the API: csrf cookie + X-CSRFToken, a made-up forwarded address."""

    def __init__(self, base_url: str):
        self.http = httpx.Client(base_url=base_url, timeout=10)
        self.csrf = self.http.get("/api/v1/auth/csrf/").json()["csrfToken"]

    def admin_login(self, username: str, password: str) -> httpx.Response:
        self.http.get("/admin/login/")  # sets the csrftoken cookie the form sends back
        return self.http.post(
            "/admin/login/?next=/admin/",
            data={
                "username": username,
                "password": password,
                "csrfmiddlewaretoken": self.http.cookies["csrftoken"],
            },
            headers={"X-Forwarded-For": f"203.0.113.{secrets.randbelow(254) + 1}"},
        )

    def login(self, username: str, password: str) -> httpx.Response:
        forged = f"203.0.113.{secrets.randbelow(254) + 1}"
        return self.http.post(
            "/api/v1/auth/login/",
            json={"username": username, "password": password},
            headers={"X-CSRFToken": self.csrf, "X-Forwarded-For": forged},
        )


@pytest.fixture
def browser(live_server):
    browser = Browser(live_server.url)
    yield browser
    browser.http.close()


def test_five_failures_lock_the_username_even_for_the_right_password(browser):
    UserFactory(username="ada", password="right-password")

    answers = [browser.login("ada", f"wrong-{n}").status_code for n in range(5)]
    locked = browser.login("ada", "right-password")

    assert answers == [400] * 5
    assert locked.status_code == 429
    assert int(locked.headers["Retry-After"]) > 0
    assert "Too many failed login attempts" in locked.json()["detail"]


def test_twenty_failures_from_one_address_lock_it_whatever_x_forwarded_for_says(browser):
    UserFactory(username="grace", password="right-password")

    answers = {browser.login(f"nobody-{n}", "guess").status_code for n in range(20)}
    locked = browser.login("grace", "right-password")

    assert answers == {400}
    assert locked.status_code == 429


def test_wrong_admin_logins_are_refused_like_the_apis(browser):
    UserFactory(username="root", password="right-password", is_staff=True, is_superuser=True)

    answers = [browser.admin_login("root", f"wrong-{n}").status_code for n in range(5)]
    admin = browser.admin_login("root", "right-password")
    api = browser.login("root", "right-password")

    assert answers == [200] * 5  # the form again, with its error
    assert admin.status_code == 429
    assert int(admin.headers["Retry-After"]) > 0
    assert "Too many failed login attempts" in admin.text
    assert api.status_code == 429
