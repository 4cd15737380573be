"""Serve the archive with a prototype search module in place of
app.search.whoosh_backend.archive_index (same index files).

``python -m bench.experiments.serve_variant bench.experiments.search_fast --host H --port P``
reads the same ARCHIVE_ settings as ``policy-archive serve``.
"""

from __future__ import annotations

import argparse
import importlib
import sys


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("module")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8002)
    args = parser.parse_args(argv)
    sys.modules["app.search.whoosh_backend.archive_index"] = importlib.import_module(args.module)
    import uvicorn

    from app.main import create_app

    uvicorn.run(create_app(), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
