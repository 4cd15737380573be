"""Pages and API over a small archive: search, filters, article page, escaping, errors."""

import re

import pytest

from tests.conftest import FIXTURES

HOSTILE = """---
title: "<script>alert('title')</script> & rules"
publisher: "<b>Evil</b> Press"
---
<script>alert('title')</script> & rules

The regulator said the <img src=x onerror=alert(1)> plan on algorithmic transparency would need
more work, and that transparency was not optional for hiring algorithms or their audits.

"We will not accept <script>alert('quote')</script> as an answer on transparency," said
Marta Quill, head of policy at the Open Ledger Foundation.
"""


@pytest.fixture
def archive(tmp_path, ingest):
    (tmp_path / "wire.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    (tmp_path / "hostile.md").write_text(HOSTILE)
    report = ingest(tmp_path)
    assert report.failed == 0, report.errors
    return report


def test_home_lists_latest_articles(client, archive):
    page = client.get("/")
    assert page.status_code == 200
    assert "Ministers weigh new rules for automated hiring tools" in page.text


def test_search_highlights_matched_words(client, archive):
    page = client.get("/search", params={"q": "consultation"})
    assert page.status_code == 200
    assert "<mark" in page.text and "consultation</mark>" in page.text


def test_search_stems_words(client, archive):
    data = client.get("/api/search", params={"q": "explain"}).json()
    assert data["total"] >= 1  # the text says "explain", stemming must also match "explains"
    data = client.get("/api/search", params={"q": "consultations"}).json()
    assert data["total"] == 1


def test_filter_by_speaker_through_query_parameter(client, archive):
    speakers = client.get("/api/speakers").json()["speakers"]
    slug = next(s["slug"] for s in speakers if s["name"] == "Priya Raman")
    data = client.get("/api/search", params={"speaker": slug}).json()
    assert [hit["title"] for hit in data["hits"]] == [
        "Ministers weigh new rules for automated hiring tools"
    ]
    page = client.get("/search", params={"q": "rules", "speaker": slug})
    assert 'aria-current="true"' in page.text  # the chosen facet value is marked


def test_article_page_shows_metadata_speakers_and_text(client, archive):
    slug = next(s for s in archive.slugs if "hiring" in s)
    page = client.get(f"/articles/{slug}")
    assert page.status_code == 200
    assert "Dana Whitlock" in page.text
    assert "3 March 2025" in page.text
    assert "Northwind News" in page.text
    assert "Priya Raman" in page.text and "director of digital policy" in page.text
    body = page.text.split('<div class="article-body">')[1].split("</div>")[0]
    assert body.count("Ministers are weighing new rules") == 1  # the repeated lead is gone


def test_markup_in_articles_is_shown_as_text_everywhere(client, archive):
    slug = next(s for s in archive.slugs if "script" in s or "alert" in s or "rules" in s)
    pages = [
        client.get("/").text,
        client.get(f"/articles/{slug}").text,
        client.get("/search", params={"q": "transparency"}).text,
        client.get("/search", params={"q": "<script>alert(1)</script>"}).text,
    ]
    for text in pages:
        assert "<script>alert(" not in text
        assert "<img src=x" not in text
        assert "<b>Evil</b>" not in text
    assert "&lt;script&gt;alert(" in pages[1]


@pytest.mark.parametrize(
    "params",
    [
        {"q": '"unclosed phrase'},
        {"q": "nosuchfield:word"},
        {"q": "*"},
        {"q": "x" * 600},
        {"q": "rules", "from": "yesterday"},
        {"q": "rules", "sort": "sideways"},
        {"q": "rules", "page": "-3"},
    ],
)
def test_bad_query_gets_a_message_not_a_500(client, archive, params):
    page = client.get("/search", params=params)
    assert page.status_code == 400
    assert 'role="alert"' in page.text
    assert client.get("/api/search", params=params).status_code == 400


def test_unknown_slug_is_a_friendly_404(client, archive):
    page = client.get("/articles/2020-01-01-no-such-thing")
    assert page.status_code == 404
    assert "No article has the address" in page.text


def test_security_headers_on_every_response(client, archive):
    for path in ("/", "/search?q=rules", "/api/themes", "/no-such-page"):
        headers = client.get(path).headers
        assert "script-src 'self'" in headers["content-security-policy"]
        assert headers["x-content-type-options"] == "nosniff"
        assert headers["referrer-policy"]


def test_public_server_has_no_write_endpoints(client):
    for route in client.app.routes:
        methods = getattr(route, "methods", set()) or set()
        assert not methods & {"POST", "PUT", "PATCH", "DELETE"}, route.path


def test_snippets_are_short_extracts_not_whole_paragraphs(client, tmp_path, ingest):
    sentence = "The audit rules on transparency would change how the agency reports. "
    (tmp_path / "long.txt").write_text("Audit rules\n\n" + sentence * 40 + "\n\n" + sentence * 40)
    assert ingest(tmp_path).added == 1
    hit = client.get("/api/search", params={"q": "transparency"}).json()["hits"][0]
    text = hit["snippet_html"].replace('<mark class="match term0">', "").replace("</mark>", "")
    assert "transparency" in text
    assert len(text) <= 600


def test_pages_see_new_articles_and_speakers_without_restart(client, archive, tmp_path, ingest):
    assert "Omar Feld" not in client.get("/").text
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "late.txt").write_text(
        "Late budget news\n\n“The reserves are empty,” said Omar Feld, treasurer of the city.\n"
    )
    assert ingest(tmp_path / "new").added == 1
    home = client.get("/").text
    assert "Late budget news" in home and "Omar Feld" in home
    assert "Omar Feld" in client.get("/speakers").text


