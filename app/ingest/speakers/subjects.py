"""Who a speech verb names: a person with titles, a pronoun, a description or an org."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from app.ingest.speakers.names import (
    PARTICLES,
    POSSESSIVE_RE,
    ROMAN,
    STOP_CAPS,
    is_cap,
    is_initials,
    is_nameish,
    is_upper_name,
    strip_possessive,
)
from app.ingest.speakers.places import is_place
from app.ingest.speakers.quotes import tokenize
from app.ingest.speakers.roles import (
    APPOSITIVE_LEAD,
    INSTITUTION_NOUNS,
    NOT_ROLE_HONORIFICS,
    UNNAMED_NOUNS,
    clean_affiliation,
    is_role_head,
    is_role_word,
    is_title,
    looks_like_org,
    parse_appositive,
    split_role_prefix,
    stronger_role,
)
from app.ingest.speakers.vocabulary import HONORIFICS, ROLE_HEADS, wordset

_PRONOUNS = {"he": "m", "she": "f", "they": None, "it": None, "we": None, "i": None}
_RELATIVE = wordset(
    """
    which whom where whereby
    """
)

_DETERMINERS = wordset(
    """
    the a an one two three several some its his her their our this that
    """
)

_AGE_RE = re.compile(r"^\d{1,3}-year-old$")

_QUANTIFIERS = wordset("one two three four several some many most all each both none")
_POSTMODIFIERS = wordset("familiar close briefed aware involved")


@dataclass
class Subject:
    kind: str  # person | pronoun | desc | org | skip
    tokens: list[str] = field(default_factory=list)  # name tokens (person)
    role: str | None = None
    affiliation: str | None = None
    gender: str | None = None
    surface: str = ""
    head: str | None = None  # role noun of a description
    definite: bool = False
    organisation: str | None = None
    partners: list[Subject] = field(default_factory=list)  # "X and Y said": Y's co-speakers


_PLAIN_HONORIFICS = wordset("mr mrs ms mx miss dr")
_PREPOSITIONS = wordset("of the for at from in with on to by")
_COMPLEMENT_PREPOSITIONS = wordset("of at from for with on")


def _title_as_surname(tokens: list[str], i: int) -> bool:
    """A title word ending a name after a given name: "Jo King", "Pat Dean", "Lee Judge".

    The word before must itself look like a name and be no place ("Texas Governor"), and
    a title must not stand before that word ("Prime Minister", "Attorney General").
    """
    tok = tokens[i]
    if i == 0 or not is_cap(tok) or tok.isupper() or not is_role_head(tok.lower()):
        return False
    given = tokens[i - 1]
    if given.lower().rstrip(".") in _PLAIN_HONORIFICS:
        return True  # "Mr. King"
    if not is_nameish(given) or is_place([given]) or len(given) < 3:
        return False
    return not (i >= 2 and is_role_word(tokens[i - 2].lower().rstrip(".")))


def parse_name_phrase(tokens: list[str]) -> Subject | None:
    """Parse "[affiliation] [role/title] [honorific] Given Family" ending at the last token."""
    if not tokens:
        return None
    # "Jane Doe of Some Org": the name comes before the preposition, the org after it
    for k in range(len(tokens) - 2, 0, -1):
        if tokens[k] in {"of", "from", "at", "for"}:
            tail = tokens[k + 1 :]
            if all(is_cap(t) or t in {"and", "&", "of"} for t in tail) and (
                is_nameish(tokens[k - 1]) or ROMAN.match(tokens[k - 1])
            ):
                inner = parse_name_phrase(tokens[:k])
                if inner is not None:
                    inner.affiliation = inner.affiliation or clean_affiliation(tail)
                    inner.surface = " ".join(tokens)
                    return inner
            break
    name: list[str] = []
    i = len(tokens) - 1
    while i >= 0 and len(name) < 5:
        tok = tokens[i]
        nxt = name[0] if name else None
        if (
            is_nameish(tok)
            or not name
            and _title_as_surname(tokens, i)
            or (nxt and (is_initials(tok, nxt) or is_upper_name(tok, nxt)))
            or name
            and ROMAN.match(tok) is None
            and tok in PARTICLES
            and any(is_nameish(t) for t in name)
            or not name
            and ROMAN.match(tok)
            and i > 0
            and is_nameish(tokens[i - 1])
        ):
            name.insert(0, tok)
        else:
            break
        i -= 1
    if not name or all(t in PARTICLES for t in name):
        return None
    prefix = tokens[: i + 1]
    gender = None
    honorific = None
    if prefix and prefix[-1].lower().rstrip(".") in HONORIFICS:
        honorific = prefix[-1]
        gender = HONORIFICS[prefix[-1].lower().rstrip(".")]
    # Titles in front of the name become role, the rest in front becomes affiliation.
    role, affiliation = split_role_prefix(prefix)
    if honorific and role:
        words = role.split()
        if words and words[-1] == honorific and len(words) > 1:
            role = " ".join(words[:-1])
    if role and role.lower().rstrip(".") in NOT_ROLE_HONORIFICS:
        role = None
    name = [t.title() if t.isupper() and len(t) >= 3 and t.isalpha() else t for t in name]
    return Subject(
        kind="person",
        tokens=name,
        role=role,
        affiliation=affiliation,
        gender=gender,
        surface=" ".join(tokens),
        definite=bool(prefix) or len(name) > 1,
    )


def _parse_description(tokens: list[str]) -> Subject | None:
    """ "the economist", "an agency spokesperson", "officials at the ministry", "staff"."""
    if not tokens:
        return None
    words = [t for t in tokens if t not in {",", "\x00"}]
    if not words:
        return None
    surface = " ".join(words)
    if len(words) > 2 and words[1].lower() == "of" and words[0].lower() in _QUANTIFIERS:
        words = words[2:]  # "one of the people", "two of the largest developers"
    owner_end = max((i for i, w in enumerate(words[:-1]) if POSSESSIVE_RE.search(w)), default=-1)
    if owner_end >= 0 and not any(
        is_role_head(strip_possessive(w).lower()) for w in words[owner_end + 1 :] if w[:1].islower()
    ):
        # "the secretary of state's office": an office, not the secretary
        return Subject(
            kind="desc",
            head="office",
            surface=surface,
            organisation=clean_affiliation(words[: owner_end + 1]),
        )
    head_i = None
    for i, w in enumerate(words):
        if w.lower() in {"at", "of", "for", "from", "with", "in", "on", "familiar"} and i > 0:
            break
        low = strip_possessive(w).lower()
        if (
            _AGE_RE.match(low)  # "the 61-year-old": a person already introduced
            or is_role_head(low)
            or low in UNNAMED_NOUNS
            or low in INSTITUTION_NOUNS
            or low.endswith("s")
            and low[:-1] in ROLE_HEADS | INSTITUTION_NOUNS
        ):
            head_i = i
    if head_i is None:
        return None
    head = strip_possessive(words[head_i]).lower()
    if _AGE_RE.match(head):
        definite = words[0].lower() == "the"
        return Subject(kind="desc", head="year-old", surface=" ".join(words), definite=definite)
    det = words[0].lower()
    before = words[:head_i]
    organisation = None
    caps = [strip_possessive(w) for w in before if is_cap(w) and w.lower() not in STOP_CAPS]
    if caps:
        organisation = " ".join(caps)
    rest = words[head_i + 1 :]
    if rest and rest[0].lower() in {"for", "at", "of", "from"}:
        run = [w for w in rest[1:] if is_cap(w) or w in {"&", "and", "of"}]
        if run and is_cap(run[0]):
            organisation = clean_affiliation(run)
    plural = (
        head.endswith("s")
        and head not in {"ceo", "boss"}
        and head[:-1]
        in (ROLE_HEADS | INSTITUTION_NOUNS | {"source", "official", "aide", "insider", "critic"})
    )
    plural = plural or head in {"staff", "people", "officials", "sources", "critics"}
    return Subject(
        kind="desc",
        head=head,
        role=" ".join(w for w in words[: head_i + 1] if w.lower() not in _DETERMINERS) or None,
        surface=surface,
        definite=det in {"the", "its", "his", "her", "their"} and not plural,
        organisation=organisation,
    )


def _subject_phrase_back(toks: list[str], end: int) -> int:
    """Start index of the name-or-title phrase that ends at toks[end]."""
    i = end
    while i >= 0:
        t = toks[i]
        low = t.lower().rstrip(".")
        ok = (
            is_cap(t)
            and low not in STOP_CAPS
            or is_role_word(low)
            or t in PARTICLES
            or (
                low in {"of", "for", "and", "&"}
                and i < end
                and i > 0
                and not (low == "and" and ends_name(toks, i - 1))
                # "Minister for X" is a title; "spokesperson for X" is a description
                and (low in {"and", "&"} or is_cap(toks[i - 1]))
            )
        )
        if not ok:
            break
        i -= 1
    start = i + 1
    while start <= end and toks[start].lower() in {"of", "for", "and", "&"}:
        start += 1
    return start


def parse_left_subject(toks: list[str]) -> tuple[Subject | None, int]:
    """The subject ending right before a speech verb; returns it and its start index.

    Parentheses are read past: "Sen. Jane Doe (D-Ore.), a member of the panel, said".
    """
    if ")" not in toks:
        return _with_partners(toks, *_parse_left_subject(toks))
    kept: list[int] = []
    depth = 0
    for k, tok in enumerate(toks):
        if tok == "(":
            depth += 1
        elif tok == ")" and depth:
            depth -= 1
        elif not depth and tok != ")":
            kept.append(k)
    outside = [toks[k] for k in kept]
    subject, start = _with_partners(outside, *_parse_left_subject(outside))
    return subject, kept[start] if start < len(kept) else len(toks)


def ends_name(toks: list[str], i: int) -> bool:
    """Whether toks[i] can be the last word of a name ("Doe", "Jo King", "Mr. King")."""
    if i < 0:
        return False
    return (
        is_nameish(toks[i])
        or _title_as_surname(toks, i)
        or (i > 0 and is_cap(toks[i]) and toks[i - 1].lower().rstrip(".") in HONORIFICS)
    )


def _with_partners(
    toks: list[str], subject: Subject | None, start: int
) -> tuple[Subject | None, int]:
    """Joint speakers: "Jane Doe and John Roe said", "Mr. Ames, Ms. Bell and Dr. Cole say".

    Each partner is a full name or an honorific and a surname; the words are theirs too.
    """
    if subject is None or subject.kind != "person" or not subject.definite:
        return subject, start
    partners: list[Subject] = []
    at = start
    joiner = {"and", "&"}
    while at >= 2 and toks[at - 1].lower() in joiner and ends_name(toks, at - 2):
        begin = _subject_phrase_back(toks, at - 2)
        partner = parse_name_phrase(toks[begin : at - 1])
        if (
            partner is None
            or not partner.definite
            or len(partner.surface.split()) != at - 1 - begin
            or looks_like_org(partner.tokens)
            # "a professor at the University of Chicago and Jane Doe": a complement's noun
            or begin > 0
            and toks[begin - 1].lower() in _PREPOSITIONS
        ):
            break
        partners.insert(0, partner)
        at = begin
        joiner = {","}  # "A, B and C": further partners are listed with commas
    if not partners:
        return subject, start
    if at > 0 and toks[at - 1].lower() == "both":
        at -= 1
    subject.partners = partners
    return subject, at


_TIME_WORDS = wordset(
    "monday tuesday wednesday thursday friday saturday sunday morning afternoon evening night"
)
_TIME_LEADS = wordset("on earlier late early last this later")
_MEDIA_NOUNS = wordset("statement interview speech tweet letter email e-mail post video memo")


def _skip_adjunct(toks: list[str], i: int) -> int:
    """Before a phrase between a subject and its verb, if one ends at i: "X on Tuesday
    said", "X earlier Thursday said", "X at the time said", "X in a statement said"."""
    low = [t.lower() for t in toks[max(0, i - 3) : i + 1]]
    if low and low[-1] in _TIME_WORDS:
        j = i - 1
        while j >= 0 and (toks[j].lower() in _TIME_WORDS or toks[j].lower() in _TIME_LEADS):
            j -= 1
        return j
    if low[-3:] in (["at", "the", "time"], ["at", "one", "point"]):
        return i - 3
    if len(low) >= 3 and low[-1] in _MEDIA_NOUNS and low[-2] in {"a", "an"} and low[-3] == "in":
        return i - 3
    return i


