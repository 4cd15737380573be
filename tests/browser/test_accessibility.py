"""Every kind of page passes axe-core in light and dark, and the keyboard gets where it is going."""

from __future__ import annotations

import pytest

from tests.browser.axe import describe, install_axe, run_axe

pytestmark = pytest.mark.browser

PAGE_KINDS = [
    "home",
    "search",
    "search-empty",
    "quotes",
    "article",
    "related",
    "speakers",
    "speaker",
    "themes",
    "theme",
    "docs",
    "error",
]


@pytest.fixture(scope="module")
def axe_js():
    path = install_axe()
    if path is None:
        pytest.skip("npm is not installed: axe-core cannot be fetched")
    return path


@pytest.fixture(scope="module")
def urls(browser, base_url) -> dict[str, str]:
    """One page of each kind, chosen from what the fixture archive holds."""
    context = browser.new_context(base_url=base_url)
    try:
        api = context.request
        article = api.get("/api/articles?limit=1").json()["articles"][0]["slug"]
        # the busiest speaker and theme: their pages have a chart with several bars
        speakers = api.get("/api/speakers").json()["speakers"]
        speaker = max(speakers, key=lambda s: (s["quotes"], s["slug"]))["slug"]
        themes = api.get("/api/themes").json()["themes"]
        theme = max(themes, key=lambda t: (t["articles"], t["slug"]))["slug"]
    finally:
        context.close()
    return {
        "home": "/",
        "search": "/search?q=grid",
        "search-empty": "/search?q=zzyzzx",
        "quotes": "/quotes?q=grid",
        "article": f"/articles/{article}",
        "related": f"/articles/{article}/related",
        "speakers": "/speakers",
        "speaker": f"/speakers/{speaker}",
        "themes": "/themes",
        "theme": f"/themes/{theme}",
        "docs": "/docs",
        "error": "/articles/no-such-article",
    }


@pytest.fixture
def axe_page(browser, base_url):
    # The strict CSP would refuse the injected axe script: bypassed here, for the test only.
    context = browser.new_context(base_url=base_url, bypass_csp=True)
    yield context.new_page()
    context.close()


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_has_no_axe_violations(axe_page, axe_js, urls, kind, scheme):
    axe_page.emulate_media(color_scheme=scheme)
    axe_page.goto(urls[kind])
    violations = run_axe(axe_page, axe_js)
    assert violations == [], f"{kind} ({scheme}):\n{describe(violations)}"


def count_tabs_to(page, selector: str, limit: int = 200) -> int | None:
    """Tab presses from the top of a freshly loaded page until `selector` has focus."""
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement.matches(s)", selector):
            return presses
    return None


@pytest.mark.parametrize(
    "path, first_result",
    [("/search?q=grid", ".result h2 a"), ("/quotes?q=grid", ".result a")],
)
def test_skip_link_takes_the_keyboard_to_the_first_result(page, path, first_result):
    page.goto(path)
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to results"
    page.keyboard.press("Enter")
    after_skip = count_tabs_to(page, first_result, limit=9)
    assert after_skip is not None and 1 + after_skip <= 10, after_skip


def test_tab_alone_meets_the_results_before_the_filters(page):
    # Without the skip link: header, form, result tools, then results. Before issue 11 the
    # date inputs (3-4 stops each) and every facet value came first: 36 presses here.
    page.goto("/search?q=grid")
    presses = count_tabs_to(page, ".result h2 a")
    assert presses is not None and presses <= 20, presses


def test_empty_search_skip_link_goes_to_the_content(page):
    page.goto("/search?q=zzyzzx")
    assert page.locator(".skip-link").get_attribute("href") == "#main"


def test_each_paragraph_is_at_most_one_tab_stop(page, urls):
    page.goto(urls["article"])
    page.wait_for_load_state("load")  # app.js has run: its buttons count too
    stops = page.evaluate(
        """focusable => [...document.querySelectorAll('.article-body > p, .article-body > h2')]
            .map(p => p.querySelectorAll(focusable).length)""",
        'a[href], button, input, select, textarea, [tabindex]:not([tabindex="-1"])',
    )
    assert stops and max(stops) <= 1, stops


def test_paragraph_anchor_copies_its_address(browser, base_url, urls):
    context = browser.new_context(base_url=base_url)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(urls["article"])
    page.locator('a.anchor[href="#p3"]').click()
    page.wait_for_url("**#p3")
    copied = page.evaluate("navigator.clipboard.readText()")
    # The paragraph's own address, whose link preview shows that passage.
    assert copied == page.url.split("#")[0] + "/p/3"
    assert page.get_by_role("status").filter(has_text="copied").inner_text() == (
        "Link to paragraph 3 copied"
    )
    context.close()


@pytest.mark.parametrize("kind", PAGE_KINDS)
def test_page_fits_a_phone_without_sideways_scrolling(browser, base_url, urls, kind):
    context = browser.new_context(base_url=base_url, viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(urls[kind])
    width = page.evaluate("document.documentElement.scrollWidth")
    context.close()
    assert width <= 390, f"{kind} is {width} px wide at 390"
