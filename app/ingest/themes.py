"""Which themes of the taxonomy an article is about, scored, with the phrases that show it."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "taxonomy" / "themes.toml"

TITLE_WEIGHT = 2.5  # a phrase in the headline counts this many body mentions
MIN_SCORE = 2.0  # length-normalised score a theme needs
MIN_PHRASES = 2  # distinct phrases a theme needs: one passing word is not enough
RELATIVE_FLOOR = 0.25  # themes far weaker than the strongest are noise


@dataclass(frozen=True)
class ThemeDef:
    slug: str
    name: str
    description: str
    phrases: dict[str, float]  # phrase -> weight


@dataclass
class ThemeMatch:
    slug: str
    name: str
    score: float
    evidence: dict[str, int]  # phrase -> count


@dataclass
class _Matcher:
    taxonomy: list[ThemeDef]
    pattern: re.Pattern[str]
    by_key: dict[str, list[tuple[int, str, float]]]  # phrase key -> (theme index, phrase, weight)


_MATCHERS: dict[int, _Matcher] = {}


def load_taxonomy(path: Path | None = None) -> list[ThemeDef]:
    """Read the theme taxonomy (default: the packaged app/taxonomy/themes.toml)."""
    with open(path or DEFAULT_TAXONOMY, "rb") as handle:
        data = tomllib.load(handle)
    themes = []
    for slug, entry in data["themes"].items():
        phrases = {str(p).lower(): float(w) for p, w in entry.get("phrases", {}).items()}
        themes.append(ThemeDef(slug, entry["name"], entry.get("description", ""), phrases))
    return themes


def _stem(word: str) -> str:
    """Fold simple English inflections so "data centres" meets "data centre"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def _key(text: str) -> str:
    return " ".join(_stem(w) for w in re.split(r"[\s]+", text.lower().replace("\u2019", "'")) if w)


def _word_pattern(word: str) -> str:
    """One phrase word, tolerant of a plural or common verb ending."""
    stem = _stem(word)
    if stem.endswith("y") and len(stem) > 3:
        return re.escape(stem[:-1]) + r"(?:y|ies)"
    if stem.endswith("e"):
        return re.escape(stem) + r"(?:s|d)?"
    return re.escape(stem) + r"(?:s|es)?"


def _matcher(taxonomy: list[ThemeDef]) -> _Matcher:
    cached = _MATCHERS.get(id(taxonomy))
    if cached is not None and cached.taxonomy is taxonomy:
        return cached
    by_key: dict[str, list[tuple[int, str, float]]] = {}
    patterns: dict[str, str] = {}
    for index, theme in enumerate(taxonomy):
        for phrase, weight in theme.phrases.items():
            key = _key(phrase)
            by_key.setdefault(key, []).append((index, phrase, weight))
            words = phrase.lower().split()
            patterns[key] = r"\s+".join(_word_pattern(w) for w in words)
    alternatives = sorted(patterns.values(), key=len, reverse=True)
    pattern = re.compile(r"(?<![\w-])(?:" + "|".join(alternatives) + r")(?![\w-])", re.IGNORECASE)
    matcher = _Matcher(taxonomy, pattern, by_key)
    _MATCHERS[id(taxonomy)] = matcher
    return matcher


def _count(matcher: _Matcher, text: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for m in matcher.pattern.finditer(text):
        key = _key(m.group())
        counts[key] = counts.get(key, 0) + 1
    return counts


def assign_themes(title: str, paragraphs: list[str], taxonomy: list[ThemeDef]) -> list[ThemeMatch]:
    """Themes with enough support in the article, strongest first, each with its evidence."""
    if not taxonomy:
        return []
    matcher = _matcher(taxonomy)
    body = "\n".join(paragraphs)
    body_counts = _count(matcher, body)
    title_counts = _count(matcher, title)
    words = max(len(body.split()), 1)
    length_norm = max(1.0, math.sqrt(words / 400))

    scores = [0.0] * len(taxonomy)
    evidence: list[dict[str, int]] = [{} for _ in taxonomy]
    for counts, in_title in ((body_counts, False), (title_counts, True)):
        for key, count in counts.items():
            for index, phrase, weight in matcher.by_key.get(key, ()):
                if in_title:
                    scores[index] += weight * TITLE_WEIGHT
                else:
                    scores[index] += weight * (1 + math.log(count)) / length_norm
                evidence[index][phrase] = evidence[index].get(phrase, 0) + count

    matches = []
    for index, theme in enumerate(taxonomy):
        strong = sum(1 for p in evidence[index] if theme.phrases[p] >= 0.5)
        if strong < MIN_PHRASES or scores[index] < MIN_SCORE:
            continue
        matches.append(ThemeMatch(theme.slug, theme.name, round(scores[index], 3), evidence[index]))
    if matches:
        top = max(m.score for m in matches)
        matches = [m for m in matches if m.score >= top * RELATIVE_FLOOR]
    matches.sort(key=lambda m: (-m.score, m.slug))
    return matches
