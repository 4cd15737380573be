"""Search state from and to URLs: parsing query parameters and building toggle links."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.datastructures import QueryParams

from app.search.query import QueryError
from app.search.results import KINDS, MAX_FILTER_VALUES, SORTS, SearchParams

FILTER_PARAMS = {
    "speakers": "speaker",
    "themes": "theme",
    "sources": "source",
    "years": "year",
    "languages": "language",
    "kinds": "kind",  # quote searches only: direct or reported speech
}


def _parse_day(value: str | None, name: str, *, end_of_day: bool = False) -> datetime | None:
    if not value:
        return None
    try:
        day = datetime.strptime(value.strip()[:10], "%Y-%m-%d")
    except ValueError as error:
        raise QueryError(f"“{name}” must be a date like 2025-02-12.") from error
    if end_of_day:
        day = day.replace(hour=23, minute=59, second=59)
    return day.replace(tzinfo=UTC)


def _filter_values(query_params: QueryParams, name: str) -> list[str]:
    """A filter's distinct values in order; too many is a mistake, not a search."""
    values = list(dict.fromkeys(v.strip() for v in query_params.getlist(name) if v.strip()))
    if len(values) > MAX_FILTER_VALUES:
        raise QueryError(f"Choose at most {MAX_FILTER_VALUES} values of “{name}” at once.")
    return values


def _kind_values(query_params: QueryParams) -> list[str]:
    kinds = _filter_values(query_params, "kind")
    if any(kind not in KINDS for kind in kinds):
        raise QueryError(f"“kind” must be one of: {', '.join(KINDS)}.")
    return kinds


def search_params_from(query_params: QueryParams, *, page_size: int) -> SearchParams:
    """Read a search from URL parameters; a malformed value raises QueryError."""
    sort = query_params.get("sort") or "relevance"
    if sort not in SORTS:
        raise QueryError(f"Sort must be one of: {', '.join(SORTS)}.")
    page_text = (query_params.get("page") or "1").strip()
    # Not str.isdigit(): it accepts "²" and "①", which int() refuses.
    if not re.fullmatch(r"[0-9]{1,4}", page_text) or not 1 <= int(page_text) <= 1000:
        raise QueryError("Page must be a whole number between 1 and 1000.")
    date_from = _parse_day(query_params.get("from"), "from")
    date_to = _parse_day(query_params.get("to"), "to", end_of_day=True)
    if date_from and date_to and date_from > date_to:
        raise QueryError(
            f"“from” ({date_from:%Y-%m-%d}) is later than “to” ({date_to:%Y-%m-%d}): "
            "swap them to search that period."
        )
    return SearchParams(
        q=(query_params.get("q") or "").strip(),
        speakers=_filter_values(query_params, "speaker"),
        themes=_filter_values(query_params, "theme"),
        sources=_filter_values(query_params, "source"),
        years=_filter_values(query_params, "year"),
        languages=[code.lower() for code in _filter_values(query_params, "language")],
        kinds=_kind_values(query_params),
        date_from=date_from,
        date_to=date_to,
        sort=sort,
        page=int(page_text),
        page_size=page_size,
    )


def query_pairs(params: SearchParams) -> list[tuple[str, str]]:
    """The URL parameters that reproduce this search (page 1 is left implicit)."""
    pairs: list[tuple[str, str]] = []
    if params.q:
        pairs.append(("q", params.q))
    for attribute, name in FILTER_PARAMS.items():
        pairs.extend((name, value) for value in getattr(params, attribute))
    if params.date_from:
        pairs.append(("from", params.date_from.strftime("%Y-%m-%d")))
    if params.date_to:
        pairs.append(("to", params.date_to.strftime("%Y-%m-%d")))
    if params.sort != "relevance":
        pairs.append(("sort", params.sort))
    if params.page > 1:
        pairs.append(("page", str(params.page)))
    return pairs


def search_url(params: SearchParams, base: str = "/search") -> str:
    pairs = query_pairs(params)
    return f"{base}?{urlencode(pairs)}" if pairs else base


def with_changes(params: SearchParams, **changes) -> SearchParams:
    """A copy of the search with some fields changed; any change returns to page 1."""
    values = {**params.__dict__, "page": 1, **changes}
    return SearchParams(**values)


@dataclass(frozen=True)
class FacetValue:
    value: str
    label: str
    count: int
    selected: bool
    url: str  # adds the value, or removes it when selected


