"""Quotes in a real browser: search what was said, facet by speaker, land on the passage;
a speaker page filtered by theme whose chart agrees with its count; all of it without JS."""

from __future__ import annotations

import re

import pytest

from tests.browser.server import build_archive, live_server
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

IN_VIEW = "el => { const r = el.getBoundingClientRect(); return r.top >= 0 && r.top < innerHeight }"


@pytest.fixture(scope="module")
def quotes_url(tmp_path_factory):
    settings = build_archive(tmp_path_factory.mktemp("quotes-archive"), [FIXTURES / "quotes"])
    with live_server(settings) as url:
        yield url


@pytest.fixture
def quotes_page(browser, quotes_url):
    context = browser.new_context(base_url=quotes_url, viewport={"width": 1280, "height": 700})
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    yield page
    context.close()
    assert errors == [], errors


def test_quote_search_with_speaker_facet_lands_on_the_marked_quote(quotes_page):
    page = quotes_page
    page.goto("/quotes")
    page.get_by_label("Search what people said").fill("grid")
    page.get_by_role("button", name="Search").click()
    page.wait_for_url(re.compile(r"/quotes\?q=grid"))
    facet = page.locator(".facets li", has_text="Benedikt Amsel")
    count = int(facet.locator(".count").inner_text())
    facet.get_by_role("link").click()
    page.wait_for_url(re.compile(r"speaker=benedikt-amsel"))
    hits = page.locator(".quote-hit")
    assert hits.count() == count == 2
    assert f"of {count} quotes" in page.locator(".result-count").inner_text()
    assert all("Benedikt Amsel" in hits.nth(i).inner_text() for i in range(count))

    quote_text = hits.first.locator(".speech").inner_text()
    hits.first.locator("a.quote-permalink").click()
    page.wait_for_url(re.compile(r"/articles/[\w-]+\?q=grid#q\d+$"))
    anchor = page.url.rsplit("#", 1)[1]
    target = page.locator(f"#{anchor}")
    assert target.evaluate("el => el.matches(':target')")
    assert target.evaluate(IN_VIEW)
    assert target.locator("mark").first.inner_text().lower() == "grid"
    assert quote_text.split("”")[0][-20:] in target.inner_text()
    marked = target.evaluate("el => getComputedStyle(el).backgroundColor")
    assert marked not in ("rgba(0, 0, 0, 0)", "transparent")
    # the words are marked in the article's text too
    assert page.locator(".article-body mark").count() >= 1


def test_article_hit_opens_at_its_best_passage(quotes_page):
    page = quotes_page
    page.goto("/search?q=wage")
    page.locator(".result h2 a").first.click()
    page.wait_for_url(re.compile(r"\?q=wage#p4$"))
    assert page.locator("#p4").evaluate(IN_VIEW)
    assert page.locator("#p4 mark").inner_text() == "wage"


def test_article_opened_with_q_but_no_anchor_scrolls_to_the_first_match(browser, quotes_url):
    context = browser.new_context(base_url=quotes_url, viewport={"width": 390, "height": 500})
    page = context.new_page()
    page.goto("/search?q=wage")
    href = page.locator(".result h2 a").first.get_attribute("href").split("#")[0]
    page.goto(href)
    page.wait_for_function("() => scrollY > 0")
    assert page.locator("#p4").evaluate(IN_VIEW)
    context.close()


def test_speaker_page_filtered_by_theme_shows_only_those_quotes_and_its_chart_agrees(
    quotes_page,
):
    page = quotes_page
    page.goto("/speakers/odile-varga")
    assert page.locator(".quote-hit").count() == 5
    facet = page.locator(".facets li", has_text="Education and skills")
    count = int(facet.locator(".count").inner_text())
    facet.get_by_role("link").click()
    page.wait_for_url(re.compile(r"/speakers/odile-varga\?theme=education-skills"))
    assert page.locator(".quote-hit").count() == count == 3
    assert "Renters have paid" not in page.locator(".quote-results").inner_text()
    bars = page.locator("svg text.value")
    assert sum(int(bars.nth(i).text_content()) for i in range(bars.count())) == count
    assert f": {count} quotes" in page.locator("svg title#chart-title").text_content()
    # a bar narrows the page to its span (months here: all three are from 2024), keeping
    # the theme; its count is the page's count
    first_bar = page.locator("svg a").first
    # the link's name says its count ("2024-03: 2 quotes"); the drawn number is beside it
    bar_count = int(first_bar.get_attribute("aria-label").split(": ")[1].split()[0])
    first_bar.click()
    page.wait_for_url(re.compile(r"theme=education-skills&from=2024-\d\d-01&to=2024-"))
    assert page.locator(".quote-hit").count() == bar_count


def test_quotes_work_without_javascript(browser, quotes_url):
    context = browser.new_context(base_url=quotes_url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/quotes?q=substation")
    page.locator(".facets li", has_text="Direct quote").get_by_role("link").click()
    page.wait_for_url(re.compile(r"kind=direct"))
    assert page.locator(".quote-hit blockquote.speech.direct").count() == 2
    assert page.locator(".quote-hit .speech.reported").count() == 0
    page.locator("a.quote-permalink").first.click()
    anchor = page.url.rsplit("#", 1)[1]
    assert page.locator(f"#{anchor}").evaluate("el => el.matches(':target')")
    assert page.locator(f"#{anchor} mark").count() == 1
    page.goto("/speakers/benedikt-amsel")
    page.get_by_label("Search what Benedikt Amsel said").fill("student")
    page.get_by_role("button", name="Search quotes").click()
    assert page.locator(".quote-hit").count() == 2
    context.close()
