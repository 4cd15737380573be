"""Roles and affiliations: role vocabulary, titles before a name, appositives after it."""

from __future__ import annotations

import re

from nameparser.config import CONSTANTS

from app.ingest.speakers.names import NAME_PREFIX_RE, is_cap, strip_possessive
from app.ingest.speakers.places import is_place
from app.ingest.speakers.vocabulary import (
    ABBREVIATIONS,
    GROUP_NOUNS,
    HONORIFICS,
    ORG_WORDS,
    PARTY_WORDS,
    QUANTIFIERS,
    ROLE_HEADS,
    ROLE_WORDS,
    wordset,
)

# nameparser keeps a maintained list of personal titles in many traditions (civil,
# military, religious, academic): better than ours for telling "the Rev." from an employer.
_TITLES = frozenset(CONSTANTS.titles) | frozenset(HONORIFICS)
_WEAK_ROLES = wordset("dr sir dame lord lady baroness baron")
NOT_ROLE_HONORIFICS = wordset(
    """
    mr mrs ms miss mx
    """
)


def is_role_word(word: str) -> bool:
    """A role or title word; a hyphenated one ("Auditor-general") counts by its parts."""
    return word in ROLE_WORDS or ("-" in word and any(p in ROLE_WORDS for p in word.split("-")))


def is_role_head(word: str) -> bool:
    return word in ROLE_HEADS or ("-" in word and any(p in ROLE_HEADS for p in word.split("-")))


# Nouns that describe sources who are not named (never resolved to a person by role).
UNNAMED_NOUNS = wordset(
    """
    spokesperson spokesman spokeswoman spokespeople official officials source sources aide
    aides insider insiders representative representatives staffer staffers staff people
    person critics critic analysts experts observers campaigners activists residents
    lawmakers officers executives employees workers members diplomats regulators
    researchers scientists economists leaders ministers groups group organisers organizers
    """
)
# Subjects that are institutions or documents, not people.
INSTITUTION_NOUNS = wordset(
    """
    company firm ministry department government authority agency report study paper
    statement bill law act regulation rules text lab laboratory utility council committee
    regulator institute union bank organisation organization commission parliament court
    office board group groups coalition association federation alliance party campaign
    charity trust declaration document letter filing survey review memo website release
    administration cabinet platform startup start-up business operator provider developer
    maker vendor programme program strategy plan framework panel consortium university
    school hospital industry sector
    """
)

_CAMEL_RE = re.compile(r"[a-z][A-Z]")

_AS_VERBS = wordset("took takes joined joins serves served works worked appointed named started")


def is_title(word: str) -> bool:
    """A title or honorific before a name (Mr, Dr, the Rev., Sgt): nameparser's list.

    Acronyms are left out: "US" is a country before "Vice President", not a title.
    """
    return not word.isupper() and word.lower().rstrip(".") in _TITLES


def clean_affiliation(tokens: list[str]) -> str | None:
    """The organisation in a prefix; honorifics and titles are never one."""
    words = [
        t
        for t in tokens
        if t.lower() not in {"the", "a", "an", "its", "their", "his", "her"} and not is_title(t)
    ]
    while words and words[-1].lower() in {"of", "for", "and", "at", "'s"}:
        words.pop()
    while words and words[0].lower() in {"of", "for", "and", "at"}:
        words.pop(0)
    if not words or not any(is_cap(w) for w in words):
        return None
    text = " ".join(strip_possessive(w) for w in words)
    return text or None


def split_role_prefix(prefix: list[str]) -> tuple[str | None, str | None]:
    """Split "US Vice President" into role "Vice President" and affiliation "US"."""
    for i, tok in enumerate(prefix):
        low = tok.lower().rstrip(".")
        if is_role_word(low) and low not in NOT_ROLE_HONORIFICS and not tok.endswith("'s"):
            role_tokens = [ABBREVIATIONS.get(t.lower().rstrip("."), t) for t in prefix[i:]]
            role = " ".join(role_tokens)
            has_head = any(
                is_role_head(t.lower().rstrip(".")) or t in ABBREVIATIONS.values()
                for t in role_tokens
            ) or any(is_role_head(t) for t in role.lower().split())
            if not has_head:
                return None, clean_affiliation(prefix)
            return role, clean_affiliation(prefix[:i])
    return None, clean_affiliation(prefix)


def _plural_of_role(word: str) -> bool:
    """ "lawyers", "witnesses", "allies": the plural of a role or group noun."""
    if word in GROUP_NOUNS:
        return True
    stems = (word[:-1], word[:-2], word[:-3] + "y") if word.endswith("s") else ()
    return any(stem in ROLE_HEADS for stem in stems)


