"""How people's names sort in lists: by surname, as a reader looks them up."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from nameparser import HumanName


@lru_cache(maxsize=65_536)  # a name's surname never changes; /speakers sorts hundreds
def surname_key(name: str) -> str:
    """The surname, folded for sorting ("Ødegaard" beside "Odell"); the whole name if
    there is none."""
    parsed = HumanName(name)
    surname = parsed.last or name
    return unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode().lower()


def surname_initial(name: str) -> str:
    key = surname_key(name)
    return key[:1].upper() if key[:1].isalpha() else ""
