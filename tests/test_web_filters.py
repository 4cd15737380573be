"""The filters in force on /search and /quotes: removable chips and "clear all"."""

from __future__ import annotations

import re
from html import unescape

import pytest

from tests.conftest import FIXTURES


@pytest.fixture
def room(ingest):
    report = ingest(FIXTURES / "web")
    assert report.failed == 0, report.errors
    return report


def chips(html: str) -> list[tuple[str, str]]:
    found = re.findall(r'<li class="chip"><a href="([^"]+)"[^>]*>([^<]+)<', html)
    return [(unescape(label).strip(), unescape(url)) for url, label in found]


@pytest.mark.parametrize("base", ["/search", "/quotes"])
def test_filters_in_force_show_as_removable_chips(client, room, base):
    themes = client.get("/api/themes").json()["themes"]
    theme = themes[0]
    params = {"q": "grid", "theme": theme["slug"], "year": "2024", "from": "2024-01-01"}
    page = client.get(base, params=params).text
    shown = chips(page)
    assert [label for label, _ in shown] == [
        f"theme: {theme['name']}",
        "year: 2024",
        "date: from 2024-01-01",
    ]
    assert shown[1][1] == f"{base}?q=grid&theme={theme['slug']}&from=2024-01-01"
    assert f'class="clear-filters" href="{base}?q=grid"' in page
    # the hidden inputs that carry the filters into a new query agree with the chips
    assert f'<input type="hidden" name="theme" value="{theme["slug"]}">' in page
    assert '<input type="hidden" name="year" value="2024">' in page


def test_no_chips_without_filters(client, room):
    page = client.get("/search", params={"q": "grid"}).text
    assert 'class="active-filters"' not in page and "Clear all filters" not in page
