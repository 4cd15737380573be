"""Bar charts of articles over time as plain geometry, drawn by templates as SVG (no JS)."""

from __future__ import annotations

import calendar
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class Bucket:
    """A span of time: a whole year, or one month when everything falls in a single year."""

    label: str
    start: date
    end: date
    year: str | None  # set for whole years: searches can then filter with ?year=
    count: int


@dataclass(frozen=True)
class Bar:
    label: str
    count: int
    x: float
    y: float
    width: float
    height: float
    url: str
    title: str  # hover text and accessible name


@dataclass(frozen=True)
class Chart:
    bars: list[Bar]
    width: int
    height: int
    baseline: float
    max_count: int
    total: int


def bucket_dates(dates: Iterable[date | datetime]) -> list[Bucket]:
    """Count dates by year, or by month when they all fall in one year; gaps count zero."""
    days = [d.date() if isinstance(d, datetime) else d for d in dates if d is not None]
    if not days:
        return []
    years = sorted({d.year for d in days})
    if len(years) > 1:
        counts = Counter(d.year for d in days)
        return [
            Bucket(str(y), date(y, 1, 1), date(y, 12, 31), str(y), counts.get(y, 0))
            for y in range(years[0], years[-1] + 1)
        ]
    year = years[0]
    counts = Counter(d.month for d in days)
    months = range(min(counts), max(counts) + 1)
    return [
        Bucket(
            f"{calendar.month_abbr[m]} {year}",
            date(year, m, 1),
            date(year, m, calendar.monthrange(year, m)[1]),
            None,
            counts.get(m, 0),
        )
        for m in months
    ]


def build_chart(
    buckets: list[Bucket],
    link: Callable[[Bucket], str],
    *,
    width: int = 640,
    height: int = 160,
    label_space: int = 22,
    value_space: int = 16,
    gap: float = 4.0,
    max_bar_width: float = 56.0,
    noun: str = "article",
) -> Chart:
    """Place one bar per bucket in a width × height box; bars scale to the largest count.

    The bottom `label_space` holds the bucket labels and the top `value_space` the counts;
    a bar is never wider than `max_bar_width`, so a lone bar does not fill the chart.
    """
    max_count = max((b.count for b in buckets), default=0)
    baseline = float(height - label_space)
    if not buckets:
        return Chart([], width, height, baseline, 0, 0)
    slot = width / len(buckets)
    bar_width = max(1.0, min(slot - gap, max_bar_width))
    tallest = baseline - value_space
    bars = []
    for i, bucket in enumerate(buckets):
        bar_height = tallest * bucket.count / max_count if max_count else 0.0
        nouns = noun if bucket.count == 1 else noun + "s"
        bars.append(
            Bar(
                label=bucket.label,
                count=bucket.count,
                x=round(i * slot + (slot - bar_width) / 2, 2),
                y=round(baseline - bar_height, 2),
                width=round(bar_width, 2),
                height=round(bar_height, 2),
                url=link(bucket),
                title=f"{bucket.label}: {bucket.count} {nouns}",
            )
        )
    return Chart(bars, width, height, baseline, max_count, sum(b.count for b in buckets))
