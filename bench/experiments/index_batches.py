"""Writer-side index cost of a bulk load by commit batch size, with prepared postings.

``python -m bench.experiments.index_batches ARCHIVE_DB --n 5000 --batch 500``

Reads the first ``n`` articles of an ingested archive (``policy-archive ingest`` of a bench
corpus), prepares their postings as the extraction workers do (not timed), then times
``index_articles`` in batches of ``batch`` into a new index: CPU seconds (robust to a busy
machine), peak RSS of this process (which also holds every document) and segments written.
"""

from __future__ import annotations

import argparse
import json
import resource
import shutil
import tempfile
import time
from pathlib import Path

from sqlmodel import Session, create_engine

from app.ingest import store
from app.search.whoosh_backend.archive_index import ArchiveIndex, prepare


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive_db", type=Path)
    parser.add_argument("--n", type=int, default=5000)
    parser.add_argument("--batch", type=int, default=500)
    args = parser.parse_args(argv)
    engine = create_engine(f"sqlite:///{args.archive_db}")
    docs = []
    with Session(engine) as session:
        for start in range(1, args.n + 1, 500):
            ids = list(range(start, min(args.n + 1, start + 500)))
            docs += store.index_documents(session, ids=ids)
    prepared = {doc.article_id: prepare(doc) for doc in docs}
    folder = Path(tempfile.mkdtemp(prefix="bench-batches-"))
    try:
        archive_index = ArchiveIndex(folder / "index")
        cpu = time.process_time()
        for start in range(0, len(docs), args.batch):
            chunk = docs[start : start + args.batch]
            archive_index.index_articles(
                chunk, prepared={doc.article_id: prepared[doc.article_id] for doc in chunk}
            )
        cpu = time.process_time() - cpu
        archive_index.close()
        segments = len(list((folder / "index").rglob("*.seg")))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "n": len(docs),
                "batch": args.batch,
                "cpu_seconds": round(cpu, 1),
                "articles_per_cpu_second": round(len(docs) / cpu, 1),
                "peak_rss_mb": round(peak_mb),
                "segments": segments,
            }
        )
    )


if __name__ == "__main__":
    main()
