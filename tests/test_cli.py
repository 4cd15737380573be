"""The policy-archive command: every command documented, ingest exit status and summary."""

import shutil

from app.cli import cli
from tests.conftest import FIXTURES


def test_every_command_has_help_text(runner):
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    for command in cli.registered_commands:
        assert command.callback.__doc__, f"{command.callback.__name__} has no docstring"
        name = command.name or command.callback.__name__
        assert name in result.output


def test_ingest_prints_summary_and_fails_on_bad_input(runner, settings, tmp_path):
    (tmp_path / "good.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    (tmp_path / "bad.txt").write_bytes(b"\x00" * 64)
    result = runner.invoke(cli, ["ingest", "--quiet", str(tmp_path)])
    assert result.exit_code == 1
    assert "bad.txt: binary content" in result.output
    assert "added 1, updated 0, unchanged 0, failed 1" in result.output


def test_ingest_if_empty_skips_a_filled_archive(runner, settings, tmp_path):
    (tmp_path / "good.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    assert runner.invoke(cli, ["ingest", "-q", str(tmp_path)]).exit_code == 0
    result = runner.invoke(cli, ["ingest", "-q", "--if-empty", str(tmp_path)])
    assert "already has articles" in result.output


def test_reindex_rebuilds_identical_search_results(runner, settings, tmp_path, archive_index):
    from app.search.results import SearchParams

    (tmp_path / "good.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    runner.invoke(cli, ["ingest", "-q", str(tmp_path)])

    def ids():
        results = archive_index.search(SearchParams(q="transparency hiring"), lambda ids: {})
        return [hit.article_id for hit in results.hits], results.facets

    before = ids()
    archive_index.close()
    result = runner.invoke(cli, ["reindex"])
    assert result.exit_code == 0 and "Indexed 1 articles" in result.output
    assert ids() == before


def test_an_index_with_an_old_schema_is_rebuilt(runner, settings, tmp_path):
    from whoosh.fields import ID, Schema
    from whoosh.index import create_in

    from app.search.whoosh_backend.archive_index import ArchiveIndex

    (tmp_path / "good.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    runner.invoke(cli, ["ingest", "-q", str(tmp_path)])
    # An archive from before generation folders: an old schema straight in the index folder.
    shutil.rmtree(settings.index_dir)
    settings.index_dir.mkdir()
    create_in(str(settings.index_dir), Schema(id=ID(stored=True)))
    old = ArchiveIndex(settings.index_dir)
    assert not old.schema_is_current()
    old.close()
    result = runner.invoke(cli, ["stats"])
    assert "rebuilding" in result.output
    archive_index = ArchiveIndex(settings.index_dir)
    assert archive_index.schema_is_current() and archive_index.document_count() == 1
    archive_index.close()
    # The flat layout's files went with the switch.
    assert not list(settings.index_dir.glob("*MAIN*"))


def test_ingest_reads_standard_input(runner, settings):
    text = (FIXTURES / "articles" / "wire-report.txt").read_text()
    result = runner.invoke(cli, ["ingest", "-q", "-"], input=text)
    assert result.exit_code == 0, result.output
    assert "added 1" in result.output


def test_ingest_url_list_reports_unreachable_urls(runner, settings, tmp_path):
    urls = tmp_path / "urls.txt"
    urls.write_text("# one per line\n\nhttp://127.0.0.1:9/nothing-listens-here\n")
    result = runner.invoke(cli, ["ingest", "-q", "--urls", str(urls)])
    assert result.exit_code == 1
    assert "http://127.0.0.1:9/nothing-listens-here" in result.output
    assert "failed 1" in result.output


def test_ingest_without_sources_explains_what_to_give(runner, settings):
    result = runner.invoke(cli, ["ingest"])
    assert result.exit_code != 0
    assert "give at least one file" in result.output


def test_serve_points_permalinks_at_its_own_port(runner, settings, monkeypatch):
    from app.config import Settings
    from app.web import serving
    from app.web.links import article_link

    for name in ("ARCHIVE_SITE_URL", "ARCHIVE_SERVE_HOST"):
        monkeypatch.setenv(name, "")  # recorded, so what `serve` sets is undone afterwards
        monkeypatch.delenv(name)
    served = []
    monkeypatch.setattr(serving, "run", lambda *args: served.append(args))
    result = runner.invoke(cli, ["serve", "--port", "8822"])
    assert result.exit_code == 0, result.output
    assert served and served[0][1] == 8822
    assert article_link(Settings(), "a-slug") == "http://127.0.0.1:8822/articles/a-slug"


def test_an_explicit_site_url_wins_over_the_served_address(runner, settings, monkeypatch):
    from app.config import Settings
    from app.web import serving

    monkeypatch.setenv("ARCHIVE_SITE_URL", "https://archive.example.org")
    monkeypatch.setenv("ARCHIVE_SERVE_HOST", "")
    monkeypatch.delenv("ARCHIVE_SERVE_HOST")
    monkeypatch.setattr(serving, "run", lambda *args: None)
    assert runner.invoke(cli, ["serve", "--host", "0.0.0.0", "--port", "9000"]).exit_code == 0
    assert Settings().site_url == "https://archive.example.org"
    assert "0.0.0.0" not in Settings().trusted_hosts()


def test_the_served_address_of_every_interface_is_loopback():
    from app.cli import served_site_url

    assert served_site_url("0.0.0.0", 9000) == "http://127.0.0.1:9000"
    assert served_site_url("::1", 9000) == "http://[::1]:9000"
    assert served_site_url("archive.local", 80) == "http://archive.local:80"


def test_ingest_warns_of_an_article_kept_without_speakers_and_reextract_failed_retries_it(
    runner, settings, tmp_path, monkeypatch
):
    from app.ingest import pipeline as pipeline_module

    def broken(paragraphs, **options):
        raise IndexError("list index out of range")

    (tmp_path / "a.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    with monkeypatch.context() as patch:
        patch.setattr(pipeline_module, "extract_speakers", broken)
        result = runner.invoke(cli, ["ingest", "-q", str(tmp_path)])
    assert result.exit_code == 0
    assert "warning" in result.output and "a.txt: stored without speakers" in result.output
    assert "incomplete 1" in result.output
    result = runner.invoke(cli, ["reextract", "-q", "--failed"])
    assert result.exit_code == 0
    assert "Done: added 0, updated 1, unchanged 0, failed 0." in result.output


def test_a_new_archive_is_not_called_older_and_rebuilt(runner, settings, tmp_path):
    (tmp_path / "good.txt").write_text((FIXTURES / "articles" / "wire-report.txt").read_text())
    result = runner.invoke(cli, ["ingest", "-q", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "older version" not in result.output


def test_optimize_merges_the_index_into_one_segment_once(runner, settings, tmp_path):
    """`ingest` merges by itself once a run about doubled the index; `optimize` merges
    whatever is left."""
    from app.search.results import SearchParams
    from app.search.whoosh_backend.archive_index import ArchiveIndex

    def segments() -> int:
        archive_index = ArchiveIndex(settings.index_dir)
        count = len(archive_index.open()._segments())
        archive_index.close()
        return count

    outputs = []
    for name in ("wire-report.txt", "us-dateline.txt", "name-date-byline.txt"):
        folder = tmp_path / name
        folder.mkdir()
        (folder / name).write_text((FIXTURES / "articles" / name).read_text())
        result = runner.invoke(cli, ["ingest", "-q", str(folder)])
        assert result.exit_code == 0
        outputs.append(result.output)
        if name == "us-dateline.txt":  # one and one: merged at the end of the run
            assert "Merged the search index's 4 segments" in result.output
            assert segments() == 1
    assert "Merged" not in outputs[0] + outputs[2]
    assert segments() == 2  # two and one: the new segment is left alone
    result = runner.invoke(cli, ["optimize"])
    assert result.exit_code == 0 and "Merged 4 segments" in result.output
    assert segments() == 1
    archive_index = ArchiveIndex(settings.index_dir)
    assert archive_index.search(SearchParams(q=""), lambda ids: {}).total == 3
    archive_index.close()
    assert "Nothing to merge" in runner.invoke(cli, ["optimize"]).output
