"""The first view of article pages, in process, against a kept archive.

``python -m bench.experiments.first_view ARCHIVE_DIR [--articles 150] [--seed 1]``

ARCHIVE_DIR holds `archive.db` and `index` (`python -m bench.run --keep` leaves them).
One app (`TestClient`) asks for each of the random articles' pages once, as the cold
mix's "article" kind does, after five untimed pages of other articles, which pay what a
process pays once (templates, the first database connection), then that article's
related-articles page, which the article page's script fetches: timed apart, as a reader
sees the text before the list. The word counts related articles keep between pages stay,
as in a server. To compare two commits, run each from its own checkout (`git worktree add`)
with PYTHONPATH set to that checkout.
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import time
from pathlib import Path

from fastapi.testclient import TestClient

from app.config import Settings
from app.main import create_app
from bench.run import summarise


def archive_settings(archive: Path) -> Settings:
    """Settings for an app over a kept archive, asked through a `TestClient`."""
    return Settings(
        database_url=f"sqlite:///{archive / 'archive.db'}",
        index_dir=archive / "index",
        allowed_hosts="testserver",
    )


def kept_archive(archive: Path, articles: int, seed: int) -> tuple[Settings, list[str]]:
    """Settings for a kept archive, and `articles` + 5 random slugs of it (five to warm up)."""
    with sqlite3.connect(archive / "archive.db") as connection:
        slugs = [row[0] for row in connection.execute("SELECT slug FROM article ORDER BY id")]
    return archive_settings(archive), random.Random(seed).sample(slugs, articles + 5)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("archive", type=Path)
    parser.add_argument("--articles", type=int, default=150)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    settings, chosen = kept_archive(args.archive, args.articles, args.seed)
    times: dict[str, list[float]] = {"article": [], "related": []}
    with TestClient(create_app(settings)) as client:
        for number, slug in enumerate(chosen):
            for kind, path in (
                ("article", f"/articles/{slug}"),
                ("related", f"/articles/{slug}/related"),
            ):
                started = time.perf_counter()
                response = client.get(path)
                elapsed = (time.perf_counter() - started) * 1000
                response.raise_for_status()
                if number >= 5:
                    times[kind].append(elapsed)
    print(json.dumps({kind: summarise(values) for kind, values in times.items()}))


if __name__ == "__main__":
    main()
