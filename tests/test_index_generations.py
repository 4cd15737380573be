"""Rebuilding the index: built beside the live one, switched atomically, leftovers cleaned."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import threading
import time
from pathlib import Path

from app.search.results import IndexDocument, SearchParams
from app.search.whoosh_backend import generations
from app.search.whoosh_backend.archive_index import ArchiveIndex

ROOT = Path(__file__).resolve().parent.parent


def doc(number: int, word: str) -> IndexDocument:
    return IndexDocument(
        article_id=number,
        title=f"Article {number}",
        body=f"A paragraph about {word} and public policy, number {number}.",
        speaker_names=[],
        speaker_slugs=[],
        theme_names=[],
        theme_slugs=[],
        publisher=None,
        source_slug=None,
        author=None,
        published=None,
    )


def total(archive_index: ArchiveIndex, q: str) -> int:
    return archive_index.search(SearchParams(q=q), lambda ids: {}).total


def test_readers_keep_the_old_index_until_the_switch(tmp_path):
    builder, server = ArchiveIndex(tmp_path / "index"), ArchiveIndex(tmp_path / "index")
    builder.index_articles([doc(n, "fisheries") for n in range(1, 6)])
    assert total(server, "fisheries") == 5
    halfway, finish = threading.Event(), threading.Event()

    def slow_documents():
        yield from (doc(n, "orchards") for n in range(1, 4))
        halfway.set()
        finish.wait(10)
        yield doc(4, "orchards")

    rebuild = threading.Thread(target=builder.rebuild, args=(slow_documents(),))
    rebuild.start()
    assert halfway.wait(10)
    assert total(server, "fisheries") == 5 and total(server, "orchards") == 0
    finish.set()
    rebuild.join(10)
    assert total(server, "orchards") == 4 and total(server, "fisheries") == 0
    assert [p.name for p in (tmp_path / "index").iterdir() if p.name != "CURRENT"] == [
        generations.active_dir(tmp_path / "index").name
    ]
    builder.close()
    server.close()


def test_a_killed_rebuild_leaves_the_old_index_live_and_its_folder_is_cleaned(tmp_path):
    root = tmp_path / "index"
    live = ArchiveIndex(root)
    live.index_articles([doc(n, "fisheries") for n in range(1, 21)])
    live.close()
    ready = tmp_path / "ready"
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from app.search.whoosh_backend.archive_index import ArchiveIndex
        from tests.test_index_generations import doc

        def documents():
            for number in range(1, 1000):
                if number == 50:
                    Path({str(ready)!r}).write_text("halfway")
                    time.sleep(60)
                yield doc(number, "orchards")

        ArchiveIndex(Path({str(root)!r})).rebuild(documents())
        """
    )
    child = subprocess.Popen([sys.executable, "-c", script], cwd=ROOT)
    deadline = time.monotonic() + 60
    while not ready.exists() and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    assert ready.exists(), "the rebuild never got halfway"
    os.kill(child.pid, signal.SIGKILL)
    child.wait()

    after = ArchiveIndex(root)
    assert after.document_count() == 20 and total(after, "fisheries") == 20
    leftovers = generations.stale_paths(root)
    assert len(leftovers) == 1 and leftovers[0].name.startswith(generations.PREFIX)
    assert after.clean_leftovers() == leftovers
    assert not leftovers[0].exists()
    assert after.document_count() == 20
    after.close()


def test_the_server_cleans_leftovers_at_start_unless_a_writer_runs(settings):
    from fastapi.testclient import TestClient

    from app.ingest.lock import exclusive_writer
    from app.main import create_app

    ArchiveIndex(settings.index_dir).index_articles([doc(1, "fisheries")])
    stray = generations.new_generation_dir(settings.index_dir)
    with exclusive_writer(settings.index_dir), TestClient(create_app(settings)):
        assert stray.exists()  # a reindex may be building there right now
    with TestClient(create_app(settings)):
        assert not stray.exists()


def test_an_old_flat_index_keeps_working_until_its_first_rebuild(tmp_path):
    from whoosh.filedb.filestore import FileStorage

    from app.search.whoosh_backend.archive_index import _fields_of, build_schema

    root = tmp_path / "index"
    root.mkdir()
    writer = FileStorage(str(root)).create_index(build_schema()).writer()
    writer.add_document(**_fields_of(doc(1, "fisheries")))
    writer.commit()
    flat = ArchiveIndex(root)
    assert total(flat, "fisheries") == 1
    assert flat.rebuild([doc(1, "fisheries"), doc(2, "fisheries")]) == 2
    assert total(flat, "fisheries") == 2
    assert sorted(p.name for p in root.iterdir())[0] == "CURRENT"
    assert not list(root.glob("*MAIN*"))
    flat.close()
