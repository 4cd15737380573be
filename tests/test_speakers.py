"""Speaker extraction: attribution, coreference, unnamed sources
(app/ingest/speakers/extraction.py)."""

import time

import pytest

from app.ingest.speakers.extraction import extract_speakers
from tests.speaker_checks import speaker, who_said


def test_attribution_after_the_quote():
    result = extract_speakers(
        ['"The pilot will end in March," said Olga Pereira, head of digital at Tallis Bank.']
    )
    person = speaker(result, "Olga Pereira")
    assert person.role == "head of digital"
    assert person.affiliation == "Tallis Bank"
    assert person.quotes[0].text == "The pilot will end in March"
    assert person.quotes[0].kind == "direct"


def test_attribution_before_the_quote_with_a_colon():
    result = extract_speakers(
        ["Mayor Ruth Adebayo said: \u201cWe will publish every contract.\u201d"]
    )
    person = speaker(result, "Ruth Adebayo")
    assert person.role == "Mayor"
    assert who_said(result, "We will publish") == "Ruth Adebayo"


def test_quote_interrupted_by_its_attribution_keeps_one_speaker():
    result = extract_speakers(
        ['"We tried," Ilse Brandvold said, "and the model kept failing the same test."']
    )
    assert who_said(result, "We tried") == "Ilse Brandvold"
    assert who_said(result, "and the model kept failing") == "Ilse Brandvold"


def test_quote_running_over_paragraphs_keeps_its_speaker():
    result = extract_speakers(
        [
            "Tomas Riba, a union organiser, spoke after the vote.",
            '"Nobody asked the drivers. Nobody asked the dispatchers.',
            '"That is why we are here," Riba said.',
            '"And we will come back next year."',
        ]
    )
    assert who_said(result, "Nobody asked the drivers") == "Tomas Riba"
    assert who_said(result, "And we will come back") == "Tomas Riba"


def test_reported_speech_without_quotation_marks():
    result = extract_speakers(
        ["Helga Amundsen, the finance minister, said that the levy would raise 2 billion crowns."]
    )
    person = speaker(result, "Helga Amundsen")
    assert person.quotes[0].kind == "reported"
    assert person.quotes[0].text.startswith("the levy would raise")
    assert person.role == "finance minister"


def test_reported_clause_before_an_inverted_attribution():
    result = extract_speakers(
        ["The rules will be reviewed next spring, said Pavel Novotny, a senior official."]
    )
    assert who_said(result, "The rules will be reviewed") == "Pavel Novotny"


def test_unnamed_spokesperson_is_unattributed_with_organisation():
    result = extract_speakers(['"We do not comment on contracts," a Corvane spokesperson said.'])
    assert result.speakers == []
    quote = result.unattributed[0]
    assert quote.organisation == "Corvane"
    assert "spokesperson" in (quote.source or "")


@pytest.mark.parametrize(
    "sentence",
    [
        "Officials said the scheme would be extended to all regions by June.",
        "Staff at the agency said the system had been switched off twice.",
        "The company said in a statement that it had fixed the flaw.",
        "A spokesperson for the Treasury said the figures were under review.",
    ],
)
def test_unnamed_sources_are_not_speakers(sentence):
    result = extract_speakers([sentence])
    assert result.speakers == []
    assert len(result.unattributed) == 1
    assert result.unattributed[0].kind == "reported"


def test_people_only_mentioned_are_not_speakers():
    result = extract_speakers(
        [
            "The bill was drafted by Senator Carla Mendez and backed by Governor Luis Ortega.",
            "Photo: Dana Whitfield / Harbor Images",
            '"It is a good bill," said Nora Lindgren, a policy analyst.',
        ]
    )
    assert [s.name for s in result.speakers] == ["Nora Lindgren"]


def test_byline_author_is_not_a_speaker_of_reported_speech():
    result = extract_speakers(
        ["Kim Osei said the figures were not yet final and would change."],
        byline="Kim Osei",
    )
    assert result.speakers == []


def test_scare_quotes_are_not_quotations():
    result = extract_speakers(
        ['The firm calls its product "responsible AI" and sells it to "trusted partners".']
    )
    assert result.speakers == []
    assert result.unattributed == []


def test_quoted_document_is_not_a_speaker():
    result = extract_speakers(['"Providers shall keep logs for six months," the regulation says.'])
    assert result.speakers == []
    assert result.unattributed[0].text.startswith("Providers shall keep logs")


def test_interview_answers_belong_to_the_interviewee():
    result = extract_speakers(
        [
            "Hana Kobayashi is the chief scientist at Ferrow Labs. She spoke to Ben Ortiz.",
            "Q: What worries you most?",
            "A: Evaluations that nobody can reproduce.",
        ],
        byline="Ben Ortiz",
    )
    assert who_said(result, "Evaluations that nobody") == "Hana Kobayashi"
    assert all("What worries you" not in q.text for s in result.speakers for q in s.quotes)