def _parse_left_subject(toks: list[str]) -> tuple[Subject | None, int]:
    i = len(toks) - 1
    skip = {
        "also",
        "later",
        "then",
        "previously",
        "has",
        "had",
        "have",
        "once",
        "recently",
        "again",
        "earlier",
        "separately",
        "further",
        "repeatedly",
        "publicly",
        "privately",
        "subsequently",
        "reportedly",
        "would",
        "will",
        "long",
        "often",
        "herself",
        "himself",
        "simply",
        "only",
        "last",
        "year",
        "week",
        "month",
        "this",
        "quickly",
        "however",
        "initially",
        "first",
        "instead",
        "both",
        "all",
        "jointly",
    }
    i = _skip_adjunct(toks, i)
    while i >= 0 and (
        toks[i].lower() in skip
        or toks[i] == "now"
        # "X has since said", "X had already said": an adverb after an auxiliary
        or (
            i > 0
            and toks[i] in {"since", "already", "ever", "just", "still"}
            and toks[i - 1].lower() in {"has", "had", "have"}
        )
        # "Walker angrily said": an adverb right after a name or pronoun
        or (
            i > 0
            and toks[i].endswith("ly")
            and toks[i].islower()
            # or after an appositive: "Jane Doe, the chair, sharply said"
            and (is_cap(toks[i - 1]) or toks[i - 1].lower() in _PRONOUNS or toks[i - 1] == ",")
        )
    ):
        i -= 1
    if i < 0:
        return None, 0
    last = toks[i]
    low = last.lower()
    if last in {"(", ")"}:
        return None, 0  # an unbalanced parenthesis: nothing to read
    if low in _PRONOUNS:
        if i > 0 and toks[i - 1].lower() in _RELATIVE:
            return Subject(kind="skip"), i
        return Subject(kind="pronoun", gender=_PRONOUNS[low], surface=last), i
    if last == ",":
        # "Name, appositive, said" or "The x's role, Name, said"
        j = i - 1
        while j >= 0 and toks[j] not in {",", "\x00", ":", ";"} and i - j < 30:
            j -= 1
        if j < 0 or toks[j] != ",":
            return None, 0
        appos = toks[j + 1 : i]
        # "from Ava, Mo.,", "of Ava, Mo.,": a town and its state, abbreviated or not
        from_place = (
            len(appos) <= 3
            and all(is_cap(t) or t == "." for t in appos)
            and (
                "from" in toks[max(0, j - 3) : j]
                # "of Ava, Mo.,", not "the head of digital, Jane Doe,"
                or j >= 2
                and toks[j - 2] == "of"
                and is_cap(toks[j - 1])
                and len(appos) <= 2
                and appos[-1].endswith(".")  # a state's abbreviation: "Mo.", "N.C."
                and not looks_like_org(appos)  # "of Acme, Inc.,"
            )
        )
        if appos and (is_place(appos) or from_place) and j > 0:
            # "X, a delegate from Dayton, Ohio, said": the state belongs to the town
            return parse_left_subject([*toks[:j], ","])
        head_end = j - 1
        head_start = _subject_phrase_back(toks, head_end) if head_end >= 0 else 0
        head = toks[head_start : head_end + 1]
        named_appos = parse_name_phrase(appos) if appos else None
        if (
            head
            and head_start > 1
            and toks[head_start - 1].lower() in _COMPLEMENT_PREPOSITIONS
            and not (named_appos and len(named_appos.surface.split()) == len(appos))
        ):
            # "Officials at Harbour Security Investigations, a division of X, said": the
            # capitalised run is the complement's organisation, never the speaker
            inner, inner_start = parse_left_subject(toks[: head_start - 1])
            if inner is not None and inner.kind in {"desc", "person"}:
                if inner.kind == "desc":
                    inner.organisation = clean_affiliation(head) or inner.organisation
                return inner, inner_start
            noun = toks[head_start - 2].lower()
            if noun in UNNAMED_NOUNS or noun.rstrip("s") in UNNAMED_NOUNS:
                return Subject(
                    kind="desc",
                    head=noun,
                    surface=" ".join(toks[head_start - 2 : head_end + 1]),
                    organisation=clean_affiliation(head),
                ), head_start - 2
        person = parse_name_phrase(head) if head else None
        if person and person.role is None and looks_like_org(head):
            person = None
        if person and len(person.surface.split()) == len(head):
            if looks_like_org(person.tokens) or (len(person.tokens) == 1 and not person.definite):
                person = _as_name_or_org(head, person)
            if person.kind == "person":
                parsed = parse_appositive(appos)
                if parsed:
                    role, aff = parsed
                    person.role = role if person.role is None or role else person.role
                    person.affiliation = aff or person.affiliation
            return person, head_start
        # "The tool's maker, Some Health Co, said": an organisation in apposition
        if (
            appos
            and all(is_cap(t) or t in {"&", "and", "of"} for t in appos)
            and looks_like_org(appos)
        ):
            return Subject(
                kind="org", organisation=clean_affiliation(appos), surface=" ".join(appos)
            ), j + 1
        # "The authority's commissioner, Henrik Dahl, said"
        named = parse_name_phrase(appos) if "by" not in appos else None  # "praised by X"
        if named and len(named.surface.split()) == len(appos):
            dstart = j - 1
            while dstart >= 0 and toks[dstart] not in {",", "\x00", ":", ";"}:
                dstart -= 1
            desc_toks = toks[dstart + 1 : j]
            if desc_toks and desc_toks[0].lower() == "whose":
                desc_toks = ["the", *desc_toks[1:]]
            if looks_like_org(named.tokens):
                return Subject(
                    kind="org", organisation=" ".join(named.tokens), surface=" ".join(appos)
                ), j + 1
            parsed = parse_appositive(desc_toks)
            if parsed and not (
                named.role and named.role.lower() in ROLE_HEADS and parsed[0] is None
            ):
                role, aff = parsed
                named.role = role or named.role
                named.affiliation = aff or named.affiliation
                return named, dstart + 1
            if desc_toks and desc_toks[0].lower() in {"his", "her", "their", "its", "the"}:
                return named, dstart + 1
        # several appositives: "Jane Doe, 24, who used to ..., said"
        if j > 0 and appos:
            inner, inner_start = parse_left_subject(toks[: j + 1])
            if inner is not None and inner.kind == "person":
                parsed = parse_appositive(appos)
                if parsed:
                    inner.role = stronger_role(inner.role, parsed[0])
                    inner.affiliation = inner.affiliation or parsed[1]
                return inner, inner_start
            # "A US official, speaking on condition of anonymity, said"
            first = appos[0].lower()
            if first.endswith("ing") or first in {"who", "which", "whose"}:
                inner, inner_start = parse_left_subject(toks[:j])
                if inner is not None and inner.kind in {"desc", "org"}:
                    return inner, inner_start
        return None, 0
    # "people familiar with the matter", "a source close to the talks"
    for k in range(i, max(i - 8, 0), -1):
        if toks[k].lower() in _POSTMODIFIERS and k > 0 and toks[k - 1].lower() in UNNAMED_NOUNS:
            inner, inner_start = parse_left_subject(toks[:k])
            if inner is not None and inner.kind == "desc":
                inner.surface = " ".join(toks[inner_start : i + 1])
                return inner, inner_start
            break
    # a description ending in a lowercase role noun: "the economist", "an X spokesperson"
    if not is_cap(last) and strip_possessive(low) not in PARTICLES:
        j = i
        while j >= 0 and i - j < 7 and toks[j] not in {",", "\x00", ":", ";", "(", ")"}:
            if toks[j].lower() in _DETERMINERS and toks[j].lower() not in {"that", "this"}:
                break
            if toks[j].lower() in {"that", "which", "who", "but", "as"} and j < i:
                j += 1
                break
            j -= 1
        j = max(j, 0)
        if toks[j] in {",", "\x00", ":", ";", "(", ")"}:
            j += 1
        if j > i:
            return None, 0  # nothing but punctuation before the verb
        if j >= 2 and toks[j].lower() == "the" and toks[j - 1].lower() == "of":
            j -= 2  # "one of the people"
        desc = _parse_description(toks[j : i + 1])
        if desc and desc.head == "year-old":
            return desc, j
        nouns = ROLE_HEADS | UNNAMED_NOUNS | INSTITUTION_NOUNS
        if desc and (strip_possessive(low).rstrip("s") in nouns or strip_possessive(low) in nouns):
            return desc, j
        plural = low.endswith("s") and not low.endswith("ss") and len(low) > 3 and low.isalpha()
        if plural and i - j <= 5 and (j == 0 or toks[j].lower() in _DETERMINERS):
            # "a third of large growers said": an unnamed group whatever the noun
            return Subject(kind="desc", head=low, surface=" ".join(toks[j : i + 1])), j
        return None, 0
    start = _subject_phrase_back(toks, i)
    phrase = toks[start : i + 1]
    # "Name of the Org said": the phrase is the complement; the subject sits before it.
    k = start - 1
    if k >= 0 and toks[k].lower() == "the":
        k -= 1
    if k >= 1 and toks[k].lower() in _COMPLEMENT_PREPOSITIONS:
        inner, inner_start = parse_left_subject(toks[:k])
        if inner is not None and inner.kind in {"person", "desc"}:
            org = clean_affiliation(phrase)
            if inner.kind == "person":
                inner.affiliation = inner.affiliation or org
            else:
                inner.organisation = org or inner.organisation
            return inner, inner_start
        if k == start - 1 and is_cap(toks[k - 1]) and toks[k - 1].lower() not in STOP_CAPS:
            # "the Office of Public Integrity said": a name inside a longer capitalised name
            whole_start = _subject_phrase_back(toks, k - 1)
            whole = toks[whole_start : i + 1]
            return Subject(
                kind="org", organisation=clean_affiliation(whole), surface=" ".join(whole)
            ), whole_start
    subject = _phrase_subject(phrase, toks[start - 1] if start > 0 else None)
    party = bool(phrase) and phrase[-1].lower() in {"democrat", "republican"}  # one person
    if (
        subject is not None
        and (subject.kind == "person" or (subject.kind == "org" and party))
        and start > 0
        and toks[start - 1].lower() == "the"
        and subject.role is None
        and not is_title(phrase[0])
        # "the Post's Jane Doe": a name with its employer, not an epithet
        and not any(POSSESSIVE_RE.search(w) for w in phrase[:-1])
    ):
        # "the Wisconsin Republican said": an epithet for someone already named, not a name
        subject = Subject(
            kind="desc",
            head=" ".join(phrase).lower(),
            surface="the " + " ".join(phrase),
            definite=True,
        )
    if start > 0 and toks[start - 1].lower() in {"the", "a", "an"}:
        start -= 1
    return subject, start


