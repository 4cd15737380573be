"""Which themes of the taxonomy an article is about, scored, with the phrases that show it."""

from __future__ import annotations

import math
import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_TAXONOMY = Path(__file__).resolve().parent.parent / "taxonomy" / "themes.toml"

TITLE_WEIGHT = 2.5  # a phrase in the headline counts this many body mentions
MIN_SCORE = 2.0  # length-normalised score a theme needs
MIN_PHRASES = 2  # distinct phrases a theme needs: one passing word is not enough
RELATIVE_FLOOR = 0.3  # themes far weaker than the strongest are noise


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
    # first word stem -> phrases starting with it, longest first: (stems, key)
    by_first: dict[str, list[tuple[tuple[str, ...], str]]]
    by_key: dict[str, list[tuple[int, str, float]]]  # phrase key -> (theme index, phrase, weight)


_MATCHERS: dict[int, _Matcher] = {}
_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_SENTENCE_PUNCT = ".!?:\n"


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
    """Fold simple English plurals so "data centres" meets "data centre"."""
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    if len(word) > 4 and word.endswith(("ches", "shes", "sses", "xes")):
        return word[:-2]
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        if len(word) > 4 and word.endswith(("us", "is")):  # "campus", "analysis"
            return word
        return word[:-1]
    return word


def _stems(text: str) -> tuple[str, ...]:
    return tuple(_stem(w.lower()) for w in _WORD_RE.findall(text))


def _matcher(taxonomy: list[ThemeDef]) -> _Matcher:
    """Index the taxonomy's phrases once; articles are then matched word by word."""
    cached = _MATCHERS.get(id(taxonomy))
    if cached is not None and cached.taxonomy is taxonomy:
        return cached
    by_key: dict[str, list[tuple[int, str, float]]] = {}
    by_first: dict[str, list[tuple[tuple[str, ...], str]]] = {}
    for index, theme in enumerate(taxonomy):
        strongest: dict[tuple[str, ...], tuple[str, float]] = {}  # "skill" and "skills" are one
        for phrase, weight in theme.phrases.items():
            stems = _stems(phrase)
            if stems and (stems not in strongest or weight > strongest[stems][1]):
                strongest[stems] = (phrase, weight)
        for stems, (phrase, weight) in strongest.items():
            key = " ".join(stems)
            if key not in by_key:
                by_first.setdefault(stems[0], []).append((stems, key))
            by_key.setdefault(key, []).append((index, phrase, weight))
    for entries in by_first.values():
        entries.sort(key=lambda entry: len(entry[0]), reverse=True)
    matcher = _Matcher(taxonomy, by_first, by_key)
    _MATCHERS[id(taxonomy)] = matcher
    return matcher


@lru_cache(maxsize=1 << 16)
def _folded(word: str) -> str:
    """A written word's stem: an article's words repeat, and C's cache is cheaper than
    `_stem` (a fifth of theme matching went to stemming every word afresh)."""
    return _stem(word.lower())


def _count(matcher: _Matcher, text: str, *, skip_names: bool = True) -> dict[str, int]:
    """Phrase key -> occurrences, longest phrase first, on word boundaries."""
    written = _WORD_RE.findall(text)
    stems = list(map(_folded, written))
    words: list[re.Match] | None = None  # positions, needed only for a capitalised word
    counts: dict[str, int] = {}
    firsts = matcher.by_first
    after = 0  # words before this are inside a phrase already counted
    for i in [index for index, stem in enumerate(stems) if stem in firsts]:
        if i < after:
            continue
        for phrase, key in firsts[stems[i]]:
            size = len(phrase)
            if tuple(stems[i : i + size]) != phrase:
                continue
            word = written[i]
            if skip_names and size == 1 and word[0].isupper() and word[1:].islower():
                if words is None:
                    words = list(_WORD_RE.finditer(text))
                if not _starts_sentence(text, words[i].start()):
                    break  # "Trust" in "Westfield Hospitals Trust" is a name, not the theme
            counts[key] = counts.get(key, 0) + 1
            after = i + size
            break
    return counts


def _starts_sentence(text: str, pos: int) -> bool:
    before = text[max(0, pos - 3) : pos].rstrip(" \"'\u201c\u2018\u201e\u00ab\u00bb(")
    return not before or before[-1] in _SENTENCE_PUNCT


def assign_themes(title: str, paragraphs: list[str], taxonomy: list[ThemeDef]) -> list[ThemeMatch]:
    """Themes with enough support in the article, strongest first, each with its evidence."""
    if not taxonomy:
        return []
    matcher = _matcher(taxonomy)
    body = "\n".join(paragraphs)
    body_counts = _count(matcher, body)
    title_counts = _count(matcher, title, skip_names=False)
    words = max(len(body.split()), 1)
    length_norm = max(1.0, math.sqrt(words / 400))

    scores = [0.0] * len(taxonomy)
    evidence: list[dict[str, int]] = [{} for _ in taxonomy]
    in_title: list[set[str]] = [set() for _ in taxonomy]
    in_body: list[set[str]] = [set() for _ in taxonomy]
    for counts, is_title in ((body_counts, False), (title_counts, True)):
        for key, count in counts.items():
            for index, phrase, weight in matcher.by_key.get(key, ()):
                (in_title if is_title else in_body)[index].add(phrase)
                if is_title:
                    scores[index] += weight * TITLE_WEIGHT
                else:
                    scores[index] += weight * (1 + math.log(count)) / length_norm
                evidence[index][phrase] = evidence[index].get(phrase, 0) + count

    matches = []
    for index, theme in enumerate(taxonomy):
        strong = sum(1 for p in evidence[index] if theme.phrases[p] >= 0.5)
        # a headline phrase the body repeats is as good as two distinct phrases
        headline = any(theme.phrases[p] >= 1.0 for p in in_title[index] & in_body[index])
        if (strong < MIN_PHRASES and not headline) or scores[index] < MIN_SCORE:
            continue
        matches.append(ThemeMatch(theme.slug, theme.name, round(scores[index], 3), evidence[index]))
    if matches:
        top = max(m.score for m in matches)
        matches = [m for m in matches if m.score >= top * RELATIVE_FLOOR]
    matches.sort(key=lambda m: (-m.score, m.slug))
    return matches
