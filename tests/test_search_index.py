"""The index's own mechanics: merges that stay bounded, and a searcher that stays current."""

from app.search import MERGE_FACTOR, ArchiveIndex, IndexDocument, SearchParams


def document(article_id: int, words: str = "policy") -> IndexDocument:
    return IndexDocument(
        article_id,
        f"Title {article_id}",
        f"{words} {article_id}",
        [],
        [],
        [],
        [],
        None,
        None,
        None,
        None,
    )


def test_batches_merge_by_size_tier_not_all_at_once(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    batches = MERGE_FACTOR * 2 + 1
    for batch in range(batches):
        archive_index.index_articles([document(batch * 10 + i) for i in range(10)])
        segments = archive_index.open()._segments()
        assert len(segments) <= MERGE_FACTOR * 2  # never an unbounded pile of batches
    results = archive_index.search(SearchParams(q="policy", page_size=5), lambda ids: {})
    assert results.total == batches * 10
    assert archive_index.document_count() == batches * 10
    archive_index.close()


def test_replaced_documents_are_counted_once_after_merges(tmp_path):
    archive_index = ArchiveIndex(tmp_path / "index")
    archive_index.index_articles([document(1, "harbour")])
    for batch in range(MERGE_FACTOR + 1):
        archive_index.index_articles([document(1, f"harbour edition{batch}")], replace=[1])
    assert archive_index.search(SearchParams(q="harbour"), lambda ids: {}).total == 1
    archive_index.close()


class FakeSegment:
    def __init__(self, docs: int):
        self.docs = docs

    def doc_count_all(self) -> int:
        return self.docs


class FakeWriter:
    storage = schema = None

    def __init__(self):
        self.merged = []

    def add_reader(self, reader):
        self.merged.append(reader.segment)


class FakeReader:
    def __init__(self, storage, schema, segment):
        self.segment = segment

    def close(self):
        pass


def test_merge_policy_never_rewrites_the_large_segments(monkeypatch):
    import whoosh.reading

    from app.search import _merge_tiered

    monkeypatch.setattr(whoosh.reading, "SegmentReader", FakeReader)
    large = FakeSegment(9000)
    small = [FakeSegment(500) for _ in range(MERGE_FACTOR)]
    writer = FakeWriter()
    kept = _merge_tiered(writer, [large, *small])
    assert kept == [large] and writer.merged == small
    writer = FakeWriter()
    assert _merge_tiered(writer, [large, *small[:3]]) == [large, *small[:3]]
    assert writer.merged == []