def is_group(tokens: list[str]) -> bool:
    """A capitalised run naming a group, not a person: "Rival Democrats", "Other
    Republicans", "Supporters", "Another". Party words end it; a quantifier opens it; a
    lone plural role stands alone (a two-word "Tim Fellows" stays a person)."""
    if not tokens:
        return False
    first, last = tokens[0].lower(), strip_possessive(tokens[-1]).lower()
    if last in PARTY_WORDS or first in QUANTIFIERS:
        return True
    return len(tokens) == 1 and _plural_of_role(last)


def looks_like_org(tokens: list[str]) -> bool:
    """An organisation, a place or a group: anything named that is not a person."""
    if any(t.lower().rstrip(".") in ORG_WORDS for t in tokens):
        return True
    if is_group(tokens):
        return True
    if is_place(tokens):
        return True
    if any(t.isupper() and len(t) >= 2 and t.isalpha() for t in tokens) and len(tokens) == 1:
        return True
    return any(_CAMEL_RE.search(t) and not NAME_PREFIX_RE.match(t) for t in tokens)


APPOSITIVE_LEAD = wordset("a an the now then currently also his her their its")


def parse_appositive(tokens: list[str]) -> tuple[str | None, str | None] | None:
    """Role and affiliation from "the Agency's chief economist" / "director of the X Group"."""
    words = list(tokens)
    while words and (words[0].lower() in APPOSITIVE_LEAD):
        words.pop(0)
    if not words or words[0].lower() in {"who", "which", "whose", "where", "when"}:
        return None
    for stop in ("who", "which", "whose", "where", "and", "since", "until"):
        if stop in words[1:]:
            cut = words.index(stop, 1)
            if stop == "and" and cut + 1 < len(words) and is_role_word(words[cut + 1].lower()):
                continue
            words = words[:cut]
    if not words or words[0].isdigit():
        return None
    owner: list[str] = []
    first_head = next(
        (i for i, w in enumerate(words) if is_role_head(w.lower().rstrip("."))), len(words)
    )
    for i, word in enumerate(words[:first_head]):
        if word.endswith(("'s", "\u2019s")):
            owner = words[: i + 1]
            words = words[i + 1 :]
            break
    preps = {"at", "of", "for", "with", "from", "in"}
    comp: list[str] = []
    cut = None
    for i, word in enumerate(words):
        if word.lower() in preps and i > 0:
            cut = i if cut is None else cut
            # the affiliation follows the preposition that leads to capitals with no other
            # preposition between: "head of digital at Tallis Bank"
            rest = words[i + 1 :]
            nxt_prep = next((k for k, w in enumerate(rest) if w.lower() in preps), len(rest))
            if any(is_cap(w) for w in rest[:nxt_prep]) or (
                nxt_prep == len(rest) and not any(is_cap(w) for w in rest)
            ):
                cut = i
                break
    if cut is not None:
        comp = words[cut:]
        words = words[:cut]
    if not words or not any(is_role_head(w.lower().rstrip(".")) for w in words):
        return None
    role = " ".join(words)
    affiliation = None
    if comp:
        caps = [w for w in comp[1:] if is_cap(w) or w in {"and", "&", "of"}]
        if caps and is_cap(words[-1]):
            role = " ".join(words + comp)  # "Minister of Science and Technology"
        elif any(is_cap(w) for w in comp[1:]):
            # the last capitalised run: "the advocacy group Fair Claims" -> "Fair Claims"
            run: list[str] = []
            for w in reversed(comp[1:]):
                if is_cap(w) or (run and w in {"and", "&", "of"}):
                    run.insert(0, w)
                elif run:
                    break
            affiliation = clean_affiliation(run)
        elif comp[0].lower() in {"of", "for"}:
            role = " ".join(words + comp)  # "vice president for grid planning"
    if owner and affiliation is None:
        affiliation = clean_affiliation(owner)
    return role, affiliation


def stronger_role(current: str | None, new: str | None) -> str | None:
    """Keep a real role; an honorific alone ("Dr") gives way to one."""
    if current and not is_weak_role(current):
        return current
    return new or current


def is_weak_role(role: str) -> bool:
    return role.lower().rstrip(".") in _WEAK_ROLES


def find_role_after_copula(lows: list[str], j: int) -> int | None:
    """Index where a role phrase starts after "is"/"was"/"became"/"... as"; None if no such."""
    n = len(lows)
    if lows[j] in {"is", "was", "became", "becomes"}:
        return j + 1
    for k in range(j, min(j + 4, n - 1)):
        if lows[k] == "as":
            return k + 1 if lows[j] in _AS_VERBS else None
    return None
