"""A researcher in a real browser: search, facet, page 2, article, ¶ link, speaker, feed."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.browser


def test_search_to_feed_journey(page, base_url):
    page.goto("/")
    page.get_by_label("Search the archive").fill("grid")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/search\?q=grid"))
    assert "of 4 articles" in page.locator(".result-count").inner_text()

    # facet click: only 2025
    page.locator(".facets").get_by_role("link", name="2025").click()
    page.wait_for_url(re.compile(r"year=2025"))
    assert "of 3 articles" in page.locator(".result-count").inner_text()
    assert page.locator('.facets [aria-current="true"]').inner_text() == "2025"

    # numbered pagination (two per page here)
    page.get_by_role("navigation", name="Pages").get_by_role("link", name="Page 2").click()
    page.wait_for_url(re.compile(r"page=2"))
    assert page.locator('.pagination [aria-current="page"]').inner_text() == "2"
    assert page.locator(".result").count() == 1

    # article
    page.locator(".result h2 a").first.click()
    page.wait_for_url(re.compile(r"/articles/2025-"))
    title = page.locator("h1").inner_text()
    assert title

    # paragraph link: the ¶ control makes #p3 the target and the paragraph is marked
    page.locator('a.anchor[href="#p3"]').click()
    page.wait_for_url(re.compile(r"#p3$"))
    marked = page.locator("#p3").evaluate("el => getComputedStyle(el).backgroundColor")
    plain = page.locator("#p2").evaluate("el => getComputedStyle(el).backgroundColor")
    assert marked != plain

    # a shared paragraph link opens scrolled to the paragraph
    url = page.url
    page.goto("about:blank")
    page.goto(url)
    assert page.locator("#p3").evaluate("el => el.matches(':target')")
    assert page.locator("#p3").evaluate(
        "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight; }"
    )

    # speaker page, with its chart and feed link
    page.locator(".speaker-card h3 a").first.click()
    page.wait_for_url(re.compile(r"/speakers/"))
    assert page.locator("svg .bar").count() >= 1
    feed = page.locator("a.feed-link")
    href = feed.get_attribute("href")
    assert href.endswith("/feed")
    alternate = page.locator('link[rel="alternate"][type="application/atom+xml"]')
    assert alternate.get_attribute("href") == href
    response = page.request.get(base_url + href)
    assert response.ok and "<feed" in response.text()


def test_quote_link_marks_the_quote(page):
    page.goto("/search?q=biometric")
    page.locator(".result h2 a").first.click()
    first_quote = page.locator(".quotes li").first
    quote_id = first_quote.get_attribute("id")
    page.locator(f'a.anchor[href="#{quote_id}"]').click()
    assert first_quote.evaluate("el => el.matches(':target')")


def test_facet_filter_box_and_chart_links(page):
    page.goto("/themes/energy-environment")
    bars = page.locator("svg a")
    assert bars.count() >= 2
    bars.first.click()
    page.wait_for_url(re.compile(r"/search\?theme=energy-environment&year=\d{4}"))
    assert page.locator(".result").count() >= 1


def test_pages_work_without_javascript(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search?q=said")
    assert page.locator(".result").count() == 2
    page.get_by_role("link", name="Page 2").click()
    page.locator(".result h2 a").first.click()
    assert page.locator("a.anchor").count() >= 3
    context.close()


def test_related_articles_arrive_after_the_article(page):
    page.goto("/search?q=grid")
    page.locator(".result h2 a").first.click()
    page.wait_for_url(re.compile(r"/articles/"))
    section = page.locator("section[data-related]")
    section.locator("li a").first.wait_for()
    assert section.locator("li a").count() >= 1
    assert section.locator(".related-link").count() == 0
    assert section.get_attribute("aria-busy") is None
    section.locator("li a").first.click()
    page.wait_for_url(re.compile(r"/articles/[^/]+$"))


def test_related_articles_without_javascript_are_one_link_away(browser, base_url):
    context = browser.new_context(base_url=base_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/search?q=grid")
    page.locator(".result h2 a").first.click()
    title = page.locator("h1").inner_text()
    page.locator("section[data-related] .related-link a").click()
    page.wait_for_url(re.compile(r"/related$"))
    assert page.get_by_role("link", name=title).count() == 1
    assert page.locator(".related-found li a").count() >= 1
    context.close()
