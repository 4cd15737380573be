"""Personal names: token shapes, speaker keys, matching forms of a name
(app/ingest/speakers/names.py)."""

import pytest

from app.ingest.speakers.extraction import extract_speakers
from app.ingest.speakers.names import is_nameish, same_person, speaker_key


@pytest.mark.parametrize(
    "name",
    ["Ursel van der Maas", "Amina Owusu-Ansah", "T.K. Brennan", "DJ Okafor", "Luc de la Roche"],
)
def test_names_with_particles_hyphens_and_initials(name):
    result = extract_speakers([f'"The data is clear," said {name}, a researcher.'])
    assert [s.name for s in result.speakers] == [name]
    assert result.speakers[0].role == "researcher"


def test_speaker_key_folds_case_accents_punctuation_and_initials():
    assert speaker_key("J.D. Ashby") == speaker_key("JD Ashby") == "jd ashby"
    assert speaker_key("J. D. Ashby") == "jd ashby"
    assert speaker_key("Zoë Ångström") == "zoe angstrom"
    assert speaker_key("Dr Amos Greer") == "amos greer"


def test_same_person_matches_surname_only_forms():
    assert same_person("Maya Lindqvist", "Lindqvist")
    assert same_person("Ursel van der Maas", "van der Maas")
    assert same_person("Maya Lindqvist", "maya lindqvist")
    assert not same_person("Maya Lindqvist", "Erik Lindqvist")
    assert not same_person("Maya Lindqvist", "Maya Holm")


@pytest.mark.parametrize(
    "token", ["Okafor", "O'Neill", "D'Arcy", "McKay", "Qiang-wei", "Asante-Boateng"]
)
def test_name_shaped_tokens_are_names(token):
    assert is_nameish(token)


@pytest.mark.parametrize("token", ["Minister", "The", "NASA", "Okafor's", "okafor"])
def test_titles_stop_words_acronyms_and_possessives_are_not_names(token):
    assert not is_nameish(token)


def test_an_initial_matches_the_full_first_name_it_starts():
    assert same_person("J. Smith", "John Smith")
    assert not same_person("K. Smith", "John Smith")
