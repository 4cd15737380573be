"""A feed opened in the real Chromium reads as a page that says how to subscribe."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.axe import describe, install_axe, run_axe

pytestmark = pytest.mark.browser


def test_feed_opened_in_the_browser_explains_itself(page):
    response = page.goto("/search.atom?q=grid")
    assert response.status == 200
    # A navigation (Sec-Fetch-Dest: document) gets a page rendered on the server: no XSLT,
    # so no XSLT deprecation banner for the CSP to block (the fixture fails on any).
    assert response.headers["content-type"].startswith("text/html")
    assert page.locator("xslt-warning-banner").count() == 0
    about = page.locator("#feed-about")
    assert about.is_visible()
    assert "Atom feed" in about.inner_text() and "subscribe" in about.inner_text()
    assert page.get_by_role("heading", level=1).inner_text() == "Search: grid"
    results = page.locator("li.result h2 a")
    assert results.count() >= 1
    assert "/articles/" in results.first.get_attribute("href")
    # Styled like the rest of the site: the site's header and stylesheet, not browser defaults.
    assert page.locator("header.site-header").is_visible()
    assert about.evaluate("el => getComputedStyle(el).borderLeftStyle") == "solid"


def test_feed_page_offers_its_address_to_copy(page, base_url):
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.goto("/quotes.atom?q=grid")
    address = page.get_by_label("Feed address")
    assert address.input_value() == f"{base_url}/quotes.atom?q=grid" == page.url
    page.get_by_role("button", name="Copy address").click()
    expect(page.locator("#feed-address-status")).to_contain_text("Feed address copied")
    assert page.evaluate("navigator.clipboard.readText()") == page.url
    page.get_by_role("link", name="Open the page this feed follows").click()
    page.wait_for_url("**/quotes?q=grid*")
    assert page.locator(".quote-hit").count() >= 1


def test_feed_page_works_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    try:
        page = context.new_page()
        page.goto("/search.atom?q=grid")
        assert page.get_by_label("Feed address").input_value().endswith("/search.atom?q=grid")
        assert page.get_by_role("button", name="Copy address").count() == 0
        assert page.locator("li.result h2 a").count() >= 1
    finally:
        context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_feed_page_has_no_axe_violations_and_fits_a_phone(browser, base_url, scheme):
    axe_js = install_axe()
    if axe_js is None:
        pytest.skip("npm is not installed: axe-core cannot be fetched")
    # The strict CSP would refuse the injected axe script: bypassed here, for the test only.
    context = browser.new_context(
        base_url=base_url, bypass_csp=True, viewport={"width": 390, "height": 844}
    )
    try:
        page = context.new_page()
        page.emulate_media(color_scheme=scheme)
        page.goto("/quotes.atom?q=grid")
        violations = run_axe(page, axe_js)
        assert violations == [], describe(violations)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390
    finally:
        context.close()


def test_feed_styles_itself_in_a_browser_without_sec_fetch(page):
    # A browser too old to send Sec-Fetch-* headers asks like this: it gets the Atom XML,
    # as application/xml (which Chromium styles; Atom's own type it shows as plain text).
    def as_an_old_browser(route):
        headers = {
            name: value
            for name, value in route.request.all_headers().items()
            if not name.startswith("sec-fetch-")
        }
        route.fulfill(response=route.fetch(headers=headers))

    page.route("**/quotes.atom*", as_an_old_browser)
    response = page.goto("/quotes.atom")
    assert response.headers["content-type"].startswith("application/xml")
    assert page.evaluate("document.documentElement.namespaceURI") == "http://www.w3.org/2005/Atom"
    explanation = page.evaluate("getComputedStyle(document.documentElement, '::before').content")
    assert "This is an Atom feed" in explanation and "subscribe" in explanation
