"""Pure URL helpers for the search page, tested without the app."""

from datetime import UTC, datetime

from app.search.results import SearchParams
from app.web.params import facet_values, feed_url, filter_removals, page_links, search_url


def test_removals_drop_exactly_one_filter_each():
    params = SearchParams(
        q="grid",
        speakers=["a", "b"],
        years=["2024"],
        date_from=datetime(2024, 1, 1, tzinfo=UTC),
        page=3,
    )
    removals = filter_removals(params, {"speakers": {"a": "Ann A"}})
    assert [r.label for r in removals] == [
        "speaker: Ann A",
        "speaker: b",
        "year: 2024",
        "the date range",
    ]
    assert search_url(removals[0].params) == "/search?q=grid&speaker=b&year=2024&from=2024-01-01"
    assert all(r.params.page == 1 for r in removals)


def test_facet_links_add_and_remove():
    params = SearchParams(q="x", themes=["t1"])
    values = facet_values(params, "themes", [("t2", 5), ("t1", 2)], {"t1": "One", "t2": "Two"})
    assert [(v.label, v.selected, v.url) for v in values] == [
        ("One", True, "/search?q=x"),
        ("Two", False, "/search?q=x&theme=t1&theme=t2"),
    ]


def test_feed_url_and_page_links():
    params = SearchParams(q="x", sort="oldest", page=5)
    assert feed_url(params) == "/search.atom?q=x"
    links = page_links(params, 9)
    assert [link.number if link else None for link in links] == [1, None, 3, 4, 5, 6, 7, None, 9]
    assert links[4].current and links[4].url == "/search?q=x&sort=oldest&page=5"


def test_year_facet_values_read_as_a_timeline():
    from app.search.results import SearchParams
    from app.web.results import shown_counts

    counts = [("2023", 9), ("2025", 4), ("2024", 2)]
    assert [v for v, _ in shown_counts(SearchParams(), "years", counts, None)] == [
        "2025",
        "2024",
        "2023",
    ]
    assert shown_counts(SearchParams(), "themes", counts, None) == counts


def test_active_filters_each_remove_one_and_clear_all_keeps_the_words():
    from app.web.params import active_filters

    params = SearchParams(
        q="grid",
        speakers=["odile-varga"],
        years=["2024"],
        date_from=datetime(2024, 1, 1, tzinfo=UTC),
        sort="newest",
    )
    chips, clear = active_filters(params, {"speakers": {"odile-varga": "Odile Varga"}}, "/quotes")
    assert [chip.label for chip in chips] == [
        "speaker: Odile Varga",
        "year: 2024",
        "date: from 2024-01-01",
    ]
    assert chips[0].url == "/quotes?q=grid&year=2024&from=2024-01-01&sort=newest"
    assert clear == "/quotes?q=grid&sort=newest"
    assert active_filters(SearchParams(q="grid"), {}) == ([], None)
