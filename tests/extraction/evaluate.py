"""Score speaker, quote, theme (and, when available, metadata) extraction on a labelled set.

Run: .venv/bin/python -m tests.extraction.evaluate [SET_DIR]
(or python tests/extraction/evaluate.py [SET_DIR]).

Sets: tests/extraction/corpus (32 articles, written before the extractor, then tuned against)
and tests/extraction/holdout (32 articles written later in five batches). Each holdout batch
was scored once before any rule changed, to estimate how the rules do on unseen text:

    batch (articles)   speaker F1   quote accuracy   theme F1
    h1-h8   (8)        0.92         0.90             0.67
    h9-h14  (6)        0.83         0.76             0.60
    h15-h20 (6)        0.93         0.81             0.50
    h21-h26 (6)        0.86         0.76             0.36
    h27-h32 (6)        1.00         0.90             0.94

After each batch the rules and vocabulary were widened, so today's holdout figures are no
longer unseen-text figures; the table above is the honest estimate.
"""

from __future__ import annotations

import json
import re
import sys
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path

if __package__ in {None, ""}:  # run as a script: make the project importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from app.ingest.speakers.extraction import Attribution, extract_speakers, same_person  # noqa: E402
from app.ingest.themes import assign_themes, load_taxonomy  # noqa: E402

CORPUS = Path(__file__).parent / "corpus"
HOLDOUT = Path(__file__).parent / "holdout"


@dataclass
class Article:
    slug: str
    raw: str
    title: str
    author: str | None
    paragraphs: list[str]
    labels: dict


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


@dataclass
class Ratio:
    good: int = 0
    total: int = 0

    @property
    def value(self) -> float:
        return self.good / self.total if self.total else 1.0


@dataclass
class Report:
    speakers: Score = field(default_factory=Score)
    themes: Score = field(default_factory=Score)
    roles: Ratio = field(default_factory=Ratio)
    quotes: Ratio = field(default_factory=Ratio)
    attributed: Ratio = field(
        default_factory=Ratio
    )  # extracted attributed quotes that are labelled right
    title: Ratio = field(default_factory=Ratio)
    author: Ratio = field(default_factory=Ratio)
    date: Ratio = field(default_factory=Ratio)
    metadata_available: bool = False
    problems: dict[str, list[str]] = field(default_factory=dict)


