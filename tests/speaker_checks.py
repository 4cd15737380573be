"""Helpers for reading an Attribution in the speaker, name, role and quote tests."""

from app.ingest.speakers.extraction import Attribution, same_person


def speaker(result: Attribution, name: str):
    matches = [s for s in result.speakers if same_person(s.name, name)]
    assert matches, f"{name} not among {[s.name for s in result.speakers]}"
    return matches[0]


def who_said(result: Attribution, words: str) -> str | None:
    """The speaker a quote starting with these words went to (None: unattributed)."""
    for s in result.speakers:
        for q in s.quotes:
            if words in q.text:
                return s.name
    for u in result.unattributed:
        if words in u.text:
            return None
    raise AssertionError(f"no quote contains {words!r}")
