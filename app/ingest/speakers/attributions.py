"""The speech verbs of one sentence and who is their subject: "X said", "said X", "according
to X", "X, who said", "X did this, saying", "X is warning".

speakers.py walks the paragraphs and gives quotations to these attributions; this module
only reads one sentence's tokens (quotations masked) and returns what it found.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from app.ingest.speakers.cues import INVERTIBLE, SPEECH_PARTICIPLES, SPEECH_VERBS
from app.ingest.speakers.names import STOP_CAPS, is_cap
from app.ingest.speakers.quotes import Token
from app.ingest.speakers.roles import UNNAMED_NOUNS, is_role_word, looks_like_org
from app.ingest.speakers.subjects import (
    Subject,
    parse_coordinated_subject,
    parse_left_subject,
    parse_name_phrase,
    parse_open_appositive,
    parse_right_subject,
)
from app.ingest.speakers.vocabulary import wordset


@dataclass
class Attr:
    verb: str
    verb_start: int  # offset in paragraph
    verb_end: int
    subj_start: int
    subj_end: int
    subject: Subject
    inverted: bool
    relative: bool = False  # "X, who said ...": the main clause's own verb may follow


_OBJECT_PRONOUNS = {"him": "m", "her": "f"}


def _source_in_phrase(phrase: list[str]) -> Subject | None:
    """The person inside "according to calculations by Jane Doe of MIT", "... to him"."""
    if len(phrase) == 1 and phrase[0].lower() in _OBJECT_PRONOUNS:
        low = phrase[0].lower()
        return Subject(kind="pronoun", gender=_OBJECT_PRONOUNS[low], surface=phrase[0])
    end = len(phrase)
    for k in range(len(phrase) - 1, -1, -1):
        if phrase[k] in {"of", "at"}:
            end = k  # "Jane Doe of the Institute": the name ends before "of"
    for k in range(end - 1, 0, -1):
        if phrase[k - 1].lower() in {"by", "from", "with"} or k == 1:
            candidate = parse_name_phrase(phrase[k if k > 1 else 0 : end])
            if (
                candidate is not None
                and candidate.kind == "person"
                and len(candidate.tokens) >= 2
                and not looks_like_org(candidate.tokens)
            ):
                return candidate
            if phrase[k - 1].lower() in {"by", "from", "with"}:
                break
    return None


def _common_word(token: str, text: str) -> bool:
    """ "Aides said", "Critics say": the article also writes the word in lower case, or
    it is the plural of a word it uses ("Democrats" beside "Democrat")."""
    low = token.lower()
    if low in UNNAMED_NOUNS or is_role_word(low):
        return True  # "Aides said", "Officials say"
    # a substring test first: most names never appear in lower case, and it costs nothing
    if low not in text and not (token.endswith("s") and token[:-1] in text):
        return False
    words = _words_of(text)
    return low in words or (token.endswith("s") and token[:-1] in words)


@functools.lru_cache(maxsize=4)
def _words_of(text: str) -> frozenset[str]:
    """Every word of an article as written, read once however many names are checked."""
    return frozenset(re.findall(r"[\w'-]+", text))


def find_attributions(toks: list[Token], text: str = "") -> list[Attr]:
    """Speech verbs in one sentence (quotes masked) with their subjects."""
    texts = [t.text for t in toks]
    attrs: list[Attr] = []
    for v, tok in enumerate(toks):
        low = tok.text.lower()
        according = low == "according" and v + 1 < len(toks) and toks[v + 1].text.lower() == "to"
        participle = low in SPEECH_PARTICIPLES
        # "as Jane Doe put it, ...": the idiom is a verb of saying
        puts_it = low in {"put", "puts"} and v + 1 < len(toks) and toks[v + 1].text == "it"
        if (
            (low not in SPEECH_VERBS and not participle and not puts_it) or tok.text != low
        ) and not according:
            continue
        lb = v
        while lb > 0 and texts[lb - 1] not in {"\x00"} and not texts[lb - 1].startswith("\x00"):
            lb -= 1
        rb = v + 1
        while rb < len(toks) and not texts[rb].startswith("\x00"):
            rb += 1
        if participle:
            found = _participle_attribution(toks, lb, v, attrs)
            if found is not None:
                attrs.append(found)
            continue
        if according:
            right = texts[v + 2 : rb]
            cut = next((k for k, w in enumerate(right) if w in {",", ".", ";"}), len(right))
            phrase = right[:cut]
            subject = parse_right_subject(phrase) if phrase else None
            if phrase and (subject is None or subject.kind != "person"):
                subject = _source_in_phrase(phrase) or subject
            if subject is None and phrase:
                subject = Subject(kind="desc", surface=" ".join(phrase), organisation=None)
                org = [w for w in phrase if is_cap(w) and w.lower() not in STOP_CAPS]
                subject.organisation = " ".join(org) or None
            if subject is None:
                continue
            s_end = toks[min(v + 1 + cut, len(toks) - 1)].end if cut else toks[v + 1].end
            attrs.append(
                Attr(
                    "according to",
                    tok.start,
                    toks[v + 1].end,
                    toks[v + 1].end,
                    s_end,
                    subject,
                    True,
                )
            )
            continue
        left = texts[lb:v]
        relative = _relative_subject(toks, lb, v)
        if relative is not None:
            attrs.append(relative)
            continue
        subject, s_idx = parse_left_subject(left) if left else (None, 0)
        if subject is None and len(left) >= 3 and left[-1] == "to":
            subject, s_idx = _subject_before_to(left)
        if left and (subject is None or subject.kind in {"desc", "org"}):
            named, n_idx = parse_open_appositive(left)
            if named is not None:
                subject, s_idx = named, n_idx
        if (
            subject is not None
            and subject.kind == "person"
            and len(subject.tokens) == 1
            and (
                len(left) == 1
                or (s_idx == len(left) - 1 and left[s_idx - 1] == ",")
                # "Khalif has previously said": only an auxiliary or adverbs between
                or (s_idx == 0 and len(left) <= 4 and all(w.islower() for w in left[1:]))
            )
            and not looks_like_org(subject.tokens)
            and not _common_word(subject.tokens[0], text)
        ):
            # "Khalif said ...", '"...," Khalif said': a lone name right before the verb,
            # with nothing else in its clause, is a person even if never introduced
            subject.definite = True
        if subject is not None and subject.kind != "skip":
            s_start = toks[lb + s_idx].start if lb + s_idx < v else tok.start
            verb_end = toks[v + 1].end if puts_it else tok.end
            # "X, a former governor who argued ..., said": the main verb may still follow
            relative = _after_who(left)
            attrs.append(
                Attr(low, tok.start, verb_end, s_start, toks[v - 1].end, subject, False, relative)
            )
            continue
        if puts_it:
            continue
        if subject is not None and subject.kind == "skip":
            attrs.append(Attr(low, tok.start, tok.end, tok.start, tok.end, subject, False))
            continue
        if left and left[-1].lower() in {"and", "but"}:
            # "... and called him a liar", "... but told the crowd that ...": the content
            # after an object verb is checked when its clause is read
            subject = parse_coordinated_subject(left[:-1]) or _main_subject(left[:-1])
            if subject is not None:
                s_start = toks[lb].start
                attrs.append(
                    Attr(low, tok.start, tok.end, s_start, toks[v - 1].end, subject, False)
                )
                continue
        if low in INVERTIBLE and (
            not left or left[-1] in {",", "\x00"} or left[-1].startswith("\x00")
        ):
            right = texts[v + 1 : rb]
            subject = parse_right_subject(right) if right else None
            if (
                subject is not None
                and subject.kind == "person"
                and len(subject.tokens) == 1
                and right[0] == subject.tokens[0]
                and (len(right) == 1 or right[1] in {",", ".", ";"})
                and not looks_like_org(subject.tokens)
                and not _common_word(subject.tokens[0], text)
            ):
                # '"...," said Khalif.': a lone name right after the verb is a person too
                subject.definite = True
            if subject is not None:
                attrs.append(Attr(low, tok.start, tok.end, tok.end, tok.end, subject, True))
    return attrs


_PROGRESSIVE = wordset("is was are were been be has have had also still now")
# What joins a participle to the clause whose subject speaks: "X did this, saying ...",
# "X ended by saying ...".
_PARTICIPLE_LINKS = {",", "\u2014", "\u2013", "-", "by", "before", "after", "while", "when"}


# "X declined to say": no words of X's follow
_NOT_SAYING = wordset("declined refused failed hesitated reluctant unable unwilling afraid")


def _subject_before_to(left: list[str]) -> tuple[Subject | None, int]:
    """The speaker of "X went on to say", "X was quick to add", "X has continued to argue"."""
    k = len(left) - 1
    while k > 0 and len(left) - 1 - k < 3 and left[k - 1].isalpha() and left[k - 1].islower():
        k -= 1
    chain = left[k:-1]
    if not chain or any(w in _NOT_SAYING for w in chain):
        return None, 0
    subject, s_idx = parse_left_subject(left[:k])
    if subject is None or subject.kind not in {"person", "pronoun"}:
        return None, 0
    return subject, s_idx


def _after_who(left: list[str]) -> bool:
    """Whether the verb opens a relative clause: "... who argued", "... who has said"."""
    k = len(left)
    while k and left[k - 1].lower() in _PROGRESSIVE:
        k -= 1
    return bool(k) and left[k - 1].lower() == "who"


def _relative_subject(toks: list[Token], lb: int, v: int) -> Attr | None:
    """ "Jane Doe of Ohio, the panel's chair, who said ...": the person the clause is about."""
    left = [t.text for t in toks[lb:v]]
    k = len(left)
    while k and left[k - 1].lower() in _PROGRESSIVE:
        k -= 1
    if k < 3 or left[k - 1].lower() != "who" or left[k - 2] != ",":
        return None
    # "Jane Doe, the chair, who said": read with its comma, the appositive comes along
    subject, s_idx = parse_left_subject(left[: k - 1])
    if subject is None or subject.kind != "person":
        subject, s_idx = parse_left_subject(left[: k - 2])
    if subject is None or subject.kind != "person":
        return None
    tok = toks[v]
    start = toks[lb + s_idx].start
    return Attr(tok.text, tok.start, tok.end, start, toks[lb + k - 3].end, subject, False, True)


def _participle_attribution(toks: list[Token], lb: int, v: int, attrs: list[Attr]) -> Attr | None:
    """ "X is warning ...", "X has been arguing ...", "X did this, saying ..."."""
    tok = toks[v]
    left = [t.text for t in toks[lb:v]]
    while len(left) > 1 and left[-1].endswith("ly") and left[-1].islower():
        left.pop()  # "..., eventually saying", "is now openly arguing"
    k = len(left)
    if [w.lower() for w in left[-2:]] == ["quoted", "as"]:
        k -= 2  # "X was quoted as saying"
    while k and left[k - 1].lower() in _PROGRESSIVE:
        k -= 1
    if k < len(left):
        if not k:
            return None
        subject, s_idx = parse_left_subject(left[:k])
        if subject is None or subject.kind == "skip":
            return None
        start = toks[lb + s_idx].start
        return Attr(tok.text, tok.start, tok.end, start, toks[lb + k - 1].end, subject, False)
    if left and is_cap(left[-1]) and k == len(left):
        # "with Gov. Jane Doe calling the plan a fraud", "about Jane Doe saying ...": the
        # name right before the participle is its subject
        subject, s_idx = parse_left_subject(left)
        lead = left[s_idx - 1].lower() if s_idx > 0 else ""
        if (
            subject is not None
            and subject.kind == "person"
            and len(subject.tokens) >= 2
            and lead in {"with", "about", "of", "after", "by", "and"}
        ):
            return Attr(
                tok.text,
                tok.start,
                tok.end,
                toks[lb + s_idx].start,
                toks[v - 1].end,
                subject,
                False,
            )
    if attrs and left and left[-1] == "," and not attrs[-1].inverted:
        # "X said on Tuesday, noting that ...": the participle reports for X again
        if attrs[-1].subject.kind in {"person", "pronoun"}:
            return Attr(tok.text, tok.start, tok.end, tok.start, tok.end, attrs[-1].subject, False)
        return None
    if attrs or not left or left[-1].lower() not in _PARTICIPLE_LINKS:
        return None
    subject = _main_subject(left[:-1])
    if subject is None:
        return None
    return Attr(tok.text, tok.start, tok.end, tok.start, tok.end, subject, False)


def _person_noun(word: str) -> bool:
    """A noun for people ("leaders", "officials", "senator"), not a verb."""
    low = word.lower()
    return low in UNNAMED_NOUNS or is_role_word(low) or is_role_word(low.rstrip("s"))


def _main_subject(left: list[str]) -> Subject | None:
    """The subject of the clause a participle hangs on: the phrase before its first verb."""
    # "Gov. Jane Doe of Ohio, who ..., stuck to policy, saying": the name that opens the
    # clause, at the start or after an opening phrase ("Speaking in Ohio, Doe went ...")
    starts = [0] + [k + 1 for k, w in enumerate(left) if w == ","]
    for begin in starts[:4]:
        if begin >= len(left) or not is_cap(left[begin]):
            continue
        j = next(
            (
                k
                for k in range(begin, len(left))
                if left[k] in {",", "(", "\u2014", "-"} or left[k].islower()
            ),
            len(left),
        )
        if begin < j < len(left) and left[j].islower():
            if _person_noun(left[j]):
                continue  # "Central European leaders warned": no name, a description
            subject, _ = parse_left_subject(left[begin:j])
            if subject is not None and subject.kind == "person":
                return subject
    tries = 0
    for k in range(1, len(left)):
        word = left[k]
        if not word.isalpha() or not word.islower():
            continue
        if word not in _PROGRESSIVE and not word.endswith(("ed", "s")) or _person_noun(word):
            continue
        subject, s_idx = parse_left_subject(left[:k])
        clause_start = (
            s_idx == 0
            or left[s_idx - 1] in {",", "\u2014", "\u2013", "-"}
            # "Democratic presidential nominee Jane Doe weighed in": adjectives before a title
            or s_idx <= 3
            and all(
                w.isalpha() and w.lower() not in _PROGRESSIVE and not w.endswith("ed")
                for w in left[:s_idx]
            )
        )
        if subject is not None and subject.kind in {"person", "pronoun"} and clause_start:
            return subject
        tries += 1
        if tries == 2:
            return None
    return None
