"""A feed opened in the real Chromium reads as a page that says how to subscribe."""

from __future__ import annotations


def test_feed_opened_in_the_browser_explains_itself(page):
    response = page.goto("/search.atom?q=grid")
    assert response.status == 200
    # Chromium shows application/atom+xml as plain text, so browsers get application/xml
    assert response.headers["content-type"].startswith("application/xml")
    about = page.locator("#feed-about")
    assert about.is_visible()  # static/feed.xsl applied: this Chromium still runs XSLT
    assert "Atom feed" in about.inner_text() and "subscribe" in about.inner_text()
    assert page.locator("li.result h2 a").count() >= 1


def test_feed_styles_itself_where_xslt_is_gone(page):
    def without_xslt(route):
        response = route.fetch()
        body = response.body().replace(b'type="text/xsl"', b'type="text/x-removed"')
        route.fulfill(response=response, body=body)

    page.route("**/quotes.atom*", without_xslt)
    page.goto("/quotes.atom")
    explanation = page.evaluate("getComputedStyle(document.documentElement, '::before').content")
    assert "This is an Atom feed" in explanation and "subscribe" in explanation
