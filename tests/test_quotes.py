"""Quotations in a paragraph: quote marks, spans, sentences and masking
(app/ingest/speakers/quotes.py)."""

from app.ingest.speakers.extraction import extract_speakers
from app.ingest.speakers.quotes import (
    find_quote_spans,
    find_reported_clause,
    mask_quotes,
    split_sentences,
    straighten_quotes,
)
from tests.speaker_checks import who_said


def test_straight_and_curly_quotes_are_treated_alike():
    curly = extract_speakers(["\u201cWe will appeal,\u201d said Yara Haddad, a lawyer."])
    straight = extract_speakers(['"We will appeal," said Yara Haddad, a lawyer.'])
    assert curly.speakers[0].quotes[0].text == straight.speakers[0].quotes[0].text


def test_single_quotes_are_read_when_no_double_quotes_are_used():
    result = extract_speakers(["\u2018We will appeal,\u2019 said Yara Haddad, a lawyer."])
    assert who_said(result, "We will appeal") == "Yara Haddad"


def test_double_quotes_nested_in_single_quotes_stay_inside_the_quotation():
    result = extract_speakers(
        ["\u2018He told me \u201cno\u201d twice, and then he left,\u2019 said Ines Varga, a nurse."]
    )
    assert who_said(result, "He told me") == "Ines Varga"


def test_curly_quotes_are_straightened_one_character_for_one():
    assert straighten_quotes("\u201cYes\u201d \u2018no\u2019") == "\"Yes\" 'no'"


def test_a_quotation_left_open_runs_to_the_end_of_the_paragraph():
    text = '"We will appeal," she said. "It is not over'
    assert find_quote_spans(text, text) == ([(0, 17), (28, 43)], True)


def test_quoted_text_is_masked_with_the_same_length():
    assert mask_quotes('a "b" c', [(2, 5)]) == "a \x00\x00\x00 c"


def test_sentences_do_not_end_after_an_honorific():
    assert split_sentences("Mr. Reyes arrived. Then he left.", []) == [(0, 19), (19, 32)]


def test_a_conjunction_after_the_verb_starts_no_reported_clause():
    text = "What the mayor says and promises is now the rule for everyone."
    verb_end = text.index("says") + len("says")
    assert find_reported_clause(text, "says", verb_end, len(text)) is None
