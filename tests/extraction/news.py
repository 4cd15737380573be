"""make eval-news: who-said-what extraction scored on real news (PolNeAR), through the pipeline.

Run: .venv/bin/python -m tests.extraction.news CORPUS [--split dev] [--examples] [--json]
     .venv/bin/python -m tests.extraction.news CORPUS --crashes   (ingest every split, no score)

CORPUS is a checkout of PolNeAR (github.com/networkdynamics/PolNeAR). The texts are ingested
into a temporary archive with the real pipeline; the quotes stored there are scored against
the gold attributions read by tests/extraction/polnear.py:

- speakers: per article, the set of named people quoted or reported as saying something,
  against the set of speakers stored; P/R/F1 micro-averaged over articles;
- attribution: each gold direct quote and each gold reported speech by a named person, found
  among the stored quotes (by word overlap) and then right person / wrong person / found but
  unattributed / not found; reported speech whose cue is a verb of saying is also counted
  apart (the rest has a noun cue, "statement", or "according to");
- articles that failed (dropped) or were stored with extraction missing;
- the most frequent error patterns, each with one example sentence.

Develop on train, check on dev. The test split is never scored: `--crashes` only counts
articles the pipeline cannot store, over every split, and reads no annotation.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlmodel import Session, select  # noqa: E402

from app.config import Settings  # noqa: E402
from app.db import make_engine, migrate  # noqa: E402
from app.ingest.pipeline import IngestReport, Pipeline  # noqa: E402
from app.ingest.sources.readers import read_file  # noqa: E402
from app.models import Article, Quote, Speaker  # noqa: E402
from app.search.whoosh_backend.archive_index import ArchiveIndex  # noqa: E402
from tests.extraction.polnear import (  # noqa: E402
    SPLITS,
    GoldArticle,
    article_names,
    load_article,
    merge_names,
    same_name,
)

OUTCOMES = ("right", "wrong", "unattributed", "not found")
KINDS = ("direct", "reported-saying", "reported-other")
# A subset of reported-saying, counted apart: the cue holds a verb of saying (not a noun
# such as "statement", nor "according to").
SAYING_VERB = "reported-saying-verb"


@dataclass
class Found:
    text: str
    words: Counter
    kind: str
    speaker: str | None


@dataclass
class Figures:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    outcomes: dict[str, Counter] = field(default_factory=lambda: defaultdict(Counter))
    patterns: Counter = field(default_factory=Counter)
    examples: dict[str, str] = field(default_factory=dict)
    articles: int = 0
    failed: list[str] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)
    extract_ms: float = 0.0
    unparsed: list[str] = field(default_factory=list)

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def f1(self) -> float:
        p, r = self.precision(), self.recall()
        return 2 * p * r / (p + r) if p + r else 0.0

    def accuracy(self, kind: str) -> float:
        counts = self.outcomes[kind]
        total = sum(counts.values())
        return counts["right"] / total if total else 1.0

    def note(self, pattern: str, example: str) -> None:
        self.patterns[pattern] += 1
        self.examples.setdefault(pattern, example)

    def as_dict(self) -> dict:
        return {
            "articles": self.articles,
            "speaker_precision": round(self.precision(), 3),
            "speaker_recall": round(self.recall(), 3),
            "speaker_f1": round(self.f1(), 3),
            **{
                f"{kind}_{outcome}": self.outcomes[kind][outcome]
                for kind in KINDS
                for outcome in OUTCOMES
            },
            **{f"{kind}_accuracy": round(self.accuracy(kind), 3) for kind in KINDS},
            **{f"{SAYING_VERB}_{o}": self.outcomes[SAYING_VERB][o] for o in OUTCOMES},
            f"{SAYING_VERB}_accuracy": round(self.accuracy(SAYING_VERB), 3),
            "unscored": len(self.unparsed),
            "failed": len(self.failed),
            "incomplete": len(self.incomplete),
            "extract_ms_per_article": round(self.extract_ms, 2),
        }


def _words(text: str) -> Counter:
    text = text.lower().replace("\u2019", "'").replace("''", " ")
    return Counter(re.findall(r"[a-z0-9$%]+(?:'[a-z]+)?", text))


def ingest(paths: list[Path], workdir: Path) -> tuple[IngestReport, dict[str, list[Found]]]:
    """Ingest the files into a fresh archive in workdir; the quotes stored, by file path."""
    settings = Settings(
        database_url=f"sqlite:///{workdir / 'archive.db'}", index_dir=workdir / "index"
    )
    migrate(settings)
    engine = make_engine(settings)
    index = ArchiveIndex(settings.index_dir)
    try:
        pipeline = Pipeline(settings, engine, index)
        report = IngestReport()
        documents = (read_file(path, max_bytes=settings.max_input_bytes) for path in paths)
        pipeline.ingest(documents, report)
        found: dict[str, list[Found]] = defaultdict(list)
        with Session(engine) as session:
            rows = session.exec(
                select(Article.origin, Quote.text, Quote.kind, Speaker.name)
                .join(Quote, Quote.article_id == Article.id)
                .outerjoin(Speaker, Speaker.id == Quote.speaker_id)
                .order_by(Quote.article_id, Quote.position)
            ).all()
        for origin, text, kind, speaker in rows:
            found[origin].append(Found(text, _words(text), kind, speaker))
    finally:
        index.close()
        engine.dispose()
    return report, found


def _best_match(content: str, found: list[Found]) -> Found | None:
    """The stored quote that covers most of the gold content's words, if any covers enough."""
    gold = _words(content)
    size = sum(gold.values())
    if not size:
        return None
    # Ties go to the quote covering more of the gold words, so the result does not depend
    # on the order quotes are stored in (a gold quote split by its attribution matches
    # both halves equally well).
    best, best_key = None, (0.0, 0)
    for quote in found:
        common = sum((gold & quote.words).values())
        shorter = min(size, sum(quote.words.values())) or 1
        key = (common / shorter, common)
        if common >= min(3, size) and key[0] >= 0.5 and key > best_key:
            best, best_key = quote, key
    return best


