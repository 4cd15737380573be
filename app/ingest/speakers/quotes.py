"""Quotations in a paragraph: quote marks, quoted spans, sentences, speech verbs, clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from app.ingest.speakers.cues import (
    COMPLEMENT_VERBS,
    DIRECT_ONLY,
    LEMMA_OF,
    OBJECT_VERBS,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    trie_pattern,
)
from app.ingest.speakers.vocabulary import ABBREVIATIONS, HONORIFICS, wordset


@dataclass
class QuoteIn:
    text: str  # the quoted words (direct) or the reported clause (reported)
    paragraph: int  # 1-based index into the paragraphs list given
    kind: str  # "direct" | "reported"
    role: str | None = None  # role as given in this article at this point
    affiliation: str | None = None


_INITIAL_END_RE = re.compile(r"(?:[A-Z]\.)*[A-Z]")
_SPACES_RE = re.compile(r"\s+")
_DQUOTE_RE = re.compile('"')
# The lookahead on first letters skips most word starts before trying ~100 alternatives.
_CUE_WORDS = SPEECH_VERBS | SPEECH_PARTICIPLES
# The lookahead on first letters skips most word starts before the trie is tried.
_VERB_INITIALS = "".join(sorted({verb[0] for verb in _CUE_WORDS} | {"a", "A", "p"}))
VERB_RE = re.compile(
    rf"\b(?=[{_VERB_INITIALS}])(?:" + trie_pattern(_CUE_WORDS) + r"|[Aa]ccording to|puts? it)\b"
)
_SUBJECT_PRONOUNS = wordset("he she they it we i")

_DQUOTES = "\u201c\u201d\u201e\u201f\u00ab\u00bb\u2033\u301d\u301e\uff02"
_SQUOTES = "\u2018\u2019\u201a\u201b"
_DQUOTES_RE = re.compile(f"[{_DQUOTES}]")
_SQUOTE_RE = re.compile(f"[{_SQUOTES}]")

# Every branch starts with a non-space: the lookahead lets whitespace fail at once
# instead of trying each branch (tokenising is the largest cost of extraction).
_TOKEN_RE = re.compile(
    r"(?=\S)(?:[a-z0-9][\w'\-&]*"
    r"|\x00+"
    r"|(?:[A-Z]\.){2,}"
    r"|[A-Z]\.(?=\s*[A-Z])"
    r"|(?:Sen|Rep|Gov|Del|Amb|Atty|Dr|Mr|Mrs|Ms|Prof|Gen|St|Jr|Sr|Lt|Sgt|Col|Capt|Hon|Rev)\.(?=\s)"
    r"|\w[\w'\-&]*"
    r"|[^\w\s])"
)
_SENTENCE_END_RE = re.compile(r"[.!?]+[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9\u00c0-\u024f\"])")
_SINGLE_OPEN_RE = re.compile(r"(?:(?<=^)|(?<=[\s(\[—–-]))\u2018(?=\S)")
TRANSCRIPT_RE = re.compile(r"^\s*(Q|A|Question|Answer)\s*[:.]\s+(.*)$", re.S)
LABEL_RE = re.compile(r"^\s*([A-Z][\w.'’\- ]{0,40}?)\s*:\s+(\S.*)$", re.S)
# A quotation's credit after a dash, alone or closing the paragraph: "― Jane Doe",
# "— Jane Doe (@janedoe) May 3, 2016", "- Jane Doe, mayor of Ava."
QUOTE_CREDIT_RE = re.compile(
    r"(?:^|(?<=[\s\"]))[\u2015\u2014\u2013-]{1,2}\s*([A-Z][^\n\"]{1,80}?)\s*"
    r"(?:\(@\w+\)\s*)?(?:[A-Z][a-z]+\.? \d{1,2}, \d{4})?\s*\.?\s*$"
)
CREDIT_RE = re.compile(
    r"^\s*\(?(photo|photograph|picture|image|illustration|credit|reporting|editing|"
    r"additional reporting|writing by|media contact|contact)\b",
    re.I,
)
WORD_RE = re.compile(r"[\w'\-]+")


class Token(NamedTuple):
    text: str
    start: int
    end: int


def tokenize(text: str, offset: int = 0) -> list[Token]:
    # tuple.__new__ skips the NamedTuple constructor's Python frame: one per token adds up.
    new = tuple.__new__
    return [
        new(Token, (m[0], m.start() + offset, m.end() + offset)) for m in _TOKEN_RE.finditer(text)
    ]


def straighten_quotes(text: str) -> str:
    """Straighten quote marks one character for one, so offsets stay valid.

    Typewriter-style pairs (the NYT's ''...'', TeX's ``...'') become '"' and a space.
    """
    if "''" in text or "``" in text:
        text = text.replace("``", '" ').replace("''", '" ')
    if text.isascii():
        return text
    return _SQUOTE_RE.sub("'", _DQUOTES_RE.sub('"', text)).replace("\u00a0", " ")


def find_quote_spans(original: str, norm: str) -> tuple[list[tuple[int, int]], bool]:
    """Spans of quoted text (marks included) and whether the last quote is left open."""
    marks = [m.start() for m in _DQUOTE_RE.finditer(norm)]
    singles = _single_quote_marks(original) if "\u2018" in original else []
    # British style: 'single' quotes outside, "double" ones only nested inside them
    if singles and (
        not marks
        or all(
            any(a < d < b for a, b in zip(singles[::2], singles[1::2], strict=True)) for d in marks
        )
    ):
        marks = singles
    spans = []
    for k in range(0, len(marks) - 1, 2):
        spans.append((marks[k], marks[k + 1] + 1))
    open_ = len(marks) % 2 == 1
    if open_:
        spans.append((marks[-1], len(norm)))
    return spans, open_


def _single_quote_marks(original: str) -> list[int]:
    """Opening and closing curly single quotes, told apart from apostrophes by position."""
    marks: list[int] = []
    for m in _SINGLE_OPEN_RE.finditer(original):
        close = original.find("\u2019", m.end())
        while close != -1 and close + 1 < len(original) and original[close + 1].isalpha():
            close = original.find("\u2019", close + 1)
        if close != -1 and (not marks or m.start() > marks[-1]):
            marks.extend([m.start(), close])
    return marks


def split_sentences(norm: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    def inside(pos: int) -> bool:
        # a full stop closing a short quoted phrase ('called it "unhinged." Next') ends the
        # sentence too; after a long quotation the attribution usually follows
        return any(
            s < pos < e - 1 and (norm[pos:e].strip(".!?\"' ") or count_words(norm[s:e]) > 6)
            for s, e in spans
        )

    bounds = []
    start = 0
    for m in _SENTENCE_END_RE.finditer(norm):
        cut = m.end()
        if inside(m.start()):
            continue
        before = norm[start : m.start()].rsplit(None, 1)  # only the last word is read
        last = before[-1] if before else ""
        last_bare = last.rstrip(".").lower()
        if last_bare in ABBREVIATIONS or last_bare in HONORIFICS or _INITIAL_END_RE.fullmatch(last):
            continue
        if last_bare in {
            "st",
            "no",
            "vs",
            "etc",
            "inc",
            "ltd",
            "co",
            "jr",
            "sr",
            "u.s",
            "e.g",
            "i.e",
        }:
            continue
        bounds.append((start, cut))
        start = cut
    if start < len(norm):
        bounds.append((start, len(norm)))
    return bounds


def count_words(text: str) -> int:
    return len(WORD_RE.findall(text))


def clean_quote(text: str) -> str:
    text = text.strip()
    text = text.strip("\"'`\u201c\u201d\u2018\u2019\u201e\u00ab\u00bb ")
    text = _SPACES_RE.sub(" ", text)
    return text.rstrip(",;: ").strip()


def mask_quotes(norm: str, spans: list[tuple[int, int]]) -> str:
    """Quoted text blanked out (same length), so verbs inside quotations are not read."""
    parts = []
    last = 0
    for s, e in spans:
        parts.append(norm[last:s])
        parts.append("\x00" * (e - s))
        last = e
    parts.append(norm[last:])
    return "".join(parts)


_AUXILIARIES = wordset("would will is was could can should might may has had does did must")
_ADVERBIAL_STARTS = wordset(
    "in on at during after before to last yesterday today earlier this later when while "
    "through via from monday tuesday wednesday thursday friday saturday sunday tonight"
)
# ", noting that ...": a participle after a speech verb starts a reported clause of its own
_PARTICIPLE_BOUNDARY_RE = re.compile(r",\s+(?:" + trie_pattern(SPEECH_PARTICIPLES) + r")\b")


_TRAILING_CONJUNCTION_RE = re.compile(r"[,;]?\s+(?:and|but)\s*$")
_CLAUSE_NOT_SPEECH = wordset(
    "after at in on during before from to with as by while against about for of"
)


def is_adverbial(clause: str) -> bool:
    """ "Referring to ...", "Asked about ...", "In a statement": scene-setting, not speech."""
    first = clause.split()[0].lower() if clause.split() else ""
    return first.endswith("ing") or first in _ADVERBIAL_STARTS or first in {"asked", "as", "for"}


_INFINITIVE_LEMMAS = wordset("promise pledge vow")


def quote_opens_clause(clause: str) -> bool:
    """'argued that "outsiders" let the port decay': a quoted phrase is the clause's first
    words, and the clause runs on after it in lower case (not a quotation of its own)."""
    close = clause.find('"', 1)
    if close < 0:
        return False
    tail = clause[close + 1 :]
    return tail[:1] == " " and tail.lstrip()[:1].islower() and count_words(tail) >= 3


def find_reported_clause(norm: str, verb: str, verb_end: int, sent_end: int) -> str | None:
    """The clause a speech verb introduces: "said (that) ..."."""
    rest = norm[verb_end:sent_end]
    boundary = _PARTICIPLE_BOUNDARY_RE.search(rest)
    if boundary:
        rest = rest[: boundary.start()]
    if LEMMA_OF.get(verb) == "call" and rest.lstrip().startswith(("for ", "on ")):
        # "called for a ban on ...": a demand, reported
        clause = rest.lstrip().split(None, 1)[1].strip()
        return clause if count_words(clause) >= 3 and not clause.startswith('"') else None
    if verb in COMPLEMENT_VERBS:
        # "called the plan a disgrace", "accused him of lying": object and complement
        clause = rest.strip().lstrip(",:").strip()
        return clause if count_words(clause) >= 2 and not clause.startswith('"') else None
    lemma = LEMMA_OF.get(verb)
    if lemma in _INFINITIVE_LEMMAS and rest.lstrip().startswith("to "):
        # "vowed to repeal the law": the promise is the content
        clause = rest.strip()
        return clause if count_words(clause) >= 3 else None
    if verb in DIRECT_ONLY:
        # "urged the board to wait", "asked him whether ...": object and request
        words = rest.split()
        if any(w.lower() in {"to", "whether", "if"} for w in words[1:6]):
            clause = rest.strip().lstrip(",:").strip()
            return clause if count_words(clause) >= 4 and not clause.startswith('"') else None
        return None
    if LEMMA_OF.get(verb) == "point":
        # "pointed out that ...", "pointed to ..."
        first = rest.split()[:1]
        if not first or first[0].lower() not in {"out", "to"}:
            return None
        rest = rest.lstrip()[len(first[0]) :]
    words = rest.split()
    if verb in OBJECT_VERBS:
        if "that" in [w.strip(",").lower() for w in words[:7]]:
            pass
        elif (
            len(words) <= 5
            and verb not in COMPLEMENT_VERBS
            and not any(w.lower() in _AUXILIARIES | {"are", "were"} for w in words)
        ):
            return None  # "X told a Senate panel Wednesday.": only whom, not what
        elif words and words[0].lower() == "the":
            words = words[2:]
        else:
            words = words[1:]
    # "said on Thursday during a taping of a town hall in Buffalo, New York, that ...": after
    # an adverbial start the "that" may come late
    adverbial = bool(words) and words[0].strip(",").lower() in _ADVERBIAL_STARTS
    lowered = [w.strip(",").lower() for w in words[: 25 if adverbial else 9]]
    if "that" in lowered:
        t = lowered.index("that")
        after = lowered[t + 1] if t + 1 < len(lowered) else ""
        pronoun_that = after in _AUXILIARIES  # "said that would ...": "that" is the subject
        if not pronoun_that and (t == 0 or lowered[0] in _ADVERBIAL_STARTS or verb in OBJECT_VERBS):
            words = words[t + 1 :]
    elif lowered and lowered[0] in _ADVERBIAL_STARTS:
        # "said on Monday they would ...": the clause starts at its pronoun subject
        k = next(
            (k for k in range(1, min(6, len(lowered))) if lowered[k] in _SUBJECT_PRONOUNS), None
        )
        if k is not None:
            words = words[k:]
    clause = " ".join(words).strip().lstrip(":,").strip()
    if not clause or (clause.startswith('"') and not quote_opens_clause(clause)):
        return None
    first = clause.split()[0].lower()
    if first in {"and", "or", "but", "nor"}:
        return None  # "what he says and promises is ...": no clause follows the verb
    if (first in _CLAUSE_NOT_SPEECH or first in _ADVERBIAL_STARTS) and "that" not in lowered:
        return None  # "told reporters after a meeting", "cautioned against ..."
    clause = _TRAILING_CONJUNCTION_RE.sub("", clause)  # "... on track, and" before a speaker
    if count_words(clause) < 3:
        return None
    return clause
