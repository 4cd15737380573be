"""CPU seconds to build one batch's index segments in process: the pool's postings
written by whole blocks (`block_writing`) against Whoosh's field writer, alternating.

``python -m bench.experiments.segment_build ARCHIVE_DB [--n 2000] [--rounds 3]``

ARCHIVE_DB is an ingested SQLite archive (say the `archive.db` of a kept bench run).
Its first N articles are read as the index sees them, their texts analysed as an
extraction worker would (`prepare`), and then, each round, both ways build the batch's
two segments into a new temporary index (`_build_segments`, what the builder process
runs). Only the building is timed.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, create_engine

from app.ingest.store import index_documents
from app.search.whoosh_backend import archive_index as search
from app.search.whoosh_backend import generations
from app.search.whoosh_backend.archive_index import ArchiveIndex, prepare

_BY_BLOCKS = search.with_term_pool


def _whooshs_writing(writer, limitmb: int):
    """The term pool without the whole-block flush: Whoosh writes the postings."""
    writer = _BY_BLOCKS(writer, limitmb)
    del writer._flush_segment
    return writer


def build_seconds(docs, prepared, *, by_blocks: bool) -> float:
    folder = Path(tempfile.mkdtemp(prefix="segment-build-"))
    archive_index = ArchiveIndex(folder)
    try:
        schema = archive_index.open().schema
        archive_index.open_quotes()
        search._choose_pair_words(schema, docs, prepared)
        search.with_term_pool = _BY_BLOCKS if by_blocks else _whooshs_writing
        started = time.process_time()
        search._build_segments(str(generations.active_dir(folder)), schema, docs, prepared)
        return time.process_time() - started
    finally:
        search.with_term_pool = _BY_BLOCKS
        archive_index.close()
        shutil.rmtree(folder, ignore_errors=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("database", type=Path)
    parser.add_argument("--n", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    with Session(create_engine(f"sqlite:///{args.database}")) as session:
        docs = index_documents(session, ids=list(range(1, args.n + 1)))
    prepared = {doc.article_id: prepare(doc) for doc in docs}
    print(f"{len(docs)} articles, {sum(len(doc.quotes) for doc in docs)} quotes")
    for round_number in range(1, args.rounds + 1):
        whooshs = build_seconds(docs, prepared, by_blocks=False)
        blocks = build_seconds(docs, prepared, by_blocks=True)
        print(f"round {round_number}: Whoosh's writer {whooshs:.2f} s, by blocks {blocks:.2f} s")


if __name__ == "__main__":
    main()
