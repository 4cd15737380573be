"""canonical_url: links to the same page compare equal, different pages stay different."""

import pytest

from app.ingest.sources.canonical import canonical_url


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("HTTP://Example.COM/Path", "http://example.com/Path"),
        ("https://example.com:443/a", "https://example.com/a"),
        ("http://example.com:80/a", "http://example.com/a"),
        ("https://example.com:8443/a", "https://example.com:8443/a"),
        ("https://example.com/a#section-2", "https://example.com/a"),
        ("https://example.com/a/", "https://example.com/a"),
        ("https://example.com", "https://example.com/"),
        ("https://example.com/", "https://example.com/"),
        ("https://example.com//a//b/", "https://example.com/a/b"),
        ("https://user:pw@example.com/a", "https://example.com/a"),
        ("https://example.com./a", "https://example.com/a"),
        ("https://example.com/fr%c3%bch", "https://example.com/fr%C3%BCh"),
        ("https://example.com/a%2Fb", "https://example.com/a%2Fb"),
        ("https://bücher.de/x", "https://xn--bcher-kva.de/x"),
        ("  https://example.com/a  ", "https://example.com/a"),
    ],
)
def test_canonical_url_normalises_scheme_host_port_path(url, expected):
    assert canonical_url(url) == expected


def test_tracking_params_are_dropped_and_the_rest_sorted():
    url = (
        "https://example.com/story?utm_source=tw&utm_medium=social&b=2&fbclid=XYZ"
        "&a=1&gclid=1&mc_cid=2&mc_eid=3&ref=home&cmpid=rss&UTM_Campaign=x"
    )
    assert canonical_url(url) == "https://example.com/story?a=1&b=2"


def test_only_tracking_params_leaves_no_question_mark():
    assert canonical_url("https://example.com/a/?utm_source=x") == "https://example.com/a"


def test_meaningful_params_and_blank_values_are_kept():
    assert canonical_url("https://example.com/s?q=climate+policy&page=2&empty=") == (
        "https://example.com/s?empty=&page=2&q=climate%20policy"
    )


def test_variants_of_one_page_collapse_to_one_url():
    variants = [
        "https://www.dw.com/en/story/a-52060881",
        "https://WWW.DW.COM:443/en/story/a-52060881/",
        "https://www.dw.com/en/story/a-52060881?utm_source=rss#comments",
    ]
    assert len({canonical_url(v) for v in variants}) == 1


def test_different_hosts_and_paths_stay_different():
    assert canonical_url("https://www.example.com/a") != canonical_url("https://example.com/a")
    assert canonical_url("http://example.com/a") != canonical_url("https://example.com/a")


@pytest.mark.parametrize("url", ["mailto:someone@example.com", "not a url", "ftp://example.com/x"])
def test_non_http_urls_come_back_unchanged(url):
    assert canonical_url(url) == url


def test_canonical_url_is_idempotent():
    url = "HTTPS://Example.com:443/a b/?z=1&utm_term=q&a=%C3%A9#x"
    once = canonical_url(url)
    assert canonical_url(once) == once
