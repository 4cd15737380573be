"""Facet values per document are read a segment at a time and kept per segment, so the
first search after a commit reads only the new segment's."""

from __future__ import annotations

from dataclasses import replace

from app.search.results import SearchParams
from app.search.whoosh_backend import archive_index as search
from app.search.whoosh_backend.archive_index import ArchiveIndex
from tests.test_index_generations import doc


def themed(first: int, count: int, theme: str):
    return [
        replace(doc(n, "fisheries"), theme_slugs=[theme], theme_names=[theme])
        for n in range(first, first + count)
    ]


def theme_counts(archive_index: ArchiveIndex) -> dict[str, int]:
    results = archive_index.search(SearchParams(q="fisheries"), lambda ids: {})
    return dict(results.facets["themes"])


def test_a_commit_reads_the_facet_values_of_its_new_segment_only(tmp_path, monkeypatch):
    read = []
    segment_values = search._segment_values

    def counted(reader, fieldnames):
        read.append(reader.segment().segment_id())
        return segment_values(reader, fieldnames)

    monkeypatch.setattr(search, "_segment_values", counted)
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles(themed(1, 30, "ports"))
    assert theme_counts(archive_index) == {"ports": 30}
    assert len(read) == 1
    archive_index.index_articles(themed(31, 20, "taxes"))
    assert theme_counts(archive_index) == {"ports": 30, "taxes": 20}
    assert len(read) == 2 and read[0] != read[1]  # the first segment's values were kept
    # A re-indexed article leaves a deleted document in the old segment: not counted.
    archive_index.index_articles(themed(5, 1, "taxes"), replace=[5])
    assert theme_counts(archive_index) == {"ports": 29, "taxes": 21}
    assert len(read) == 3
    archive_index.close()


def test_a_server_process_reads_the_facet_values_before_its_first_request(settings):
    from fastapi.testclient import TestClient

    from app.main import create_app

    ArchiveIndex(settings.index_dir).index_articles(themed(1, 3, "ports"))
    app = create_app(settings)
    assert app.state.index._facet_values is None
    with TestClient(app):
        assert app.state.index._facet_values["themes"] == [("ports",)] * 3
        assert app.state.index._quote_facet_values is not None


def test_what_a_server_process_reads_at_start_is_kept_from_the_garbage_collector(settings):
    import gc

    from fastapi.testclient import TestClient

    from app.main import create_app

    ArchiveIndex(settings.index_dir).index_articles(themed(1, 3, "ports"))
    app = create_app(settings)
    gc.unfreeze()
    try:
        with TestClient(app):
            values = app.state.index._facet_values
            assert gc.is_tracked(values)
            assert all(tracked is not values for tracked in gc.get_objects())  # frozen
    finally:
        gc.unfreeze()
