"""The date measurement counts what it says: documents showing a date, and dates found."""

from tests.extraction.dates import measure

PAGE = """<html><head><meta property="article:published_time" content="2024-06-03T09:00:00Z">
<title>Bridge tolls to rise</title></head><body><nav>Home News</nav><article>
<h1>Bridge tolls to rise</h1><p class="byline">Ada Quist</p><p><time>3 June 2024</time></p>
<p>Tolls on the estuary bridge will rise by ten per cent from the autumn, the operator said on
Monday, citing the cost of resurfacing the main span.</p></article></body></html>"""


def test_counts_pages_and_texts_showing_a_date_and_the_dates_found(tmp_path):
    (tmp_path / "page.html").write_text(PAGE, encoding="utf-8")
    (tmp_path / "dated.txt").write_text(
        "Ferry fares frozen\n\n12/03/2024\n\nFares stay as they are for a year.\n"
    )
    (tmp_path / "undated.txt").write_text("Ferry fares frozen\n\nFares stay as they are.\n")
    read, showing, found, misses = measure(sorted(tmp_path.iterdir()))
    assert (read, showing, found, misses) == (3, 2, 2, [])
