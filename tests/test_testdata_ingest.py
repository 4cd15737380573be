"""Every shared test page and archive goes through ingestion without a crash:
each one becomes an article or is refused with a one-line reason."""

from datetime import UTC, datetime

import pytest

from app.cli import cli
from app.ingest.document import InputError, RawDocument
from app.ingest.extract.article import extract_article
from tests.conftest import REAL_PAGE_FOLDERS as FOLDERS
from tests.conftest import REAL_PAGES as TESTDATA

# Robustness over third-party pages only; the behaviours are tested on invented pages.
pytestmark = pytest.mark.real_pages


def test_every_shared_page_is_extracted_or_refused_with_a_reason():
    pages = sorted((TESTDATA / "html").glob("*.html")) + sorted(
        (TESTDATA / "html-more").glob("*.html")
    )
    refused = []
    for page in pages:
        raw = RawDocument(page.read_bytes(), str(page), "text/html", datetime.now(UTC))
        try:
            article = extract_article(raw)
        except InputError as error:
            refused.append(str(error))
            continue
        assert article.title and article.blocks, page.name
    assert all(reason and "\n" not in reason for reason in refused)
    assert len(refused) < len(pages) / 10


def test_ingesting_all_shared_testdata_crashes_on_nothing(runner, settings):
    result = runner.invoke(cli, ["ingest", *(str(TESTDATA / folder) for folder in FOLDERS)])
    assert "added" in result.output
    crashes = [line for line in result.output.splitlines() if "could not be processed" in line]
    assert crashes == []
