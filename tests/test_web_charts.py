"""Chart geometry, tested without the app."""

from datetime import date, datetime

from app.web.charts import bucket_dates, build_chart


def test_dates_over_several_years_bucket_by_year_with_empty_years():
    buckets = bucket_dates([date(2022, 5, 1), date(2024, 1, 2), date(2024, 7, 9)])
    assert [(b.label, b.count, b.year) for b in buckets] == [
        ("2022", 1, "2022"),
        ("2023", 0, "2023"),
        ("2024", 2, "2024"),
    ]


def test_dates_within_one_year_bucket_by_month():
    buckets = bucket_dates([datetime(2025, 2, 12, 20), date(2025, 4, 30)])
    assert [(b.label, b.count) for b in buckets] == [
        ("Feb 2025", 1),
        ("Mar 2025", 0),
        ("Apr 2025", 1),
    ]
    assert buckets[0].start == date(2025, 2, 1) and buckets[0].end == date(2025, 2, 28)
    assert buckets[0].year is None


def test_a_lone_bar_stays_narrow_and_centred():
    chart = build_chart(bucket_dates([date(2025, 2, 1)]), lambda b: "", width=640)
    (bar,) = chart.bars
    assert bar.width == 56.0 and bar.x == 292.0


def test_no_dates_no_bars():
    assert bucket_dates([]) == []
    chart = build_chart([], lambda b: "")
    assert chart.bars == [] and chart.total == 0


def test_bars_scale_to_the_largest_count_and_link():
    buckets = bucket_dates([date(2023, 1, 1)] + [date(2024, 1, 1)] * 4)
    chart = build_chart(buckets, lambda b: f"/search?year={b.year}", width=200, height=120)
    small, big = chart.bars
    assert chart.baseline == 98.0 and big.height == 82.0 and big.y == 16.0
    assert small.height == 20.5 and small.y == 77.5
    assert small.width == big.width == 56.0  # capped
    assert small.x == 22.0 and big.x == 122.0  # centred in their slots
    assert big.url == "/search?year=2024" and big.title == "2024: 4 articles"
    assert chart.total == 5 and chart.max_count == 4
