"""/api/docs/ in a real browser with no network: Swagger UI comes from our static files."""

from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def test_the_api_docs_render_their_operations_with_no_network(page, api_url, screenshot):
    blocked: list[str] = []

    def only_this_machine(route) -> None:
        url = route.request.url
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:  # a CDN, a validator badge, fonts: anything off this machine fails
            blocked.append(url)
            route.abort("internetdisconnected")

    page.route("**/*", only_this_machine)
    page.goto(f"{api_url}/api/docs/")

    rotas = page.locator('.opblock-summary-path[data-path="/api/v1/rotas/"]').first
    rotas.wait_for(state="visible")
    assert page.locator(".opblock").count() > 20  # every operation, not one by luck
    rotas.click()  # an operation opens, showing its parameters and responses
    page.locator(".opblock.is-open .responses-wrapper").first.wait_for(state="visible")
    page.locator("#operations-tag-rotas").scroll_into_view_if_needed()
    screenshot("api-docs-01-offline", full_page=False)
    assert blocked == []
