"""/speakers: sorted by surname, filtered by name or first letter, and paginated."""

from __future__ import annotations

import re

from app.web import pages
from app.web.names import surname_initial, surname_key


def test_names_sort_by_surname():
    names = ["Zoe Abbott", "Adam Young", "Dr. Maria de la Cruz", "Ødegaard, Nils"]
    assert sorted(names, key=surname_key) == [
        "Zoe Abbott",
        "Dr. Maria de la Cruz",
        "Ødegaard, Nils",
        "Adam Young",
    ]
    assert surname_initial("Adam Young") == "Y"


FIRST = ["Maria", "John", "Aisha", "Tomas", "Lena", "Oskar"]
LAST = ["Zeller", "Abbott", "Kowalczyk", "Brandt", "Ibarra", "Castillo", "Zorn", "Dunmore"]
LAST += ["Eklund", "Fairweather", "Grieve", "Hollis"]


def _archive(tmp_path, ingest, count: int) -> None:
    for number in range(count):
        first, last = FIRST[number % len(FIRST)], LAST[number]
        (tmp_path / f"{number:03}.txt").write_text(
            f"Council budget vote number {number}\n\nBy Desk\n\n"
            f"“We will vote for the budget,” said {first} {last}, a councillor.\n"
        )
    assert ingest(tmp_path).failed == 0


def names_on(page) -> list[str]:
    return re.findall(r'<a href="[^"]*/speakers/[^"]+">([^<]+)</a>', page.text)


def test_speakers_come_by_surname_in_pages_with_letters(client, tmp_path, ingest, monkeypatch):
    monkeypatch.setattr(pages, "SPEAKERS_PER_PAGE", 5)
    _archive(tmp_path, ingest, 12)
    first = client.get("/speakers")
    shown = names_on(first)
    assert len(shown) == 5 and shown == sorted(shown, key=surname_key)
    assert "1–5 of 12 speakers" in first.text
    assert 'href="/speakers?page=3"' in first.text
    third = names_on(client.get("/speakers", params={"page": "3"}))
    assert len(third) == 2 and surname_key(third[0]) > surname_key(shown[-1])
    by_letter = client.get("/speakers", params={"letter": "z"})
    assert names_on(by_letter) and all(n.split()[-1].startswith("Z") for n in names_on(by_letter))
    assert client.get("/speakers", params={"page": "99"}).status_code == 200
    assert client.get("/speakers", params={"page": "²"}).status_code == 200