def parse_open_appositive(toks: list[str]) -> tuple[Subject | None, int]:
    """ "Jane Doe, president of the union stated": an appositive the writer never closed."""
    comma = next(
        (k for k in range(len(toks) - 2, max(len(toks) - 16, 0), -1) if toks[k] == ","), None
    )
    if not comma or "," in toks[comma + 1 :] or "\x00" in toks[comma + 1 :]:
        return None, 0
    lead = toks[comma + 1].lower()
    if lead not in APPOSITIVE_LEAD and not is_role_word(lead):
        return None, 0
    start = _subject_phrase_back(toks, comma - 1)
    head = toks[start:comma]
    person = parse_name_phrase(head) if head else None
    if person is None or person.kind != "person" or len(person.tokens) < 2:
        return None, 0
    if looks_like_org(person.tokens) or len(person.surface.split()) != len(head):
        return None, 0
    parsed = parse_appositive(toks[comma + 1 :])
    if parsed:
        person.role = person.role or parsed[0]
        person.affiliation = person.affiliation or parsed[1]
    return person, start


def _as_name_or_org(phrase: list[str], person: Subject) -> Subject:
    if looks_like_org(person.tokens):
        return Subject(kind="org", organisation=clean_affiliation(phrase), surface=" ".join(phrase))
    return person


