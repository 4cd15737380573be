"""Datelines: the common written forms of a date become aware UTC datetimes."""

from datetime import UTC, datetime

import pytest

from app.ingest.extract.dates import find_date, is_date_line, prefers_month_first


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("23/01/2025", datetime(2025, 1, 23, tzinfo=UTC)),
        ("14-02-2025", datetime(2025, 2, 14, tzinfo=UTC)),
        ("14.02.2025 09:30", datetime(2025, 2, 14, 9, 30, tzinfo=UTC)),
        ("March 21, 2024", datetime(2024, 3, 21, tzinfo=UTC)),
        ("Updated on 4 March 2025", datetime(2025, 3, 4, tzinfo=UTC)),
        ("Published 3 March 2025 10:14 GMT", datetime(2025, 3, 3, 10, 14, tzinfo=UTC)),
        ("Jun 3, 2024, 4:22am EDT", datetime(2024, 6, 3, 8, 22, tzinfo=UTC)),
        ("Publié le 5 mars 2025", datetime(2025, 3, 5, tzinfo=UTC)),
        ("Veröffentlicht am 5. März 2025", datetime(2025, 3, 5, tzinfo=UTC)),
    ],
)
def test_common_date_forms_are_read(line, expected):
    assert find_date(line) == expected
    assert is_date_line(line)


def test_ambiguous_numeric_date_is_day_first_unless_asked_otherwise():
    assert find_date("03/04/2025") == datetime(2025, 4, 3, tzinfo=UTC)
    assert find_date("03/04/2025", day_first=False) == datetime(2025, 3, 4, tzinfo=UTC)


def test_numeric_date_that_parses_one_way_is_read_that_way():
    assert find_date("12/25/2025") == datetime(2025, 12, 25, tzinfo=UTC)


@pytest.mark.parametrize("line", ["5 min", "Monday", "2 hours ago", "yesterday", "March 2025"])
def test_relative_or_partial_dates_are_not_datelines(line):
    assert find_date(line) is None


def test_month_first_writing_is_recognised():
    assert prefers_month_first("The vote is on May 20, 2024.")
    assert not prefers_month_first("The vote is on 20 May 2024.")
