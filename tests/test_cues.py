"""Verbs of saying in every form (app/ingest/speakers/cues.py)."""

import re

from app.ingest.speakers.cues import (
    INVERTIBLE,
    LEMMA_OF,
    SPEECH_PARTICIPLES,
    SPEECH_VERBS,
    inflect,
    trie_pattern,
)


def test_regular_and_irregular_verbs_get_every_form():
    assert inflect("say") == ("says", "said", "saying")
    assert inflect("argue") == ("argues", "argued", "arguing")
    assert inflect("deny") == ("denies", "denied", "denying")
    assert inflect("stress") == ("stresses", "stressed", "stressing")
    assert inflect("admit") == ("admits", "admitted", "admitting")
    assert inflect("slam") == ("slams", "slammed", "slamming")


def test_every_form_of_a_cue_is_read():
    assert {"warns", "warned"} <= SPEECH_VERBS
    assert {"warning", "saying", "calling"} <= SPEECH_PARTICIPLES
    assert LEMMA_OF["accused"] == "accuse"


def test_verbs_taking_an_object_first_are_not_inverted():
    assert "said" in INVERTIBLE and "asked" in INVERTIBLE
    assert "told" not in INVERTIBLE and "promised" not in INVERTIBLE


def test_trie_pattern_matches_exactly_the_words_given():
    words = {"said", "says", "saying", "sa", "told"}
    pattern = re.compile(rf"\b(?:{trie_pattern(words)})\b")
    assert {w for w in words if pattern.fullmatch(w)} == words
    assert pattern.fullmatch("sai") is None
    assert pattern.fullmatch("tolds") is None