def _phrase_subject(phrase: list[str], before: str | None) -> Subject | None:
    if not phrase:
        return None
    person = parse_name_phrase(phrase)
    if person is None:
        # "the Prime Minister", "the King": a title used alone
        if all(is_role_word(t.lower().rstrip(".")) for t in phrase):
            return Subject(
                kind="desc",
                head=" ".join(phrase).lower(),
                role=" ".join(phrase),
                surface=" ".join(phrase),
                definite=(before or "").lower() == "the",
            )
        if any(is_cap(t) for t in phrase):
            return Subject(
                kind="org", organisation=clean_affiliation(phrase), surface=" ".join(phrase)
            )
        return None
    if looks_like_org(person.tokens):
        return Subject(kind="org", organisation=clean_affiliation(phrase), surface=" ".join(phrase))
    return person


def parse_right_subject(toks: list[str]) -> Subject | None:
    """The subject after an inverted verb: "said Name, role at Org", "said the economist"."""
    words = [t for t in toks]
    if not words:
        return None
    first = words[0].lower()
    if first in _PRONOUNS:
        return Subject(kind="pronoun", gender=_PRONOUNS[first], surface=words[0])
    end = 0
    while end < len(words) and words[end] not in {",", ".", "\x00", ";", ":", "(", "!", "?"}:
        end += 1
    head = words[:end]
    if first not in _DETERMINERS and not is_cap(words[0]) and is_role_word(first):
        j = 0
        while j < len(head) and (
            is_cap(head[j]) or is_role_word(head[j].lower()) or head[j].lower() in {"and", "&"}
        ):
            j += 1
        person = parse_name_phrase(head[:j])
        if person is not None and not looks_like_org(person.tokens):
            _add_appositive(person, words[j:])
            return person
    # cut at a participle or preposition that starts a new phrase
    cut = len(head)
    for i, w in enumerate(head[1:], 1):
        if w.lower() in {"on", "in", "during", "after", "before", "to", "who", "while"}:
            cut = i
            break
    # what follows the name, read for a role only when the head was not cut short
    after_head = words[cut:] if cut == len(head) else []
    possessive = bool(POSSESSIVE_RE.search(words[0]))  # "said the mayor's adviser, Jane Doe"
    if first not in _DETERMINERS and not is_cap(words[0]):
        person = parse_name_phrase(head[:cut])
        if person is not None and person.role and not looks_like_org(person.tokens):
            _add_appositive(person, after_head)
            return person
    lowercase = [w.lower() for w in head[1:cut] if w[:1].islower()]
    if (
        is_cap(words[0])
        and not possessive
        and lowercase
        and not any(w in _PREPOSITIONS | {"and"} for w in lowercase)
    ):
        # "said Ohio steel executive Jane Doe, who ...": a title with lowercase words in it
        person = parse_name_phrase(head[:cut])
        if (
            person is not None
            and person.role
            and len(person.tokens) >= 2
            and len(person.surface.split()) == cut
            and not looks_like_org(person.tokens)
        ):
            _add_appositive(person, after_head)
            return person
    if first in _DETERMINERS or not is_cap(words[0]) or possessive:
        desc = _parse_description(head[:cut])
        if desc is not None and not possessive:
            # "added his campaign manager Jane Doe": a description, then the name
            person = parse_name_phrase(head[:cut])
            if person is not None and person.role and len(person.tokens) >= 2:
                _add_appositive(person, after_head)
                return person
        if desc is None:
            # "said councillor Jane Doe", "said the Rev. Jane Doe"
            person = parse_name_phrase(head[:cut])
            titles = head[1 : cut - len(person.tokens)] if person else []
            if person and (
                person.role
                or len(person.tokens) >= 2
                and titles
                and all(is_title(w) for w in titles)
            ):
                _add_appositive(person, after_head)
                return person
            return None
        if cut < len(head):
            desc.surface = " ".join(head[:cut])
        rest = words[end:]
        if desc.head in ROLE_HEADS and rest[:1] == [","]:
            k = 1
            while k < len(rest) and rest[k] not in {",", ".", "\x00", ";", "(", "!", "?"}:
                k += 1
            named = parse_name_phrase(rest[1:k])
            if named is not None and len(named.surface.split()) == k - 1 and len(named.tokens) > 1:
                named.role = stronger_role(named.role, desc.role)
                return named
        return desc
    # name phrase: take the maximal run of name/title tokens
    j = 0
    while j < len(head) and (
        is_cap(head[j])
        or is_role_word(head[j].lower())
        or head[j] in PARTICLES
        or (head[j].lower() in {"of", "for", "and", "&"} and j + 1 < len(head))
    ):
        j += 1
    phrase = head[:j]
    while phrase and phrase[-1].lower() in {"of", "for", "and", "&"}:
        phrase.pop()
    subject = _phrase_subject(phrase, None)
    if subject is None:
        return None
    if subject.kind == "person":
        _add_appositive(subject, words[j:])
    return subject