def _clip(text: str, limit: int = 170) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def score_article(gold: GoldArticle, found: list[Found], figures: Figures) -> None:
    wanted = gold.speakers()
    got = merge_names([q.speaker for q in found if q.speaker])
    unmatched = list(got)
    for person in wanted:
        match = next((name for name in unmatched if same_name(name, person)), None)
        if match is None:
            figures.fn += 1
            continue
        unmatched.remove(match)
        figures.tp += 1
    for extra in unmatched:
        figures.fp += 1
        example = next((q.text for q in found if q.speaker == extra), "")
        named = any(same_name(extra, a.speaker) for a in gold.attributions if a.speaker)
        why = "a named source of some other attribution" if named else "never a named source"
        figures.note(f"spurious speaker: {why}", f"{extra}: {_clip(example)}")

    for attribution in gold.attributions:
        if attribution.speaker is None:
            continue
        match = _best_match(attribution.content, found)
        if match is None:
            outcome = "not found"
        elif match.speaker is None:
            outcome = "unattributed"
        elif same_name(match.speaker, attribution.speaker):
            outcome = "right"
        else:
            outcome = "wrong"
        figures.outcomes[attribution.kind][outcome] += 1
        if attribution.saying_verb:
            figures.outcomes[SAYING_VERB][outcome] += 1
        if outcome == "right" or attribution.kind == "reported-other":
            continue
        side = "after" if attribution.inverted else "before"
        pattern = (
            f"{outcome}: {attribution.kind}, cue '{attribution.cue_lemma}', "
            f"source {attribution.shape} {side} the cue"
        )
        detail = f" (gave it to {match.speaker})" if outcome == "wrong" and match else ""
        figures.note(pattern, f"[{attribution.speaker}]{detail} {_clip(attribution.sentence)}")


