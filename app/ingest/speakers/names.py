"""Personal names: what a name token looks like, and keys that match two forms of a name."""

from __future__ import annotations

import functools
import re
import unicodedata

from app.ingest.speakers.vocabulary import ABBREVIATIONS, HONORIFICS, ORG_WORDS, ROLE_WORDS, wordset

STOP_CAPS = wordset(
    """
    the a an in on at of for to from with by and or but so yet if as after before during
    when while since until because although though however meanwhile moreover also then
    now later earlier today yesterday tomorrow tonight this that these those there here it
    he she they we i you his her its their our my your who what which where why how not no
    yes according asked speaking referring photo photograph picture image illustration
    credit reporting editing additional writing source sources update note notes read more
    related monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december last next every
    each all both many most some several new first second third q a about editor's contact
    media even besides instead indeed perhaps maybe still only just once never again
    furthermore nevertheless nonetheless otherwise thus hence therefore likewise similarly
    correction clarification say
    """
)
_COMMON_ACRONYMS = wordset(
    """
    US UK EU UN AI IT TV HR PR MP EV GP US$ USA UAE NHS CEO CTO CFO COO VP G7 G20 PM
    """
)
PARTICLES = wordset(
    """
    von van der den de da del della di du la le bin ibn al el ter ten dos das zu af av
    """
)

POSSESSIVE_RE = re.compile(r"['\u2019]s$")
NAME_PREFIX_RE = re.compile(r"^(Mc|Mac|De|Di|Da|La|Le|O|D)[A-Z]")  # O'Neil, D'Souza

ROMAN = re.compile(r"^(?:I{1,3}|IV|V|VI{1,3}|IX|X|XI{1,3}|XIV|XV)$")

_INITIALS_RE = re.compile(r"^(?:[A-Z]\.)+$|^[A-Z]{2}$")


@functools.lru_cache(maxsize=8192)
def strip_accents(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


KEY_SPLIT_RE = re.compile(r"[\s\-]+")
_KEY_INITIALS_RE = re.compile(r"(?:[a-z]\.)+[a-z]?")
_KEY_PUNCT_RE = re.compile(r"[^\w]")


@functools.lru_cache(maxsize=8192)
def key_tokens(name: str) -> tuple[str, ...]:
    text = strip_accents(name).replace("\u2019", "'").casefold()
    tokens: list[str] = []
    for raw in KEY_SPLIT_RE.split(text):
        token = raw.strip(".,'\"")
        if not token:
            continue
        if _KEY_INITIALS_RE.fullmatch(token):  # "j.d." -> "jd"
            token = token.replace(".", "")
        token = _KEY_PUNCT_RE.sub("", token)
        if token:
            tokens.append(token)
    while len(tokens) > 1 and (tokens[0] in HONORIFICS or tokens[0] in ABBREVIATIONS):
        tokens.pop(0)
    merged: list[str] = []
    initials = False
    for token in tokens:  # "j d vance" -> "jd vance"
        if len(token) == 1 and initials and len(merged[-1]) < 3:
            merged[-1] += token
            continue
        initials = len(token) == 1
        merged.append(token)
    return tuple(merged)


def speaker_key(name: str) -> str:
    """A normalised key for a person's name: casefolded, accents and punctuation gone."""
    return " ".join(key_tokens(name))


def surname_key(name: str) -> str:
    """The last word of a name's key ("" for none): every name `same_person` may take for
    this one ends with it, so it is where the archive looks for them."""
    tokens = key_tokens(name)
    return tokens[-1] if tokens else ""


def same_person(name_a: str, name_b: str) -> bool:
    """True when both names have the same key or one is a surname-only form of the other."""
    ta, tb = key_tokens(name_a), key_tokens(name_b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    short, long_ = (ta, tb) if len(ta) < len(tb) else (tb, ta)
    if len(short) == len(long_):
        # "J. Smith" vs "John Smith": an initial against a full first name.
        return short[-1] == long_[-1] and all(
            a == b or (len(a) == 1 and b.startswith(a)) or (len(b) == 1 and a.startswith(b))
            for a, b in zip(short[:-1], long_[:-1], strict=True)
        )
    # surname (with particles) only: "von der leyen" in "ursula von der leyen"
    return long_[-len(short) :] == short and all(t in PARTICLES for t in short[:-1])


def is_cap(text: str) -> bool:
    return text[:1].isupper()


def strip_possessive(text: str) -> str:
    return POSSESSIVE_RE.sub("", text)


_NOT_NAME_SUFFIXES = wordset("led run born made like wide era held free")


def is_nameish(text: str) -> bool:
    """Shaped like a personal-name token: "Okafor", "Asante-Boateng", "O'Neill", "McKay"."""
    if not is_cap(text) or text.endswith(("'s", "\u2019s")):
        return False
    low = text.lower()
    if low in STOP_CAPS or low in ROLE_WORDS or low in ORG_WORDS:
        return False
    if text.isupper():
        return False
    for index, part in enumerate(text.split("-")):
        if index and part.islower() and len(part) <= 4 and part not in _NOT_NAME_SUFFIXES:
            continue  # "Qiang-wei", "Jae-in"
        if not part or not part[0].isupper():
            return False
        core = part.replace("'", "")
        if not core.isalpha():
            return False
        inner = core[1:]
        if any(c.isupper() for c in inner) and not NAME_PREFIX_RE.match(core):
            return False
    return True


def is_initials(tok: str, nxt: str | None) -> bool:
    if tok in _COMMON_ACRONYMS:
        return False
    return bool(_INITIALS_RE.match(tok)) and nxt is not None and is_nameish(nxt)


def is_upper_name(tok: str, nxt: str | None) -> bool:
    return (
        len(tok) >= 3
        and tok.isupper()
        and tok.isalpha()
        and tok not in _COMMON_ACRONYMS
        and tok.lower() not in ROLE_WORDS
        and nxt is not None
        and is_nameish(nxt)
    )
