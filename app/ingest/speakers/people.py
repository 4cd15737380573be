"""People met in an article: their names, roles and mentions, and whom a pronoun or title means."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field

from app.ingest.speakers.names import (
    KEY_SPLIT_RE,
    PARTICLES,
    STOP_CAPS,
    key_tokens,
    same_person,
    strip_accents,
)
from app.ingest.speakers.quotes import WORD_RE, QuoteIn, Token
from app.ingest.speakers.roles import (
    APPOSITIVE_LEAD,
    INSTITUTION_NOUNS,
    UNNAMED_NOUNS,
    find_role_after_copula,
    is_weak_role,
    looks_like_org,
    parse_appositive,
    stronger_role,
)
from app.ingest.speakers.subjects import Subject, ends_name, parse_name_phrase
from app.ingest.speakers.vocabulary import ROLE_WORDS, wordset

# Words before a capitalised run that mark it as an organisation, not a person.
_COMPLEMENT_CUES = wordset(
    "of at from for with by group firm company charity lab consultancy startup start-up "
    "institute agency the to in on"
)

_INNER_CAP_RE = re.compile(r"(?<=[\s(\-\u2013\u2014])[A-Z\u00c0-\u00de]")


@dataclass
class Person:
    tokens: list[str]
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    surfaces: list[str] = field(default_factory=list)
    quotes: list[QuoteIn] = field(default_factory=list)

    @property
    def name(self) -> str:
        return " ".join(self.tokens)

    def has_quote(self, text: str, paragraph: int) -> bool:
        return any(q.text == text and q.paragraph == paragraph for q in self.quotes)


@dataclass
class Mention:
    pos: int
    sentence: int
    person: Person
    subject: bool


class People:
    """Everyone named so far, and each mention in reading order, for later coreference."""

    def __init__(self) -> None:
        self.people: list[Person] = []
        self.mentions: list[Mention] = []
        self.sentence_id = 0
        self.name_tokens: set[str] = set()  # every token of every known name
        self.text = ""  # the whole article, read when a bare surname needs its full name
        self.last_speaker: Person | None = None  # breaks ties between two people for "he"
        self._fuller: dict[str, Subject | None] = {}

    def fuller_name(self, token: str) -> Subject | None:
        """The one full name ending in this bare surname anywhere in the article.

        "Kerry said" in paragraph 9 is the "John Kerry" of a quotation in paragraph 3: names
        inside quotations, headlines and non-speech sentences count here. None when no
        such name exists, or two different people share the surname.
        """
        if token in self._fuller:
            return self._fuller[token]
        named: list[list] = []  # [subject, times named], one entry per different person
        text = self.text
        at = text.find(token)
        while at != -1:
            end = at + len(token)
            after = text[end : end + 3]
            whole = (not at or not text[at - 1].isalnum()) and (
                not after[:1].isalnum() and after[:1] not in {"'", "-"} or after[:2] == "'s"
            )  # "James Doe" or "James Doe's", not "Does"
            before = text[max(0, at - 60) : at].split()[-3:] if whole else []
            at = text.find(token, end)
            # up to three capitalised words (titles, initials, given names) right before it
            while before and not before[0][:1].isupper():
                before = before[1:]
            if not before or not text[end - len(token) - 1 : end - len(token)].isspace():
                continue
            subject = parse_name_phrase([*before, token])
            if subject is None or subject.kind != "person" or len(subject.tokens) < 2:
                continue
            if looks_like_org(subject.tokens) or subject.tokens[-1] != token:
                continue
            name = " ".join(subject.tokens)
            entry = next((e for e in named if same_person(" ".join(e[0].tokens), name)), None)
            if entry is None:
                named.append([subject, 1])
                continue
            entry[1] += 1
            if len(subject.tokens) > len(entry[0].tokens):
                entry[0] = subject
        named.sort(key=lambda entry: -entry[1])
        # Two people share the surname: the one named at least twice as often, else nobody
        found = None
        if named and (len(named) == 1 or named[0][1] >= 2 * named[1][1]):
            found = named[0][0]
        self._fuller[token] = found
        return found

    def find(self, tokens: list[str], gender: str | None = None) -> tuple[Person | None, bool]:
        """The person a name refers to; second value True when the name is ambiguous."""
        name = " ".join(tokens)
        key = key_tokens(name)
        for p in self.people:
            if key_tokens(p.name) == key:
                return p, False
        low = _fold(tuple(tokens))
        cands = []
        for p in self.people:
            ptoks = _fold(tuple(p.tokens))
            if len(low) == 1:
                if low[0] in ptoks:
                    cands.append(p)
            elif (
                same_person(name, p.name)
                or (len(ptoks) == 1 and ptoks[0] == low[-1])
                or (len(low) < len(ptoks) and ptoks[-len(low) :] == low)
            ):
                cands.append(p)
        if gender:
            narrowed = [p for p in cands if p.gender in (gender, None)]
            if len(narrowed) > 1:
                known = [p for p in narrowed if p.gender == gender]
                narrowed = known or narrowed
            cands = narrowed
        if len(cands) == 1:
            return cands[0], False
        if len(low) == 1 and len(cands) > 1:
            # "Varga said" after both Odile and Pal Varga: the one already quoted, if only one
            speaking = [p for p in cands if p.quotes]
            if len(speaking) == 1:
                return speaking[0], False
            # both quoted: the one quoted at least twice as often as the others together
            # (a writer names the article's main figure by surname, a relative by first name)
            speaking.sort(key=lambda p: -len(p.quotes))
            if speaking and len(speaking[0].quotes) >= 2 * sum(len(p.quotes) for p in speaking[1:]):
                return speaking[0], False
        return None, len(cands) > 1

    def register(self, subject: Subject, pos: int, is_subject: bool) -> Person | None:
        person, ambiguous = self.find(subject.tokens, subject.gender)
        if ambiguous:
            return None
        if person is None and len(subject.tokens) == 1:
            fuller = self.fuller_name(subject.tokens[0])
            if fuller is not None:
                person, ambiguous = self.find(fuller.tokens, subject.gender)
                if ambiguous:
                    return None
                if person is None:
                    subject.tokens = list(fuller.tokens)
                    subject.role = subject.role or fuller.role
        if person is None:
            if len(subject.tokens) == 1 and not (
                subject.role or subject.gender or subject.definite
            ):
                return None
            person = Person(tokens=list(subject.tokens))
            self.people.append(person)
        elif len(subject.tokens) > len(person.tokens):
            person.tokens = list(subject.tokens)
        self.name_tokens.update(person.tokens)
        if subject.gender and person.gender is None:
            person.gender = subject.gender
        if subject.role and (person.role is None or not is_weak_role(subject.role)):
            person.role = stronger_role(person.role, subject.role)
        if subject.affiliation and person.affiliation is None:
            person.affiliation = subject.affiliation
        if subject.surface and subject.surface not in person.surfaces:
            person.surfaces.append(subject.surface)
        self.mentions.append(Mention(pos, self.sentence_id, person, is_subject))
        return person

    def resolve_pronoun(self, gender: str | None, pos: int) -> Person | None:
        """Nearest compatible mention; None when two people in that sentence fit equally."""
        for k in range(len(self.mentions) - 1, -1, -1):
            m = self.mentions[k]
            if m.pos >= pos or not _compatible(m.person, gender):
                continue
            same = [
                x
                for x in self.mentions
                if x.sentence == m.sentence and x.pos < pos and _compatible(x.person, gender)
            ]
            people = {id(x.person): x.person for x in same}
            if len(people) == 1:
                return m.person
            subjects = {id(x.person): x.person for x in same if x.subject}
            if len(subjects) == 1:
                return next(iter(subjects.values()))
            # Two fit: one whose gender is known to match, else whoever spoke last
            known = [p for p in people.values() if gender and p.gender == gender]
            if len(known) == 1:
                return known[0]
            if self.last_speaker is not None and id(self.last_speaker) in people:
                return self.last_speaker
            return None
        return None

    def resolve_description(self, subject: Subject, pos: int) -> Person | None:
        head = subject.head or ""
        words = set(head.split())
        matches = [
            m
            for m in self.mentions
            if m.pos < pos
            and m.person.role
            and words & set(KEY_SPLIT_RE.split(m.person.role.lower()))
            and all(w in m.person.role.lower() for w in head.split())
        ]
        if matches:
            return matches[-1].person
        if head in UNNAMED_NOUNS or head.rstrip("s") in UNNAMED_NOUNS or head in INSTITUTION_NOUNS:
            return None
        if not subject.definite:
            return None
        return self.resolve_pronoun(None, pos)

    def resolve(self, subject: Subject, pos: int) -> Person | None:
        if subject.kind == "pronoun":
            if subject.gender is None:
                return None
            person = self.resolve_pronoun(subject.gender, pos)
            if person is not None:
                if person.gender is None:
                    person.gender = subject.gender
                self.mentions.append(Mention(pos, self.sentence_id, person, True))
            return person
        if subject.kind == "person":
            person = self.register(subject, pos, True)
            for partner in subject.partners:
                self.register(partner, pos, True)
            return person
        if subject.kind == "desc" and subject.definite:
            person = self.resolve_description(subject, pos)
            if person is not None:
                self.mentions.append(Mention(pos, self.sentence_id, person, True))
            return person
        return None


@functools.lru_cache(maxsize=4096)
def _fold(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """Name tokens without accents or case; cached because find() folds every known name."""
    return tuple(strip_accents(t).casefold() for t in tokens)


def _compatible(person: Person, gender: str | None) -> bool:
    return gender is None or person.gender in (None, gender)


def scan_mentions(ex: People, toks: list[Token], base: int) -> None:
    """Register people named in running text (not only speakers) for later pronouns."""
    texts = [t.text for t in toks]
    lows = [t.lower() for t in texts]
    caps = [t[:1].isupper() for t in texts]
    i = 0
    n = len(texts)
    subject_end = -2  # where the sentence's subject name ends, once met
    while i < n:
        # a run starts at a capital, or at a role word just before one ("councillor Jane")
        if not (caps[i] or (lows[i] in ROLE_WORDS and i + 1 < n and caps[i + 1])):
            i += 1
            continue
        j = i
        while j < n and (
            caps[j]
            and lows[j] not in STOP_CAPS
            or lows[j].rstrip(".") in ROLE_WORDS
            or texts[j] in PARTICLES
            or (
                lows[j] in {"of", "for", "and"}
                and j + 1 < n
                and caps[j + 1]
                and not (texts[j] == "and" and j > 0 and ends_name(texts, j - 1))
            )
        ):
            j += 1
        if j == i:
            i += 1
            continue
        phrase = texts[i:j]
        subject = parse_name_phrase(phrase)
        prev = texts[i - 1].lower() if i > 0 else ""
        if (
            subject
            and prev in _COMPLEMENT_CUES
            and not (subject.gender or subject.role)
            and len(subject.tokens) >= 2
        ):
            subject = None
        if (
            subject
            and not looks_like_org(subject.tokens)
            and not (subject.role is None and looks_like_org(phrase))
        ):
            if prev == "," and j < n and texts[j] == ",":
                # "Japan's digital minister, Jane Doe," / "The committee chair, Dame X,"
                k = i - 2
                while k >= 0 and (
                    texts[k].lower() in ROLE_WORDS
                    or texts[k].endswith(("'s", "\u2019s"))
                    or texts[k].lower() in {"the", "its", "his", "her", "their", "whose"}
                ):
                    k -= 1
                desc = texts[k + 1 : i - 1]
                if not desc or desc[0].lower() not in APPOSITIVE_LEAD | {"whose"}:
                    # "The hospital's director of workforce, Jane Doe,": back to the boundary
                    b = i - 2
                    while b >= 0 and texts[b] not in {",", ".", "\x00", ";", ":"} and i - b < 12:
                        b -= 1
                    longer = texts[b + 1 : i - 1]
                    if longer and (
                        longer[0].lower() in APPOSITIVE_LEAD or longer[0].endswith("'s")
                    ):
                        desc = longer
                if desc and desc[0].lower() == "whose":
                    desc = ["the", *desc[1:]]
                parsed = parse_appositive(desc) if desc else None
                if parsed:
                    subject.role = parsed[0]
                    subject.affiliation = subject.affiliation or parsed[1]
            if len(subject.tokens) >= 2 or subject.gender or subject.role:
                if j < n and texts[j] == ",":
                    # "Jane Doe, role at Org," (or to the end of the sentence)
                    k = j + 1
                    while k < n and texts[k] not in {",", ".", "\x00", ";"}:
                        k += 1
                    parsed = parse_appositive(texts[j + 1 : k])
                    if parsed:
                        subject.role = stronger_role(subject.role, parsed[0])
                        subject.affiliation = subject.affiliation or parsed[1]
                elif j + 1 < n and (as_at := find_role_after_copula(lows, j)) is not None:
                    # "Jane Doe is the chief scientist at Org", "... took over as commissioner"
                    k = as_at
                    while k < n and texts[k] not in {",", ".", "\x00", ";"}:
                        k += 1
                    if k > as_at:
                        parsed = parse_appositive(texts[as_at:k])
                        if parsed:
                            subject.role = stronger_role(subject.role, parsed[0])
                            subject.affiliation = subject.affiliation or parsed[1]
                # The first name in a sentence (and one coordinated with it) is most often its
                # subject, which a later "he" means: measured on real news, not assumed.
                is_subject = i == 0 or (i == subject_end + 1 and lows[i - 1] == "and")
                ex.register(subject, base + toks[i].start, is_subject)
                if is_subject:
                    subject_end = j
            elif len(subject.tokens) == 1:
                person, _ = ex.find(subject.tokens)
                if person is not None:
                    # "Chatwal was trying ...; indeed, he had stated": a known surname opening
                    # the sentence is its subject too
                    is_subject = i == 0 or (i == subject_end + 1 and lows[i - 1] == "and")
                    ex.mentions.append(
                        Mention(base + toks[i].start, ex.sentence_id, person, is_subject)
                    )
                    if is_subject:
                        subject_end = j
        i = j


def names_someone(ex: People, masked: str, start: int, end: int) -> bool:
    """Whether a sentence may name a person: a capital after its first word, or a known name."""
    if _INNER_CAP_RE.search(masked, start + 1, end):
        return True
    first = WORD_RE.search(masked, start, end)
    return first is not None and first.group() in ex.name_tokens


def learn_gender_from_clause(person: Person, clause: str) -> None:
    """ "Jane Doe said her team ..." tells us which pronoun fits her later."""
    if person.gender is not None:
        return
    words = clause.lower().split()[:3]
    for w in words:
        w = w.strip(",.:")
        if w in {"he", "his", "him"}:
            person.gender = "m"
            return
        if w in {"she", "her"}:
            person.gender = "f"
            return