def evaluate(corpus: Path, split: str) -> Figures:
    if split == "test":
        raise SystemExit("the test split is never scored (use --crashes to count failures)")
    names = article_names(corpus, split)
    paths = [corpus / "data" / split / "text" / f"{name}.txt" for name in names]
    figures = Figures(articles=len(paths))
    with tempfile.TemporaryDirectory(prefix="eval-news-") as workdir:
        report, found = ingest(paths, Path(workdir))
    figures.failed = list(report.errors)
    figures.incomplete = list(getattr(report, "warnings", []))
    figures.extract_ms = 1000 * report.extract_seconds / max(1, report.total)
    for name, path in zip(names, paths, strict=True):
        gold = load_article(corpus, split, name)
        if gold.unparsed:
            figures.unparsed.append(name)
            continue
        score_article(gold, found.get(str(path.resolve()), []), figures)
    return figures


def count_crashes(corpus: Path) -> dict[str, tuple[int, list[str], list[str]]]:
    """Per split: articles, failures and incomplete extractions. Reads texts only."""
    counts = {}
    for split in SPLITS:
        paths = sorted((corpus / "data" / split / "text").glob("*.txt"))
        with tempfile.TemporaryDirectory(prefix="eval-news-") as workdir:
            report, _ = ingest(paths, Path(workdir))
        counts[split] = (len(paths), list(report.errors), list(getattr(report, "warnings", [])))
    return counts


def print_figures(figures: Figures, split: str, top: int) -> None:
    print(
        f"PolNeAR {split}: {figures.articles} articles "
        f"({len(figures.unparsed)} without CoreNLP annotation, ingested but not scored)"
    )
    print(
        f"speakers    P {figures.precision():.2f}  R {figures.recall():.2f}  "
        f"F1 {figures.f1():.2f}   (tp {figures.tp}, fp {figures.fp}, fn {figures.fn})"
    )
    labels = {
        "direct": "direct quotes",
        "reported-saying": "reported speech (cue of saying)",
        "reported-other": "other attributions (belief, plan...)",
        SAYING_VERB: "  of which the cue is a verb of saying",
    }
    for kind in (*KINDS[:2], SAYING_VERB, KINDS[2]):
        counts = figures.outcomes[kind]
        total = sum(counts.values())
        parts = "  ".join(f"{o} {counts[o]}" for o in OUTCOMES)
        print(f"{labels[kind]:<38} right {figures.accuracy(kind):.2f} of {total}:  {parts}")
    print(f"articles failed (dropped): {len(figures.failed)}")
    for line in figures.failed:
        print(f"  {line}")
    print(f"articles stored without speakers or themes: {len(figures.incomplete)}")
    for line in figures.incomplete:
        print(f"  {line}")
    print(f"extraction time per article: {figures.extract_ms:.1f} ms")
    print(f"\n{top} most frequent error patterns:")
    for pattern, count in figures.patterns.most_common(top):
        print(f"{count:5}  {pattern}")
        print(f"       e.g. {figures.examples[pattern]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("corpus", type=Path, help="a checkout of the PolNeAR repository")
    parser.add_argument("--split", default="dev", choices=["train", "dev"])
    parser.add_argument("--top", type=int, default=15, help="error patterns to show")
    parser.add_argument("--json", action="store_true", help="figures as JSON")
    parser.add_argument(
        "--crashes", action="store_true", help="ingest every split and count failures only"
    )
    args = parser.parse_args(argv)
    if not (args.corpus / "data").is_dir():
        parser.error(f"{args.corpus} has no data/ folder: is it a PolNeAR checkout?")
    if args.crashes:
        counts = count_crashes(args.corpus)
        for split, (total, failed, incomplete) in counts.items():
            print(f"{split}: {total} texts, {len(failed)} dropped, {len(incomplete)} incomplete")
            for line in failed + incomplete:
                print(f"  {line}")
        return 1 if any(failed for _, failed, _ in counts.values()) else 0
    figures = evaluate(args.corpus, args.split)
    if args.json:
        print(json.dumps(figures.as_dict(), indent=2))
    else:
        print_figures(figures, args.split, args.top)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