def test_related_articles_share_distinctive_words(client, tmp_path, ingest):
    topic = "desalination plant brine outfall aquifer"
    for name, words in [("a", topic), ("b", topic), ("c", "orchestra concert violin sonata")]:
        text = f"{words} " * 30
        (tmp_path / f"{name}.txt").write_text(f"Story {name}\n\n{text}\n\n{text}\n")
    slugs = ingest(tmp_path).slugs
    page = client.get(f"/articles/{slugs[0]}/related").text
    assert f"/articles/{slugs[1]}" in page
    assert f"/articles/{slugs[2]}" not in page
    article_page = client.get(f"/articles/{slugs[0]}").text
    assert re.search(f'data-related="[^"]*/articles/{slugs[0]}/related"', article_page)


def test_an_article_page_does_not_read_the_related_articles(client, archive, monkeypatch):
    # They are the slow part of a first view (the index on disk): the page links to them
    # and its script fetches them after.
    from app.search.whoosh_backend.archive_index import ArchiveIndex

    def refuse(*args, **kwargs):
        raise AssertionError("the article page asked for related articles")

    slug = client.get("/api/articles?limit=1").json()["articles"][0]["slug"]
    monkeypatch.setattr(ArchiveIndex, "more_like_this", refuse)
    response = client.get(f"/articles/{slug}")
    assert response.status_code == 200
    assert f'/articles/{slug}/related"' in response.text


def test_page_templates_are_compiled_before_the_first_reader_arrives(client, archive):
    # Compiling the article page's template took 40-70 ms, paid by the first reader of
    # each kind of page in each worker process.
    environment = client.app.state.templates.env
    compiled: list[str] = []
    read_source = environment.loader.get_source

    def counting(env, name):
        compiled.append(name)
        return read_source(env, name)

    environment.loader.get_source = counting
    slug = client.get("/api/articles?limit=1").json()["articles"][0]["slug"]
    for path in ("/", f"/articles/{slug}", f"/articles/{slug}/related", "/search?q=rules"):
        assert client.get(path).status_code == 200
    assert client.get("/quotes?q=rules").status_code == 200
    assert client.get("/no-such-page").status_code == 404
    assert compiled == []


def test_article_page_lists_its_originals_without_loading_their_bytes(client, archive, engine):
    from sqlmodel import Session

    from app import queries

    slug = client.get("/api/articles?limit=1").json()["articles"][0]["slug"]
    with Session(engine) as session:
        article, _ = queries.get_article_by_slug(session, slug=slug)
        snapshots = queries.list_snapshots(session, article_id=article.id)
        assert snapshots and snapshots[0].size > 0
        with pytest.raises(Exception, match="raiseload|not available"):
            snapshots[0].data  # noqa: B018 - reading it is the test
    size = f"{snapshots[0].size:,} bytes"
    assert size in client.get(f"/articles/{slug}").text


def test_template_files_are_read_again_only_by_a_reloading_server(
    settings, archive, tmp_path, monkeypatch
):
    # Asking whether each template file changed cost every page a stat per template:
    # only `serve --reload` (ARCHIVE_RELOAD_TEMPLATES) does it.
    import os
    import shutil

    from fastapi.testclient import TestClient

    import app.web.templating as templating
    from app.main import create_app

    original = templating.PROJECT_ROOT / "templates"
    for reload in (False, True):
        root = tmp_path / f"reload-{reload}"
        shutil.copytree(original, root / "templates")
        monkeypatch.setattr(templating, "PROJECT_ROOT", root)
        settings.reload_templates = reload
        with TestClient(create_app(settings)) as client:
            assert "Edited heading" not in client.get("/").text
            home = root / "templates" / "home.html"
            text = home.read_text()
            assert "<h1" in text
            home.write_text(text.replace("<h1", "<p>Edited heading</p><h1", 1))
            later = home.stat().st_mtime + 10
            os.utime(home, (later, later))
            assert ("Edited heading" in client.get("/").text) is reload