def facet_values(
    params: SearchParams,
    attribute: str,
    counts: list[tuple[str, int]],
    labels: dict[str, str],
    base: str = "/search",
) -> list[FacetValue]:
    """Each facet value with the link that toggles it, selected values first."""
    chosen = list(getattr(params, attribute))
    values = []
    seen = set()
    for value, count in counts:
        seen.add(value)
        selected = value in chosen
        toggled = [v for v in chosen if v != value] if selected else [*chosen, value]
        values.append(
            FacetValue(
                value=value,
                label=labels.get(value, value),
                count=count,
                selected=selected,
                url=search_url(with_changes(params, **{attribute: toggled}), base),
            )
        )
    for value in chosen:  # a chosen value with no matches still needs its remove link
        if value not in seen:
            remaining = [v for v in chosen if v != value]
            values.append(
                FacetValue(
                    value,
                    labels.get(value, value),
                    0,
                    True,
                    search_url(with_changes(params, **{attribute: remaining}), base),
                )
            )
    return sorted(values, key=lambda v: (not v.selected, -v.count, v.label.lower()))


@dataclass(frozen=True)
class PageLink:
    number: int
    url: str
    current: bool


def page_links(
    params: SearchParams, pages: int, *, window: int = 2, base: str = "/search"
) -> list[PageLink | None]:
    """Numbered page links around the current page; None marks a gap (…)."""

    def url_of(number: int) -> str:
        return search_url(SearchParams(**{**params.__dict__, "page": number}), base)

    return numbered_links(params.page, pages, url_of, window=window)


def numbered_links(
    current: int, pages: int, url_of: Callable[[int], str], *, window: int = 2
) -> list[PageLink | None]:
    """Links to the first, last and nearby pages of any listing; None marks a gap (…)."""
    wanted = {1, pages, *range(current - window, current + window + 1)}
    numbers = sorted(n for n in wanted if 1 <= n <= pages)
    links: list[PageLink | None] = []
    previous = 0
    for number in numbers:
        if number - previous > 1:
            links.append(None)
        links.append(PageLink(number, url_of(number), number == current))
        previous = number
    return links


@dataclass(frozen=True)
class Removal:
    """The search without one of its filters; `label` says which, e.g. "theme: housing"."""

    label: str
    params: SearchParams


def filter_removals(params: SearchParams, labels: dict[str, dict[str, str]]) -> list[Removal]:
    """Each way to drop exactly one filter (a facet value, or the date range)."""
    removals = []
    for attribute, name in FILTER_PARAMS.items():
        chosen = list(getattr(params, attribute))
        for value in chosen:
            remaining = [v for v in chosen if v != value]
            label = labels.get(attribute, {}).get(value, value)
            removals.append(
                Removal(f"{name}: {label}", with_changes(params, **{attribute: remaining}))
            )
    if params.date_from or params.date_to:
        removals.append(
            Removal("the date range", with_changes(params, date_from=None, date_to=None))
        )
    return removals


@dataclass(frozen=True)
class ActiveFilter:
    """A filter in force, shown as a chip: `url` is the same search without it."""

    label: str
    url: str


def active_filters(
    params: SearchParams, labels: dict[str, dict[str, str]], base: str = "/search"
) -> tuple[list[ActiveFilter], str | None]:
    """The filters in force, each with its removal link, and the link that clears them all
    (None when there are none). Words and sort stay: a filter is what the chips show."""
    chips = []
    for removal in filter_removals(params, labels):
        label = removal.label
        if label == "the date range":
            parts = [
                f"{word} {when:%Y-%m-%d}"
                for word, when in (("from", params.date_from), ("to", params.date_to))
                if when
            ]
            label = "date: " + " ".join(parts)
        chips.append(ActiveFilter(label, search_url(removal.params, base)))
    if not chips:
        return [], None
    cleared = with_changes(
        params, date_from=None, date_to=None, **{attribute: [] for attribute in FILTER_PARAMS}
    )
    return chips, search_url(cleared, base)


def feed_url(params: SearchParams) -> str:
    """The Atom feed of a search: the same filters, newest first."""
    return search_url(with_changes(params, sort="relevance"), base="/search.atom")


def csv_url(params: SearchParams) -> str:
    return search_url(with_changes(params), base="/search.csv")


def quotes_url(params: SearchParams) -> str:
    return search_url(params, base="/quotes")


def quotes_feed_url(params: SearchParams) -> str:
    return search_url(with_changes(params, sort="relevance"), base="/quotes.atom")


def quotes_csv_url(params: SearchParams) -> str:
    return search_url(with_changes(params), base="/quotes.csv")


def export_name(kind: str, params: SearchParams, day: str) -> str:
    """A download's file name that says what it holds: policy-archive-quotes-grid-odile-
    varga-2026-11-30.csv. Only letters, digits and hyphens, at most about 100 characters."""
    parts = ["policy-archive", kind]
    words = [params.q, *params.speakers, *params.themes, *params.sources, *params.years]
    words += [*params.languages, *params.kinds]
    slug = re.sub(r"[^a-z0-9]+", "-", " ".join(words).lower()).strip("-")[:60].strip("-")
    if slug:
        parts.append(slug)
    parts.append(day)
    return "-".join(parts) + ".csv"