def _add_appositive(subject: Subject, rest: list[str]) -> None:
    """Role and affiliation given after a name: ", role at Org," or "of Org"."""
    if rest and rest[0] == ",":
        k = 1
        while k < len(rest) and rest[k] not in {",", ".", "\x00", ";", "(", "!", "?"}:
            k += 1
        following = rest[1].lower() if len(rest) > 1 else ""
        if following.endswith("ing") and rest[1].islower() or following in _RELATIVE | {"who"}:
            return  # ", speaking to reporters", ", who ...": a clause, not a role
        parsed = parse_appositive(rest[1:k])
        if parsed:
            subject.role = parsed[0] or subject.role
            subject.affiliation = parsed[1] or subject.affiliation
    elif len(rest) >= 2 and rest[0].lower() in {"of", "at", "from"}:
        run: list[str] = []
        for w in rest[1:]:
            if w.lower() == "the" and not run:
                continue
            if is_cap(w) or (run and w in {"&", "and", "of"}):
                run.append(w)
            else:
                break
        if run:
            subject.affiliation = subject.affiliation or clean_affiliation(run)


def parse_coordinated_subject(toks: list[str]) -> Subject | None:
    """The subject of "Unions welcomed the plan but said ...": the clause's opening phrase."""
    for k in range(min(len(toks), 8), 0, -1):
        subject, start = parse_left_subject(toks[:k])
        if subject is not None and start == 0 and subject.kind in {"person", "desc", "org"}:
            return subject
    return None


def parse_subject_at_start(text: str) -> Subject | None:
    toks = [t.text for t in tokenize(text.replace('"', " "))]
    if not toks:
        return None
    if toks[0].lower() in _PRONOUNS:
        return Subject(kind="pronoun", gender=_PRONOUNS[toks[0].lower()], surface=toks[0])
    j = 0
    while j < len(toks) and (
        is_cap(toks[j]) or toks[j] in PARTICLES or is_role_word(toks[j].lower())
    ):
        j += 1
    if j == 0:
        return None
    subject = _phrase_subject(toks[:j], None)
    if subject is not None and subject.kind == "person" and j < len(toks) and toks[j] == ",":
        k = j + 1
        while k < len(toks) and toks[k] not in {",", ":"}:
            k += 1
        parsed = parse_appositive(toks[j + 1 : k])
        if parsed:
            subject.role = parsed[0] or subject.role
            subject.affiliation = parsed[1] or subject.affiliation
    return subject