def test_article_page_imports_the_speech_macros_once_not_once_per_quote(client, archive):
    # An include per quote imported `_speech.html` again, with the page's whole context,
    # for every quote of every speaker card.
    from sqlmodel import Session, func, select

    from app.models import Article, Quote

    with Session(client.app.state.engine) as session:
        slug, quotes = session.exec(
            select(Article.slug, func.count(Quote.id))
            .join(Quote, Quote.article_id == Article.id)
            .where(Quote.speaker_id.is_not(None))
            .group_by(Article.id)
            .order_by(func.count(Quote.id).desc())
        ).first()
    assert quotes >= 2
    environment = client.app.state.templates.env
    asked: list[str] = []
    get_template = environment.get_template

    def counting(name, *args, **kwargs):
        asked.append(name)
        return get_template(name, *args, **kwargs)

    environment.get_template = counting
    page = client.get(f"/articles/{slug}")
    assert page.status_code == 200 and page.text.count('class="quote ') >= quotes
    assert asked.count("_speech.html") <= 2  # the page's import and `_quote.html`'s


def test_related_page_names_an_unknown_article_and_is_not_for_search_engines(client, archive):
    unknown = client.get("/articles/no-such-article/related")
    assert unknown.status_code == 404 and "no-such-article" in unknown.text
    slug = client.get("/api/articles?limit=1").json()["articles"][0]["slug"]
    page = client.get(f"/articles/{slug}/related")
    assert page.status_code == 200 and 'name="robots" content="noindex"' in page.text


def test_search_totals_and_facets_follow_new_articles(client, archive, tmp_path, ingest):
    before = client.get("/api/search", params={"q": "rules"}).json()
    again = client.get("/api/search", params={"q": "rules", "sort": "newest"}).json()
    assert again["total"] == before["total"]

    def counts(data):  # each value's `url` keeps the sort, so leave it out
        return {
            name: [(value["value"], value["count"]) for value in values]
            for name, values in data["facets"].items()
        }

    assert counts(again) == counts(before)
    (tmp_path / "more").mkdir()
    (tmp_path / "more" / "extra.txt").write_text(
        "More rules for ports\n\nThe new rules cover cranes, said Ada Moss, harbour master.\n"
    )
    assert ingest(tmp_path / "more").added == 1
    after = client.get("/api/search", params={"q": "rules"}).json()
    assert after["total"] == before["total"] + 1
    speakers = {value["label"] for value in after["facets"]["speakers"]}
    assert "Ada Moss" in speakers


def test_no_page_reveals_where_the_server_keeps_its_files(client, archive, tmp_path):
    """The provenance panel names an original's file, never the server's folders."""
    slugs = [a["slug"] for a in client.get("/api/articles").json()["articles"]]
    paths = ["/", "/search?q=rules", "/api/search?q=rules", "/api/articles", "/speakers"]
    paths += [f"/articles/{slug}" for slug in slugs] + [f"/api/articles/{slug}" for slug in slugs]
    paths += ["/quotes?q=transparency", "/api/quotes?q=transparency", "/search.csv?q=rules"]
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200, path
        assert str(tmp_path) not in response.text, path
    article = client.get(f"/articles/{slugs[0]}").text
    assert "wire.txt" in article or "hostile.md" in article


def test_public_origins_keep_names_and_addresses_only():
    from app.web.templating import public_origin

    assert public_origin("/srv/archive/in/2025/a.txt") == "a.txt"
    assert public_origin("https://example.org/a?b=1") == "https://example.org/a?b=1"
    assert public_origin("/srv/in/feed.xml#https://example.org/x") == (
        "feed.xml → https://example.org/x"
    )
    assert public_origin("-") == "standard input"


def test_the_openapi_document_declares_the_search_parameters(client):
    paths = client.get("/openapi.json").json()["paths"]
    declared = {p["name"] for p in paths["/api/search"]["get"]["parameters"]}
    assert {"q", "speaker", "theme", "source", "year", "from", "to", "sort", "page"} <= declared
    assert "kind" in {p["name"] for p in paths["/api/quotes"]["get"]["parameters"]}
    assert "/search" not in paths  # HTML pages are not part of the API document


def test_the_openapi_document_describes_what_search_and_quotes_return(client):
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]

    def properties(path: str) -> dict:
        ref = document["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]
        return schemas[ref["schema"]["$ref"].rsplit("/", 1)[1]]["properties"]

    search = properties("/api/search")
    assert {"total", "pages", "hits", "facets", "facet_totals", "suggestion"} <= set(search)
    hit = schemas[search["hits"]["items"]["$ref"].rsplit("/", 1)[1]]["properties"]
    assert {"slug", "title", "permalink", "snippet_html", "paragraph", "passage"} <= set(hit)
    quotes = properties("/api/quotes")
    quote = schemas[quotes["hits"]["items"]["$ref"].rsplit("/", 1)[1]]["properties"]
    assert quote["kind"]["enum"] == ["direct", "reported"]
    assert {"speaker", "role", "permalink", "article", "snippet_html"} <= set(quote)
