"""In-process engine comparison, same documents: the Whoosh index
(app/search/whoosh_backend/archive_index.py) vs a prototype copy vs FTS5.

``python -m bench.experiments.engine --n 10000 \
--variants app.search.whoosh_backend.archive_index,my_variant``
indexes the corpus with each variant (batches of 500, as the pipeline commits), runs the search
mix through ``ArchiveIndex.search`` with snippets and facets, checks that every variant returns
the same totals, top ids and facet counts as the first, and prints JSON.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from bench import fts5
from bench.corpus import THEME_PHRASES, Vocabulary, ensure_corpus
from bench.run import percentile, tree_size

SAID = re.compile(r"said ([A-Z][a-z]+ [A-Z][a-z]+), ")


def load_documents(corpus: Path) -> list[dict]:
    """Parsed files with speakers and themes derived the way the generator wrote them."""
    docs = []
    for i, path in enumerate(sorted(Path(corpus).rglob("*.txt"))):
        row = fts5.parse_file(path)
        names = sorted(set(SAID.findall(row["body"])))
        text = (row["title"] + " " + row["body"]).lower()
        themes = sorted(t for t, ps in THEME_PHRASES.items() if any(p.lower() in text for p in ps))
        row.update(
            id=i + 1,
            speaker_names=names,
            speaker_slugs=[re.sub(r"\W+", "-", n.lower()) for n in names],
            theme_slugs=themes,
            theme_names=[t.replace("-", " ") for t in themes],
        )
        docs.append(row)
    return docs


def index_documents(module, docs: list[dict]) -> list:
    return [
        module.IndexDocument(
            article_id=d["id"],
            title=d["title"],
            body=d["body"],
            speaker_names=d["speaker_names"],
            speaker_slugs=d["speaker_slugs"],
            theme_names=d["theme_names"],
            theme_slugs=d["theme_slugs"],
            publisher=d["publisher"],
            source_slug=d["source"],
            author=d["author"],
            published=datetime.fromisoformat(d["published"]).replace(tzinfo=UTC),
        )
        for d in docs
    ]


def mix(docs: list[dict], seed: int, n: int) -> dict[str, dict]:
    counts: dict[str, int] = {}
    for d in docs:
        for slug in d["speaker_slugs"]:
            counts[slug] = counts.get(slug, 0) + 1
    top = max(sorted(counts), key=lambda s: counts[s]) if counts else None
    rare = Vocabulary(seed).rare_words[0]
    return {
        "common_word": {"q": "policy"},
        "rare_word": {"q": rare},
        "two_words": {"q": "climate investment"},
        "phrase": {"q": '"data protection"'},
        "word_speaker": {"q": "government", "speakers": [top]},
        "word_theme": {"q": "regulation", "themes": ["regulation"]},
        "sorted_newest": {"q": "regulation", "sort": "newest"},
        "deep_page": {"q": "policy", "page": max(2, min(100, n // 10 // 2))},
    }


def run_variant(name: str, docs: list[dict], queries: dict, reps: int, workdir: Path) -> dict:
    module = importlib.import_module(name)
    directory = workdir / name.replace(".", "_")
    shutil.rmtree(directory, ignore_errors=True)
    archive_index = module.ArchiveIndex(directory)
    documents = index_documents(module, docs)
    started, index_cpu = time.perf_counter(), time.process_time()
    for start in range(0, len(documents), 500):
        archive_index.index_articles(documents[start : start + 500])
    index_seconds = time.perf_counter() - started
    index_cpu = time.process_time() - index_cpu
    texts = {d["id"]: d["body"] for d in docs}

    def load(ids):
        return {i: texts[i] for i in ids}

    started = time.perf_counter()
    archive_index.search(module.SearchParams(q="policy"), load)
    first_search = time.perf_counter() - started
    samples: dict[str, list[float]] = {key: [] for key in queries}
    cpu: dict[str, list[float]] = {key: [] for key in queries}
    answers = {}
    for rep in range(reps + 1):
        for key, params in queries.items():
            t, c = time.perf_counter(), time.thread_time()
            result = archive_index.search(module.SearchParams(**params), load)
            if rep:  # the first pass warms up
                samples[key].append((time.perf_counter() - t) * 1000)
                cpu[key].append((time.thread_time() - c) * 1000)
            else:
                answers[key] = {
                    "total": result.total,
                    "ids": [h.article_id for h in result.hits],
                    "facets": {k: v[:50] for k, v in result.facets.items()},
                    "snippet": result.hits[0].snippet if result.hits else "",
                }
    pooled = [ms for values in samples.values() for ms in values]
    pooled_cpu = [ms for values in cpu.values() for ms in values]
    related = []
    for d in docs[:50]:
        t = time.thread_time()
        archive_index.more_like_this(d["id"], d["body"])
        related.append((time.thread_time() - t) * 1000)
    archive_index.close()
    return {
        "index_articles_per_second": round(len(docs) / index_seconds, 1),
        "index_seconds": round(index_seconds, 1),
        "index_cpu_articles_per_second": round(len(docs) / index_cpu, 1),
        "index_mb": round(tree_size(directory) / 2**20, 1),
        "first_search_after_open_ms": round(first_search * 1000, 1),
        "search": {
            k: {
                "median_ms": round(statistics.median(v), 2),
                "p95_ms": round(percentile(v, 0.95), 2),
            }
            for k, v in samples.items()
        },
        "search_cpu": {
            k: {
                "median_ms": round(statistics.median(v), 2),
                "p95_ms": round(percentile(v, 0.95), 2),
            }
            for k, v in cpu.items()
        },
        "mix_median_ms": round(statistics.median(pooled), 2),
        "mix_p95_ms": round(percentile(pooled, 0.95), 2),
        "mix_cpu_median_ms": round(statistics.median(pooled_cpu), 2),
        "mix_cpu_p95_ms": round(percentile(pooled_cpu, 0.95), 2),
        "more_like_this_first_cpu_ms": round(statistics.median(related), 2),
        "answers": answers,
    }


def run_fts5(docs: list[dict], queries: dict, reps: int, workdir: Path) -> dict:
    db = workdir / "fts5.db"
    db.unlink(missing_ok=True)
    conn = sqlite3.connect(db)
    conn.executescript(fts5.SCHEMA)
    started = time.perf_counter()
    with conn:
        conn.executemany(
            "INSERT INTO article(id, slug, origin, title, author, publisher, source, url,"
            " published, year, body, speaker_names, theme_names) VALUES (:id, 'a' || :id, :origin,"
            " :title, :author, :publisher, :source, :url, :published, :year, :body, :sn, :tn)",
            [
                {**d, "sn": " ".join(d["speaker_names"]), "tn": " ".join(d["theme_names"])}
                for d in docs
            ],
        )
        conn.executemany(
            "INSERT INTO article_speaker VALUES (?, ?)",
            [(d["id"], s) for d in docs for s in d["speaker_slugs"]],
        )
        conn.executemany(
            "INSERT INTO article_theme VALUES (?, ?, 1.0)",
            [(d["id"], t) for d in docs for t in d["theme_slugs"]],
        )
        conn.execute("INSERT INTO article_fts(article_fts) VALUES ('rebuild')")
    index_seconds = time.perf_counter() - started
    samples: dict[str, list[float]] = {key: [] for key in queries}
    answers = {}
    for rep in range(reps + 1):
        for key, params in queries.items():
            args = {
                "q": params["q"],
                "speakers": params.get("speakers", []),
                "themes": params.get("themes", []),
                "sort": params.get("sort", "relevance"),
                "page": params.get("page", 1),
            }
            t = time.thread_time()
            result = fts5.search(conn, **args)
            if rep:  # CPU time: SQLite runs in this thread
                samples[key].append((time.thread_time() - t) * 1000)
            else:
                answers[key] = {"total": result["total"], "ids": result["hits"]}
    pooled = [ms for values in samples.values() for ms in values]
    return {
        "index_articles_per_second": round(len(docs) / index_seconds, 1),
        "index_mb": round(db.stat().st_size / 2**20, 1),
        "search": {
            k: {
                "median_ms": round(statistics.median(v), 2),
                "p95_ms": round(percentile(v, 0.95), 2),
            }
            for k, v in samples.items()
        },
        "mix_median_ms": round(statistics.median(pooled), 2),
        "mix_p95_ms": round(percentile(pooled, 0.95), 2),
        "answers": answers,
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=10000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--reps", type=int, default=10)
    parser.add_argument("--variants", default="app.search.whoosh_backend.archive_index")
    parser.add_argument("--fts5", action=argparse.BooleanOptionalAction, default=True)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args(argv)
    corpus = ensure_corpus(Path(__file__).parent.parent / "corpus", args.n, args.seed)
    docs = load_documents(corpus)
    queries = mix(docs, args.seed, args.n)
    workdir = Path(tempfile.mkdtemp(prefix="bench-engine-"))
    report: dict = {"n": args.n, "reps": args.reps, "queries": queries, "variants": {}}
    try:
        for name in args.variants.split(","):
            report["variants"][name] = run_variant(name, docs, queries, args.reps, workdir)
            print(
                name,
                {k: v for k, v in report["variants"][name].items() if k != "answers"},
                file=sys.stderr,
            )
        if args.fts5:
            report["variants"]["fts5"] = run_fts5(docs, queries, args.reps, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    names = [n for n in report["variants"] if n != "fts5"]
    first = report["variants"][names[0]]["answers"]
    report["identical_to_first"] = {
        name: {key: report["variants"][name]["answers"][key] == first[key] for key in queries}
        for name in names[1:]
    }
    text = json.dumps(report, indent=2)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
