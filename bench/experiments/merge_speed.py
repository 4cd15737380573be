"""How long merging the first K segments of one index of a kept archive takes.

``python -m bench.experiments.merge_speed INDEX_GENERATION_DIR K {MAIN,quotes} [--code CHECKOUT]``

Copies the index generation folder (`ARCHIVE/index/gen-…`) to a temporary folder, then
commits a Whoosh writer whose merge policy merges its first K segments into one, the way
`optimize` does (`merges.merge_everything`: posting blocks copied when the code has
`block_copy`, postings streamed before), and prints the seconds the commit took. With
`--code` another checkout (a `git worktree`) runs instead, so two commits are compared on
the same segments in the same minutes, one after the other.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def merge_first(folder: Path, count: int, indexname: str) -> float:
    """Seconds to commit a merge of the index's first `count` segments (run in-process
    with whatever `app` is importable)."""
    from whoosh.filedb.filestore import FileStorage

    from app.search.whoosh_backend import merges
    from app.search.whoosh_backend.pool import with_term_pool

    ix = FileStorage(str(folder), supports_mmap=False).open_index(indexname=indexname)
    writer = with_term_pool(ix.writer(), 128)

    def first_segments(writer, segments: list) -> list:
        merges.merge_everything(writer, segments[:count])
        return segments[count:]

    started = time.perf_counter()
    writer.commit(mergetype=first_segments)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("generation", type=Path)
    parser.add_argument("count", type=int)
    parser.add_argument("indexname", choices=["MAIN", "quotes"])
    parser.add_argument("--code", type=Path, default=None)
    parser.add_argument("--in-place", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.in_place:  # the child: the folder is a copy already
        print(round(merge_first(args.generation, args.count, args.indexname), 1))
        return
    with tempfile.TemporaryDirectory(prefix="merge-speed-") as scratch:
        copy = Path(scratch) / "index"
        shutil.copytree(args.generation, copy)
        env = {**os.environ, "PYTHONPATH": str(args.code or ROOT)}
        # This file run as a script, so an older checkout without it can be measured.
        command = [sys.executable, __file__, str(copy), str(args.count), args.indexname]
        out = subprocess.run(
            [*command, "--in-place"], env=env, check=True, capture_output=True, text=True
        ).stdout
    print(
        f"{args.indexname}: {args.count} segments merged in {out.strip()} s ({args.code or ROOT})"
    )


if __name__ == "__main__":
    main()
