"""Theme assignment: the packaged taxonomy, phrase matching, thresholds and evidence."""

import time
from pathlib import Path

from app.ingest.themes import ThemeDef, assign_themes, load_taxonomy

REQUIRED = {
    "ai-safety",
    "regulation-governance",
    "international-cooperation",
    "geopolitics-competition",
    "infrastructure-compute",
    "economy-workforce",
    "public-services",
    "ethics-bias-fairness",
    "trust-transparency",
    "education-skills",
    "privacy-data",
    "energy-environment",
    "security-defence",
}


def slugs(matches) -> list[str]:
    return [m.slug for m in matches]


def test_packaged_taxonomy_has_every_required_theme_with_phrases():
    taxonomy = load_taxonomy()
    assert {t.slug for t in taxonomy} >= REQUIRED
    for theme in taxonomy:
        assert theme.name and theme.description
        assert theme.phrases and all(0 < w <= 1 for w in theme.phrases.values())


def test_taxonomy_can_be_read_from_another_file(tmp_path: Path):
    path = tmp_path / "themes.toml"
    path.write_text(
        '[themes.ports]\nname = "Ports"\ndescription = "Harbours."\n'
        '[themes.ports.phrases]\n"harbour" = 1.0\n"shipping" = 1.0\n',
        encoding="utf-8",
    )
    assert load_taxonomy(path) == [
        ThemeDef("ports", "Ports", "Harbours.", {"harbour": 1.0, "shipping": 1.0})
    ]


def test_article_with_several_distinct_phrases_gets_the_theme_with_evidence():
    taxonomy = load_taxonomy()
    matches = assign_themes(
        "Town plans new data centre",
        [
            "The data centres will house 10,000 GPUs for training models.",
            "Officials said the compute cluster would open next year.",
        ],
        taxonomy,
    )
    assert slugs(matches)[0] == "infrastructure-compute"
    evidence = matches[0].evidence
    assert evidence["data centre"] == 2  # title and body, plural tolerated
    assert evidence["gpu"] == 1


def test_one_passing_word_is_not_enough():
    taxonomy = load_taxonomy()
    paragraphs = [
        "The mayor opened the new library on Saturday and thanked volunteers.",
        "Among the guests was a teacher from the village, who read a poem.",
        "Refreshments were served in the garden until late afternoon.",
    ]
    assert assign_themes("Library opens", paragraphs, taxonomy) == []


def test_title_counts_more_than_the_body():
    taxonomy = load_taxonomy()
    body = ["The privacy of users was discussed briefly.", "Consent forms were updated."]
    with_title = assign_themes("Privacy regulator fines app", body, taxonomy)
    without = assign_themes("App update", body, taxonomy)
    score = {m.slug: m.score for m in with_title}.get("privacy-data", 0)
    assert score > {m.slug: m.score for m in without}.get("privacy-data", 0)


def test_capitalised_names_do_not_count_as_theme_words():
    taxonomy = load_taxonomy()
    body = ["Officials at the Harbour Energy Trust met the Union of Clerks on Monday."] * 3
    assert assign_themes("Meeting held", body, taxonomy) == []


def test_results_are_sorted_by_score():
    taxonomy = load_taxonomy()
    matches = assign_themes(
        "Military AI and the grid",
        [
            "The defence ministry wants AI for targeting and weapons testing by the military.",
            "Its data centres need electricity from the grid, and emissions will rise.",
        ],
        taxonomy,
    )
    scores = [m.score for m in matches]
    assert scores == sorted(scores, reverse=True)
    assert {"security-defence", "energy-environment"} <= set(slugs(matches))


def test_assigns_themes_quickly():
    taxonomy = load_taxonomy()
    paragraphs = ["Data centres need power from the grid, and workers need new skills."] * 150
    assign_themes("Warm-up", paragraphs, taxonomy)
    start = time.perf_counter()
    for _ in range(10):
        assign_themes("Compute and energy", paragraphs, taxonomy)
    assert (time.perf_counter() - start) / 10 < 0.05
