"""First views of any pages of a kept archive, with what each read from disk.

``python -m bench.experiments.page_reads ARCHIVE_DIR PATH [PATH ...]``

Starts the app in process (`TestClient`: its start-up warms what a server's does), empties
the page cache (root only), then asks for each PATH once, in order, and prints its time
and the bytes this process read from disk meanwhile (`/proc/self/io`). With `--statements`
it lists each SQL statement too; a statement's time and bytes count its execution and
first row only, as the rest are fetched after the cursor returns.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from fastapi.testclient import TestClient

from app.main import create_app
from bench.experiments.article_reads import on_each_statement, read_bytes
from bench.experiments.first_view import archive_settings


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--statements", action="store_true")
    args = parser.parse_args(argv)
    app = create_app(archive_settings(args.archive))
    if args.statements:

        def record(statement: str, ms: float, read: int) -> None:
            print(f"  {ms:8.1f} ms {read / 2**20:7.1f} MiB  {' '.join(statement.split())[:110]}")

        on_each_statement(app.state.engine, record)

    with TestClient(app) as client:
        Path("/proc/sys/vm/drop_caches").write_text("1\n")
        for path in args.paths:
            before_read, at = read_bytes(), time.perf_counter()
            client.get(path).raise_for_status()
            ms = (time.perf_counter() - at) * 1000
            print(f"{path} {ms:.0f} ms, {(read_bytes() - before_read) / 2**20:.1f} MiB read")


if __name__ == "__main__":
    main()
