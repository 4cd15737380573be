"""Extraction time per generated article, without database or index: make bench-extraction.

The issue-9 budget: extraction may not grow more than 25 % over its time before that work.
Run this file from another checkout (PYTHONPATH=that/tree) to compare two trees on one
machine in the same minutes; the best of several rounds is quoted, as the machines are
shared and noisy.
"""

from __future__ import annotations

import argparse
import time
from datetime import UTC, datetime

from app.ingest.document import RawDocument
from app.ingest.extract.article import extract_article
from app.ingest.speakers.extraction import extract_speakers
from app.ingest.themes import assign_themes, load_taxonomy
from bench.corpus import article_text


def measure(n: int, rounds: int) -> tuple[float, float]:
    """Best milliseconds per article over the rounds: (whole extraction, speakers alone)."""
    texts = [article_text(i).encode() for i in range(n)]
    taxonomy = load_taxonomy()
    now = datetime.now(UTC)
    best_all = best_speakers = float("inf")
    for _ in range(rounds):
        speakers = 0.0
        started = time.perf_counter()
        for i, data in enumerate(texts):
            article = extract_article(RawDocument(data, f"bench-{i}.txt", "text/plain", now))
            before = time.perf_counter()
            extract_speakers(article.paragraphs, title=article.title, byline=article.author)
            speakers += time.perf_counter() - before
            assign_themes(article.title, article.paragraphs, taxonomy)
        best_all = min(best_all, (time.perf_counter() - started) / n * 1000)
        best_speakers = min(best_speakers, speakers / n * 1000)
    return best_all, best_speakers


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=500, help="generated articles")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    whole, speakers = measure(args.n, args.rounds)
    print(f"extraction {whole:.2f} ms per article (speakers {speakers:.2f} ms), n={args.n}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
