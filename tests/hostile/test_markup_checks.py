"""The checker itself: it must see each kind of surviving payload, or the suite proves nothing."""

import pytest

from tests.hostile.markup import html_problems, json_problems, url_problem, xml_problems


@pytest.mark.parametrize(
    "page",
    [
        "<p><script>xssprobe()</script></p>",
        '<img src="x" onerror="xssprobe()">',
        '<a href="javascript:xssprobe()">x</a>',
        '<a href=" JaVa&#x09;Script:xssprobe()">x</a>',
        '<a href="//evil.example/">x</a>',
        "<iframe src=/x></iframe>",
        "<xssprobe>",
        "<p>1323383</p>",
        '<meta http-equiv="refresh" content="0;url=/">',
        "<svg><style>x</style></svg>",
    ],
)
def test_each_kind_of_injection_is_seen(page):
    assert html_problems(page)


def test_the_sites_own_markup_passes():
    page = (
        '<script src="/static/app.js" defer></script>'
        '<script type="application/ld+json">{"a": 1}</script>'
        '<a href="/search?q=a">x</a><a href="https://example.org/">y</a>'
        "<p>&lt;script&gt;xssprobe()&lt;/script&gt;</p>"
    )
    assert html_problems(page) == []


def test_json_and_xml_urls_are_checked():
    assert json_problems({"hits": [{"url": "javascript:x"}]})
    assert json_problems({"snippet_html": "<img onerror=x>"})
    assert not json_problems({"url": "https://example.org/", "title": "<script>"})
    assert xml_problems('<feed><link href="javascript:x"/></feed>')
    assert xml_problems("<feed><unclosed></feed>")
    assert url_problem("data:text/html,x") and not url_problem("/articles/x")
