"""Coreference: surnames, titles and pronouns resolved to known people
(app/ingest/speakers/people.py)."""

from app.ingest.speakers.extraction import extract_speakers
from tests.speaker_checks import speaker, who_said


def test_surname_attribution_belongs_to_the_person_already_introduced():
    result = extract_speakers(
        [
            "Marta Kowalska, chief executive of Quillon, defended the deal.",
            '"It was the only option," Kowalska said.',
        ]
    )
    assert len(result.speakers) == 1
    person = speaker(result, "Marta Kowalska")
    assert person.role == "chief executive"
    assert "Kowalska" in person.aliases


def test_role_only_attribution_resolves_to_the_person_with_that_role():
    result = extract_speakers(
        [
            "Anil Varma, the chief economist at Halberd Partners, spoke first.",
            "Jonas Weir, a lawyer, followed him.",
            '"Wages will lag productivity for years," the economist said.',
        ]
    )
    assert who_said(result, "Wages will lag") == "Anil Varma"


def test_pronoun_resolves_to_nearest_compatible_speaker():
    result = extract_speakers(
        [
            "Ms Clara Dunmore opened the hearing. Mr Felix Aaltonen answered for the company.",
            '"We have nothing to hide," he said.',
            '"Then publish the audit," she said.',
        ]
    )
    assert who_said(result, "We have nothing to hide") == "Felix Aaltonen"
    assert who_said(result, "Then publish the audit") == "Clara Dunmore"


def test_ambiguous_pronoun_leaves_the_quote_unattributed():
    result = extract_speakers(
        [
            "Viktor Hale and Simon Okoro met in Vienna last week.",
            '"We disagreed about almost everything," he said.',
        ]
    )
    assert who_said(result, "We disagreed") is None


def test_pronoun_prefers_the_subject_of_the_sentence_before():
    result = extract_speakers(
        [
            "Viktor Hale met Simon Okoro in Vienna last week.",
            '"We disagreed about almost everything," he said.',
        ]
    )
    assert who_said(result, "We disagreed") == "Viktor Hale"


def test_pronoun_prefers_the_speaker_of_the_previous_sentence():
    result = extract_speakers(
        [
            "Referring to a speech by Governor Lena Sato, Dominik Brenner said the plan was late.",
            '"It is already two years behind," he said.',
        ]
    )
    assert who_said(result, "already two years behind") == "Dominik Brenner"


def test_same_surname_told_apart_by_honorific():
    result = extract_speakers(
        [
            "Ms Ana Ruiz and Mr Pablo Ruiz run rival start-ups.",
            '"Open models are safer," Ms Ruiz said.',
            '"They are not," Mr Ruiz said.',
        ]
    )
    assert who_said(result, "Open models are safer") == "Ana Ruiz"
    assert who_said(result, "They are not") == "Pablo Ruiz"


def test_surname_with_particle_attributes_later_quote():
    result = extract_speakers(
        [
            "Ursel van der Maas, a data scientist, presented the study.",
            '"Most errors come from labels," van der Maas said.',
        ]
    )
    assert who_said(result, "Most errors come") == "Ursel van der Maas"


def test_family_name_first_order_is_kept():
    result = extract_speakers(
        [
            "Li Qiang-wei, director of the Beihai Data Lab, presented the results.",
            '"We share everything with our partners," Li said.',
        ]
    )
    assert who_said(result, "We share everything") == "Li Qiang-wei"


def test_descriptive_epithet_resolves_to_the_current_speaker():
    result = extract_speakers(
        [
            "Nils Arvidsson, the company's head of public affairs, spoke at the forum.",
            '"The race is real," Arvidsson said.',
            "The stakes are enormous, said the veteran lobbyist.",
        ]
    )
    assert who_said(result, "The stakes are enormous") == "Nils Arvidsson"


def test_pronoun_between_two_people_goes_to_whoever_spoke_last():
    from app.ingest.speakers.people import Mention, People, Person

    people = People()
    ana, maria = Person(["Ana", "Ruiz"]), Person(["Maria", "Olsen"])
    people.people = [ana, maria]
    people.mentions = [Mention(10, 1, ana, False), Mention(20, 1, maria, False)]
    assert people.resolve_pronoun("f", 100) is None  # nothing tells them apart
    people.last_speaker = ana
    assert people.resolve_pronoun("f", 100) is ana


def test_pronoun_between_two_people_goes_to_the_one_known_to_match():
    from app.ingest.speakers.people import Mention, People, Person

    people = People()
    ana, tomas = Person(["Ana", "Ruiz"], gender="f"), Person(["Tomas", "Quell"])
    people.people = [ana, tomas]
    people.mentions = [Mention(10, 1, ana, False), Mention(20, 1, tomas, False)]
    assert people.resolve_pronoun("f", 100) is ana
