"""A segment's postings written term by term from the pool hold what Whoosh writes."""

from __future__ import annotations

import io
import pickle
import zlib

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import unpack_int

from app.search.whoosh_backend import archive_index as search
from app.search.whoosh_backend import pool
from app.search.whoosh_backend.archive_index import QUOTE_INDEX, ArchiveIndex
from app.search.whoosh_backend.block_writing import COMPRESS_FROM
from tests.test_index_pool import documents


def blocks_of(postings: bytes) -> list[tuple]:
    """A term's W3 blocks: (header, data, compressed?, ends the term?) each, decoded."""
    assert postings.startswith(WHOOSH3_HEADER_MAGIC)
    position, found = len(WHOOSH3_HEADER_MAGIC), []
    while position < len(postings):
        (signed,) = unpack_int(postings[position : position + 4])
        block = postings[position + 4 : position + 4 + abs(signed)]
        position += 4 + abs(signed)
        reader = io.BytesIO(block)
        count, last, max_weight, compression, min_length, max_length = pickle.load(reader)
        data = block[reader.tell() :]
        data = pickle.loads(zlib.decompress(data) if compression else data)
        header = (count, last, max_weight, min_length, max_length)
        found.append((header, data, bool(compression), signed < 0))
    return found


def every_term(archive_index: ArchiveIndex) -> dict:
    """Each term of both indexes: its statistics and its blocks, decoded."""
    found = {}
    for name, ix in (
        ("articles", archive_index.open()),
        (QUOTE_INDEX, archive_index.open_quotes()),
    ):
        assert len(ix._segments()) == 1
        reader = ix.reader()
        try:
            terms = reader._terms
            for (fieldname, tbytes), info in terms.items():
                offset, length = info.extent()
                if isinstance(length, tuple):  # as W3TermInfo.from_bytes leaves it
                    (length,) = length
                terms._postfile.seek(offset)
                statistics = (
                    info.weight(),
                    info.doc_frequency(),
                    info.min_length(),
                    info.max_length(),
                    info.max_weight(),
                    info.min_id(),
                    info.max_id(),
                )
                found[(name, fieldname, tbytes)] = (
                    statistics,
                    blocks_of(terms._postfile.read(length)),
                )
        finally:
            reader.close()
    return found


def build(folder, monkeypatch, *, whooshs: bool, by_blocks: list | None = None) -> dict:
    with monkeypatch.context() as patch:
        if whooshs:
            patch.setattr(search, "with_term_pool", lambda writer, limitmb: writer)
        else:
            write_terms = pool.write_terms

            def counted(*args):
                by_blocks.append(args[0])
                return write_terms(*args)

            patch.setattr(pool, "write_terms", counted)
        archive_index = ArchiveIndex(folder)
        try:
            # 300 articles: the common words' postings take three blocks of 128.
            archive_index.index_articles(documents(1, 300, seed=7))
            return every_term(archive_index)
        finally:
            archive_index.close()


def test_terms_written_by_blocks_hold_what_whoosh_writes(tmp_path, monkeypatch):
    whooshs = build(tmp_path / "whoosh", monkeypatch, whooshs=True)
    by_blocks = []
    ours = build(tmp_path / "blocks", monkeypatch, whooshs=False, by_blocks=by_blocks)
    assert len(by_blocks) == 2  # both segments, articles and quotes
    assert ours.keys() == whooshs.keys()
    assert max(statistics[1] for statistics, _ in whooshs.values()) > 256  # three blocks

    def without_compression(terms: dict) -> dict:
        return {
            key: (statistics, [(header, data, last) for header, data, _, last in blocks])
            for key, (statistics, blocks) in terms.items()
        }

    assert without_compression(ours) == without_compression(whooshs)
    # Whoosh compresses every block; short ones are left as they are.
    assert all(compressed for _, blocks in whooshs.values() for *_, compressed, _ in blocks)
    ours_compressed = {
        compressed for _, blocks in ours.values() for _, data, compressed, _ in blocks
    }
    assert ours_compressed == {True, False}
    for _, blocks in ours.values():
        for _, data, compressed, _ in blocks:
            assert compressed == (len(pickle.dumps(data, 2)) >= COMPRESS_FROM)
