"""Roles and affiliations: titles before a name and appositives after it
(app/ingest/speakers/roles.py)."""

import pytest

from app.ingest.speakers.extraction import extract_speakers
from app.ingest.speakers.roles import parse_appositive, split_role_prefix
from tests.speaker_checks import speaker


@pytest.mark.parametrize(
    ("sentence", "name", "role"),
    [
        ('"We are ready," said Prime Minister Ines Caldera.', "Ines Caldera", "Prime Minister"),
        ('"We are ready," said Sir Colin Abbot.', "Colin Abbot", "Sir"),
        ('"We are ready," Senator Ray Dunphy said.', "Ray Dunphy", "Senator"),
        ('"We are ready," said Dr Mina Yousef.', "Mina Yousef", "Dr"),
    ],
)
def test_honorifics_and_titles_become_role_not_name(sentence, name, role):
    result = extract_speakers([sentence])
    person = speaker(result, name)
    assert person.name == name
    assert person.role == role


def test_title_and_organisation_before_the_name():
    result = extract_speakers(['"Costs will fall," Brightwater chief executive Oren Vale said.'])
    person = speaker(result, "Oren Vale")
    assert person.role == "chief executive"
    assert person.affiliation == "Brightwater"


def test_country_and_title_before_the_name():
    result = extract_speakers(['"Costs will fall," said Estonian Prime Minister Kai Saar.'])
    person = speaker(result, "Kai Saar")
    assert person.role == "Prime Minister"
    assert person.affiliation == "Estonian"


def test_appositive_splits_role_from_organisation():
    assert parse_appositive(["chief", "economist", "at", "Tallis", "Bank"]) == (
        "chief economist",
        "Tallis Bank",
    )
    assert parse_appositive(["the", "director", "of", "the", "Beihai", "Data", "Lab"]) == (
        "director",
        "Beihai Data Lab",
    )


def test_capitalised_title_keeps_its_portfolio():
    assert parse_appositive(["Minister", "of", "Science", "and", "Technology"]) == (
        "Minister of Science and Technology",
        None,
    )


def test_relative_clause_is_not_an_appositive_role():
    assert parse_appositive(["who", "used", "to", "work", "there"]) is None


def test_words_before_the_title_become_affiliation():
    assert split_role_prefix(["US", "Vice", "President"]) == ("Vice President", "US")
    assert split_role_prefix(["Brightwater", "chief", "executive"]) == (
        "chief executive",
        "Brightwater",
    )


def test_honorifics_and_titles_are_never_an_affiliation():
    from app.ingest.speakers.subjects import parse_name_phrase

    for prefix in (["Rev."], ["Mr."], ["Dr"], ["Mrs."]):
        assert split_role_prefix(prefix)[1] is None, prefix
    subject = parse_name_phrase(["the", "Rev.", "Amos", "Tuller"])
    assert subject.tokens == ["Amos", "Tuller"]
    assert subject.affiliation is None