def load_corpus(directory: Path = CORPUS) -> list[Article]:
    """Each .txt: title, optional "By X", a date line, then paragraphs split by blank lines."""
    articles = []
    for path in sorted(directory.glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        lines = raw.split("\n")
        title = lines[0].strip()
        rest = lines[1:]
        author = None
        if rest and rest[0].startswith("By "):
            author = rest[0][3:].strip()
            rest = rest[1:]
        rest = rest[1:]  # the date line
        blocks = re.split(r"\n\s*\n", "\n".join(rest))
        paragraphs = [" ".join(b.split("\n")).strip() for b in blocks if b.strip()]
        labels = json.loads(
            path.with_suffix("").with_suffix(".labels.json").read_text(encoding="utf-8")
        )
        articles.append(Article(path.stem, raw, title, author, paragraphs, labels))
    return articles


def _words(text: str) -> list[str]:
    text = text.replace("\u2019", "'").replace("\u2018", "'")
    return re.sub(r"[^\w$%']+", " ", text).lower().replace(" '", " ").replace("' ", " ").split()


def _role_matches(expected: str, got: str | None) -> bool:
    if not got:
        return False
    a, b = " ".join(_words(expected)), " ".join(_words(got))
    return a in b or b in a


def _all_quotes(result: Attribution) -> list[tuple[str, str | None]]:
    quotes = [(" ".join(_words(q.text)), s.name) for s in result.speakers for q in s.quotes]
    quotes += [(" ".join(_words(u.text)), None) for u in result.unattributed]
    return quotes


def _score_article(article: Article, report: Report, taxonomy) -> None:
    labels = article.labels
    problems = report.problems.setdefault(article.slug, [])
    result = extract_speakers(article.paragraphs, title=article.title, byline=article.author)

    expected = labels["speakers"]
    found = list(result.speakers)
    for person in expected:
        match = next((s for s in found if same_person(s.name, person["name"])), None)
        if match is None:
            report.speakers.fn += 1
            problems.append(f"missed speaker {person['name']}")
            continue
        found.remove(match)
        report.speakers.tp += 1
        if person.get("role"):
            report.roles.total += 1
            if _role_matches(person["role"], match.role):
                report.roles.good += 1
            else:
                problems.append(
                    f"role of {person['name']}: want {person['role']!r}, got {match.role!r}"
                )
    for extra in found:
        report.speakers.fp += 1
        problems.append(f"spurious speaker {extra.name} ({len(extra.quotes)} quotes)")

    extracted = _all_quotes(result)
    used: set[int] = set()
    for quote in labels["quotes"]:
        start = " ".join(_words(quote["text_start"])[:5])
        report.quotes.total += 1
        hit = next((i for i, (text, _) in enumerate(extracted) if start in text), None)
        if hit is None:
            problems.append(f"missed quote {quote['text_start']!r} ({quote['speaker']})")
            continue
        used.add(hit)
        got = extracted[hit][1]
        want = quote["speaker"]
        if (want is None and got is None) or (want and got and same_person(want, got)):
            report.quotes.good += 1
        else:
            problems.append(f"quote {quote['text_start']!r}: want {want}, got {got}")
    for i, (text, speaker) in enumerate(extracted):
        if speaker is None:
            continue
        report.attributed.total += 1
        if i in used:
            report.attributed.good += (
                1
                if any(
                    same_person(q["speaker"] or "", speaker)
                    for q in labels["quotes"]
                    if " ".join(_words(q["text_start"])[:5]) in text
                )
                else 0
            )
        else:
            problems.append(f"unlabelled quote for {speaker}: {text[:50]!r}")

    themes = {m.slug for m in assign_themes(article.title, article.paragraphs, taxonomy)}
    want_themes = set(labels["themes"])
    report.themes.tp += len(themes & want_themes)
    report.themes.fp += len(themes - want_themes)
    report.themes.fn += len(want_themes - themes)
    if themes != want_themes:
        problems.append(f"themes: want {sorted(want_themes)}, got {sorted(themes)}")

    _score_metadata(article, report, problems)


def _score_metadata(article: Article, report: Report, problems: list[str]) -> None:
    try:
        from app.ingest.document import RawDocument
        from app.ingest.extract.text import extract_text_article
    except ImportError:
        return
    report.metadata_available = True
    raw = RawDocument(
        data=article.raw.encode("utf-8"),
        origin=f"{article.slug}.txt",
        media_type="text/plain",
        fetched_at=datetime(2026, 12, 1, tzinfo=UTC),
    )
    try:
        meta = extract_text_article(raw)
    except Exception as exc:  # an extractor failure is a miss, not a crash of the evaluation
        problems.append(f"metadata extraction failed: {exc}")
        report.title.total += 1
        report.author.total += 1
        report.date.total += 1
        return
    labels = article.labels
    report.title.total += 1
    if _words(meta.title) == _words(labels["title"]):
        report.title.good += 1
    else:
        problems.append(f"title: want {labels['title']!r}, got {meta.title!r}")
    report.author.total += 1
    want_author = labels.get("author")
    if (want_author is None and not meta.author) or (
        want_author and meta.author and same_person(want_author, meta.author)
    ):
        report.author.good += 1
    else:
        problems.append(f"author: want {want_author!r}, got {meta.author!r}")
    report.date.total += 1
    want_date = date.fromisoformat(labels["date"]) if labels.get("date") else None
    got_date = meta.published.date() if meta.published else None
    if want_date == got_date:
        report.date.good += 1
    else:
        problems.append(f"date: want {want_date}, got {got_date}")


def run(directory: Path = CORPUS) -> Report:
    report = Report()
    taxonomy = load_taxonomy()
    for article in load_corpus(directory):
        _score_article(article, report, taxonomy)
    return report


def evaluate_corpus(directory: Path = CORPUS) -> dict[str, float]:
    """The headline figures, for the floor test."""
    report = run(directory)
    figures = {
        "speaker_precision": report.speakers.precision,
        "speaker_recall": report.speakers.recall,
        "speaker_f1": report.speakers.f1,
        "role_accuracy": report.roles.value,
        "quote_accuracy": report.quotes.value,
        "attributed_quote_precision": report.attributed.value,
        "theme_precision": report.themes.precision,
        "theme_recall": report.themes.recall,
        "theme_f1": report.themes.f1,
    }
    if report.metadata_available:
        figures |= {
            "title_accuracy": report.title.value,
            "author_accuracy": report.author.value,
            "date_accuracy": report.date.value,
        }
    return figures


def _counts(score: Score) -> str:
    return f"(tp {score.tp} fp {score.fp} fn {score.fn})"


def main() -> None:
    directory = Path(sys.argv[1]) if len(sys.argv) > 1 else CORPUS
    report = run(directory)
    s, t = report.speakers, report.themes
    print(f"articles: {len(report.problems)}")
    quotes, roles, attributed = report.quotes, report.roles, report.attributed
    print(f"speakers   P {s.precision:.3f}  R {s.recall:.3f}  F1 {s.f1:.3f}", _counts(s))
    print(f"roles      accuracy {roles.value:.3f}  ({roles.good}/{roles.total})")
    print(f"quotes     attribution accuracy {quotes.value:.3f}  ({quotes.good}/{quotes.total})")
    print(
        f"           attributed-quote precision {attributed.value:.3f}"
        f"  ({attributed.good}/{attributed.total})"
    )
    print(f"themes     P {t.precision:.3f}  R {t.recall:.3f}  F1 {t.f1:.3f}", _counts(t))
    if report.metadata_available:
        for name in ("title", "author", "date"):
            ratio = getattr(report, name)
            print(f"{name:<10} accuracy {ratio.value:.3f}  ({ratio.good}/{ratio.total})")
    else:
        print("title/author/date: n/a (app.ingest.text.extract_text_article not importable)")
    worst = sorted(report.problems.items(), key=lambda item: -len(item[1]))
    print("\nworst cases:")
    for slug, problems in worst[:10]:
        if not problems:
            continue
        print(f"  {slug} ({len(problems)})")
        for problem in problems:
            print(f"    - {problem}")


if __name__ == "__main__":
    main()
