"""The order of hits: the same pages whether the index was built incrementally or rebuilt."""

from app.ingest.pipeline import rebuild_index
from app.search.results import SearchParams


def article(number: int, extra: str = "") -> str:
    # Same length and the same one mention of the word: every article scores alike.
    return (
        f"---\ntitle: Council note {number:02d}\npublished: 2025-03-{number:02d}\n---\n"
        f"The council discussed the harbour budget at its meeting number {number}.\n\n"
        f"Members asked for a report on maintenance costs before the summer.{extra}\n"
    )


def test_tied_hits_keep_their_order_after_reindex(tmp_path, ingest, engine, archive_index):
    for number in range(1, 13):
        (tmp_path / f"n{number:02d}.md").write_text(article(number))
    ingest(tmp_path)
    # Updating the first articles leaves deletions behind and puts them last in the index.
    for number in (1, 2, 3):
        (tmp_path / f"n{number:02d}.md").write_text(article(number, " Noted."))
        ingest(tmp_path / f"n{number:02d}.md")

    def pages() -> list[list[int]]:
        return [
            [
                hit.article_id
                for hit in archive_index.search(
                    SearchParams(q="harbour", page=page, page_size=5), lambda ids: {}
                ).hits
            ]
            for page in (1, 2, 3)
        ]

    before = pages()
    rebuild_index(engine, archive_index)
    assert pages() == before
    assert sorted(sum(before, [])) == list(range(1, 13))
