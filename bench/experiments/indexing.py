"""Index-only cost of a search module variant, in CPU seconds (robust to a busy machine).

``python -m bench.experiments.indexing app.search.whoosh_backend.archive_index --n 1000
[--no-body-spelling] [--language de]``
Each variant should run in its own process: search_fast patches Whoosh globally.
"""

from __future__ import annotations

import argparse
import dataclasses
import importlib
import json
import shutil
import tempfile
import time
from pathlib import Path

from bench.corpus import ensure_corpus
from bench.experiments.engine import index_documents, load_documents
from bench.run import tree_size


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("module")
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--no-body-spelling", action="store_true")
    parser.add_argument(
        "--no-merge", action="store_true", help="commit(merge=False) per batch, optimize at the end"
    )
    parser.add_argument(
        "--language",
        help="declare every article in this language (the cost of its second, stemmed field)",
    )
    args = parser.parse_args(argv)
    module = importlib.import_module(args.module)
    if args.no_body_spelling:
        original = module.build_schema

        def build_schema():
            schema = original()
            schema["body"].spelling = False
            return schema

        module.build_schema = build_schema
    docs = load_documents(ensure_corpus(Path(__file__).parent.parent / "corpus", args.n))
    documents = index_documents(module, docs)
    if args.language:
        documents = [dataclasses.replace(doc, language=args.language) for doc in documents]
    directory = Path(tempfile.mkdtemp(prefix="bench-indexing-"))
    try:
        archive_index = module.ArchiveIndex(directory / "index")
        wall, cpu = time.perf_counter(), time.process_time()
        for start in range(0, len(documents), args.batch):
            if args.no_merge:
                writer = archive_index.writer()
                for doc in documents[start : start + args.batch]:
                    writer.add_document(**module._fields_of(doc))
                writer.commit(merge=False)
            else:
                archive_index.index_articles(documents[start : start + args.batch])
        if args.no_merge:
            archive_index.open().optimize()
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        size = tree_size(directory / "index")
        archive_index.close()
    finally:
        shutil.rmtree(directory, ignore_errors=True)
    print(
        json.dumps(
            {
                "module": args.module,
                "n": args.n,
                "no_body_spelling": args.no_body_spelling,
                "no_merge": args.no_merge,
                "language": args.language,
                "cpu_seconds": round(cpu, 2),
                "articles_per_cpu_second": round(args.n / cpu, 1),
                "wall_articles_per_second": round(args.n / wall, 1),
                "index_mb": round(size / 2**20, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
