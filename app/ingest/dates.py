"""Date and time lines in the common news formats, read into aware UTC datetimes."""

import re
from datetime import UTC, datetime, timedelta, timezone

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


def find_date(text: str) -> datetime | None:
    """The first date (with its time, if given) in a line of text, as UTC."""
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


def is_date_line(line: str) -> bool:
    """A short line that is mostly a date: a dateline, not a sentence mentioning one."""
    if len(line.split()) > 14 or find_date(line) is None:
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
