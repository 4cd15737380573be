"""An index written before the search package existed still opens.

Whoosh keeps an index's schema pickled, its field classes by module path, and those
paths were `app.search_postings` and `app.search_pairs` before the move to
`app/search/whoosh_backend/`: such an archive failed to open with ModuleNotFoundError.
"""

import sys

from app.search.results import SearchParams
from app.search.whoosh_backend import pairs, postings
from app.search.whoosh_backend.archive_index import ArchiveIndex
from tests.test_index_generations import doc

OLD_PATHS = {
    postings.AnalysedText: "app.search_postings",
    postings.AnalysedKeyword: "app.search_postings",
    pairs.WordPairs: "app.search_pairs",
}


def newest_toc(folder, name: str) -> bytes:
    return max(folder.glob(f"index/*/_{name}_*.toc"), key=lambda p: p.stat().st_mtime).read_bytes()


def test_an_index_naming_the_old_module_paths_opens_and_is_written_anew(tmp_path, monkeypatch):
    # Written as the old version wrote it: the classes under their old paths.
    for field_class, old_path in OLD_PATHS.items():
        monkeypatch.setitem(sys.modules, old_path, sys.modules[field_class.__module__])
        monkeypatch.setattr(field_class, "__module__", old_path)
    written = ArchiveIndex(tmp_path / "index")
    written.index_articles([doc(1, "fisheries"), doc(2, "harbour")])
    written.close()
    monkeypatch.undo()
    for name in ("MAIN", "quotes"):  # as the version before the move wrote them
        assert b"app.search_postings" in newest_toc(tmp_path, name)

    reopened = ArchiveIndex(tmp_path / "index")
    assert reopened.schema_is_current()
    hits = reopened.search(SearchParams(q="fisheries"), lambda ids: {}).hits
    assert [hit.article_id for hit in hits] == [1]
    reopened.index_articles([doc(3, "fisheries")])
    assert reopened.document_count() == 3
    reopened.close()
    for name in ("MAIN", "quotes"):  # its next commit names the current paths
        toc = newest_toc(tmp_path, name)
        assert b"app.search_postings" not in toc and b"app.search_pairs" not in toc
        assert b"app.search.whoosh_backend.postings" in toc


def test_an_index_naming_a_class_that_is_gone_is_rebuilt_from_the_database(
    settings, runner, tmp_path, monkeypatch
):
    from app.cli import cli

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text(
        "Ferry fares frozen\n\nThe harbour board froze ferry fares for the winter.\n"
    )
    assert runner.invoke(cli, ["ingest", "-q", str(tmp_path / "in")]).exit_code == 0
    with monkeypatch.context() as gone:  # a commit by a version whose class moved since
        gone.setitem(sys.modules, "app.gone", postings)
        gone.setattr(postings.AnalysedText, "__module__", "app.gone")
        written = ArchiveIndex(settings.index_dir)
        written.index_articles([doc(99, "fisheries")])
        written.close()
    assert not ArchiveIndex(settings.index_dir).schema_is_current()

    (tmp_path / "in" / "b.txt").write_text(
        "Ferry timetable cut\n\nThe ferry will sail twice a day from March.\n"
    )
    result = runner.invoke(cli, ["ingest", "-q", str(tmp_path / "in")])
    assert result.exit_code == 0, result.output
    assert "rebuilding" in result.output
    rebuilt = ArchiveIndex(settings.index_dir)
    assert rebuilt.schema_is_current()
    hits = rebuilt.search(SearchParams(q="ferry"), lambda ids: {}).hits
    assert len(hits) == 2  # both articles of the database
    rebuilt.close()
