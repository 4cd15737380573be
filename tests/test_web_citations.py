"""Citation formats, tested without the app."""

import json
from datetime import UTC, date, datetime

from app.web.citations import CitedWork, bibtex, csl_json_text, plain, ris

WORK = CitedWork(
    slug="2025-02-12-levy-vote",
    title="Levy vote: {costs} & 50% of $ spent_now",
    author="Ada Quern",
    publisher="The Lantern",
    published=datetime(2025, 2, 12, tzinfo=UTC),
    original_url="https://lantern.example/levy",
    permalink="https://archive.example/articles/2025-02-12-levy-vote",
    accessed=date(2026, 1, 5),
)


def test_bibtex_escapes_specials_and_has_the_permalink():
    text = bibtex(WORK)
    assert text.startswith("@article{20250212levyvote,")
    assert r"\{costs\} \& 50\% of \$ spent\_now" in text
    assert "urldate = {2026-01-05}" in text and "year = {2025}" in text
    assert text.count("{") == text.count("}")


def test_ris_lines():
    lines = ris(WORK).split("\r\n")
    assert lines[0] == "TY  - NEWS"
    assert "AU  - Ada Quern" in lines and "DA  - 2025/02/12" in lines
    assert f"UR  - {WORK.permalink}" in lines and lines[-2] == "ER  - "


def test_csl_json():
    item = json.loads(csl_json_text(WORK))[0]
    assert item["type"] == "article-newspaper" and item["issued"] == {"date-parts": [[2025, 2, 12]]}
    assert item["accessed"] == {"date-parts": [[2026, 1, 5]]}


def test_plain_text_has_access_date_and_permalink():
    text = plain(WORK)
    assert text.startswith("Ada Quern (2025). “Levy vote:")
    assert "The Lantern, 12 February 2025." in text
    assert text.endswith(f"{WORK.permalink} (accessed 5 January 2026).")


def test_missing_fields_are_left_out():
    bare = CitedWork(
        "x", "T", None, None, None, None, "https://a.example/articles/x", date(2026, 1, 1)
    )
    assert "author" not in bibtex(bare) and "AU  -" not in ris(bare)
    assert plain(bare).startswith("Anonymous (n.d.). “T”.")
