"""Date and time lines in the common news formats, read into aware UTC datetimes.

A few exact patterns read the formats whose time zones dateparser does not know
("8:05 pm ET", "10.15 BST"); every other form goes to dateparser, which knows numeric
dates, month names in several languages and the words around a date ("Updated on").
"""

import re
from datetime import UTC, datetime, timedelta, timezone

from dateparser.search import search_dates

_MONTHS = {
    name: number
    for number, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for name in names
}
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DAY = r"(?P<day>\d{1,2})(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
_TIME = (
    r"(?:[,\s]+(?:at\s+)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?::(?P<second>\d{2}))?"
    r"\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<zone>GMT|UTC|BST|CET|CEST|EST|EDT|ET|PST|PDT|PT|"
    r"[+-]\d{2}:?\d{2})?)?"
)
_PATTERNS = [
    re.compile(r"\b" + _MONTH + r"\s+" + _DAY + r",?\s+" + _YEAR + _TIME, re.IGNORECASE),
    re.compile(r"\b" + _DAY + r"\s+" + _MONTH + r",?\s+" + _YEAR + _TIME, re.IGNORECASE),
    re.compile(
        r"\b(?P<year>(?:19|20)\d{2})-(?P<month>\d{2})-(?P<day>\d{2})"
        r"(?:[T\s](?P<hour>\d{2}):(?P<minute>\d{2})(?::(?P<second>\d{2}))?(?:\.\d+)?"
        r"\s*(?P<zone>Z|UTC|GMT|[+-]\d{2}:?\d{2})?)?"
    ),
]
_ZONES = {
    "GMT": 0,
    "UTC": 0,
    "Z": 0,
    "BST": 1,
    "CET": 1,
    "CEST": 2,
    "EST": -5,
    "EDT": -4,
    "ET": -5,
    "PST": -8,
    "PDT": -7,
    "PT": -8,
}


def _zone(value: str | None) -> timezone:
    if not value:
        return UTC
    upper = value.upper()
    if upper in _ZONES:
        return timezone(timedelta(hours=_ZONES[upper]))
    sign = -1 if upper.startswith("-") else 1
    digits = upper[1:].replace(":", "")
    return timezone(sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:])))


# The languages of the articles we archive; each one more makes a false date likelier.
_LANGUAGES = ["en", "de", "fr"]
_PARSER_SETTINGS = {
    # A date needs all three parts: "Monday" or "March 2025" alone is not a dateline.
    "REQUIRE_PARTS": ["day", "month", "year"],
    "RETURN_AS_TIMEZONE_AWARE": True,
    "TIMEZONE": "UTC",
    "TO_TIMEZONE": "UTC",
    "PREFER_DATES_FROM": "past",
    # Only dates written out: "5 min" or "yesterday" would be read relative to today.
    "PARSERS": ["custom-formats", "absolute-time"],
}
_DIGIT_RUN = re.compile(r"\d")


def find_date(text: str, *, day_first: bool = True) -> datetime | None:
    """The first date (with its time, if given) in a line of text, as UTC.

    `day_first` settles numeric dates that parse both ways ("03/04/2025"); a date
    that parses only one way ("12/25/2025") is read that way whatever it says.
    """
    return _find_by_pattern(text) or _find_by_parser(text, day_first=day_first)


def _find_by_parser(text: str, *, day_first: bool) -> datetime | None:
    if not _DIGIT_RUN.search(text):
        return None
    settings = {**_PARSER_SETTINGS, "DATE_ORDER": "DMY" if day_first else "MDY"}
    try:
        found = search_dates(text, languages=_LANGUAGES, settings=settings)
    except (ValueError, OverflowError):
        return None
    for matched, moment in found or []:
        # A year alone next to a weekday or a number is not a date: demand a digit.
        if _DIGIT_RUN.search(matched) and 1900 <= moment.year <= 2100:
            return moment.astimezone(UTC)
    return None


def prefers_month_first(text: str) -> bool:
    """Text that writes its dates month first ("March 21, 2024"): read "03/04" as US."""
    return bool(_PATTERNS[0].search(text)) and not _PATTERNS[1].search(text)


def _find_by_pattern(text: str) -> datetime | None:
    for pattern in _PATTERNS:
        match = pattern.search(text)
        if not match:
            continue
        parts = match.groupdict()
        month = parts["month"]
        month_number = int(month) if month.isdigit() else _MONTHS[month.lower().rstrip(".")]
        hour = int(parts.get("hour") or 0)
        ampm = (parts.get("ampm") or "").replace(".", "").lower()
        if ampm == "pm" and hour < 12:
            hour += 12
        elif ampm == "am" and hour == 12:
            hour = 0
        try:
            moment = datetime(
                int(parts["year"]),
                month_number,
                int(parts["day"]),
                hour,
                int(parts.get("minute") or 0),
                int(parts.get("second") or 0),
                tzinfo=_zone(parts.get("zone")),
            )
        except ValueError:
            continue
        return moment.astimezone(UTC)
    return None


def is_date_line(line: str, *, day_first: bool = True) -> bool:
    """A short line that is mostly a date: a dateline, not a sentence mentioning one."""
    if len(line.split()) > 14 or find_date(line, day_first=day_first) is None:
        return False
    return not re.search(r"[.!?]\s*$", line.strip()) or len(line.split()) <= 6


def parse_date_value(value: object) -> datetime | None:
    """A front-matter or metadata value (date, datetime or string) as UTC."""
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    if hasattr(value, "year") and hasattr(value, "month"):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    if isinstance(value, str):
        try:
            parsed = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            return find_date(value)
        return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
    return None