def test_transcript_speaker_labels_are_attributed():
    result = extract_speakers(
        [
            "Present were Senator Joan Pike and Dr Amos Greer, a statistician.",
            "PIKE: Is the model accurate?",
            "GREER: It is accurate on average, which is not the same thing.",
        ]
    )
    assert who_said(result, "Is the model accurate") == "Joan Pike"
    assert who_said(result, "It is accurate on average") == "Amos Greer"


def test_posted_on_social_media_counts_as_attribution():
    result = extract_speakers(
        ["Rafa Quiroga, founder of Lumen Robotics, posted on X that the ban was a mistake."]
    )
    assert who_said(result, "the ban was a mistake") == "Rafa Quiroga"


def test_according_to_attributes_reported_speech():
    result = extract_speakers(
        [
            "Dr Selin Aksoy, an epidemiologist, reviewed the data.",
            "According to Aksoy, the model missed one case in five.",
        ]
    )
    assert who_said(result, "the model missed one case") == "Selin Aksoy"


def test_extracts_a_long_article_quickly():
    paragraph = (
        "Asha Verma, chief economist at the Dunmore Institute, said that wages would lag. "
        '"We have seen this before," she said. "It takes a decade." The report, published '
        "on Monday, covers 40 countries, and officials said it would inform the budget."
    )
    paragraphs = [paragraph] * 50  # about 2,000 words
    extract_speakers(paragraphs)
    start = time.perf_counter()
    for _ in range(5):
        extract_speakers(paragraphs)
    elapsed = (time.perf_counter() - start) / 5
    assert elapsed < 0.1  # a few ms on a laptop; generous for slow CI machines


def test_speech_inside_a_relative_clause_does_not_attribute_the_quote():
    result = extract_speakers(
        [
            "Referring to Governor Ada Lin's speech, during which she told delegates that rivals "
            'were "moving the goalposts", Marek Zielin said the plan "is still the right one".'
        ]
    )
    assert [s.name for s in result.speakers] == ["Marek Zielin"]


def test_unnamed_staff_after_an_inverted_verb_stay_unattributed():
    result = extract_speakers(
        ["The agency will expand its pilot next year, said staff at a briefing on Tuesday."]
    )
    assert result.speakers == []
    assert result.unattributed[0].source.startswith("staff")


def test_a_tally_line_is_not_a_transcript_line():
    result = extract_speakers(["Ana Ruiz and Tomas Quell ran.", "Ruiz: 547.", "Quell: 46."])
    assert result.speakers == []


@pytest.mark.parametrize(
    "sentence, names",
    [
        (
            "Jane Ordway and Tomas Quell said the ferry fares must fall.",
            {"Jane Ordway", "Tomas Quell"},
        ),
        ("Both Mr. King and Ms. Ordway say the ferry fares must fall.", {"King", "Ordway"}),
        (
            "Sen. Ana Ruiz, Sen. Lena Brandt and Rep. Tomas Quell all argued that the ferry "
            "fares must fall.",
            {"Ana Ruiz", "Lena Brandt", "Tomas Quell"},
        ),
    ],
)
def test_joint_speakers_each_get_the_words(sentence, names):
    result = extract_speakers([sentence])
    said_it = {
        s.name for s in result.speakers if any("fares must fall" in q.text for q in s.quotes)
    }
    assert said_it == names


def test_a_name_inside_a_prepositional_phrase_is_no_joint_speaker():
    result = extract_speakers(
        [
            "A study by Ana Ruiz of the University of Dunmore and Tomas Quell found that the "
            "ferry fares must fall, Lena Brandt said."
        ]
    )
    assert "Dunmore" not in {s.name for s in result.speakers}


def test_a_participle_after_the_name_is_no_role():
    result = extract_speakers(
        ['"We will chip away at the lead," said Lena Brandt, speaking to reporters on Monday.']
    )
    assert speaker(result, "Lena Brandt").role is None


def test_declining_to_say_gives_no_words():
    result = extract_speakers(["Jane Ordway declined to say whether the ferry fares would fall."])
    assert not any("ferry fares" in q.text for s in result.speakers for q in s.quotes)


def test_adjectives_before_a_people_noun_name_nobody():
    # "Central X leaders ..., warning that": the leaders are unnamed, not a person "Central X"
    result = extract_speakers(
        [
            "Northern Ruritanian leaders embraced the ferry pact, warning that the strait will "
            "close without it."
        ]
    )
    assert [s.name for s in result.speakers] == []
