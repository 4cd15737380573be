"""The extraction figures on the labelled corpus must not fall below these floors."""

import pytest

from tests.extraction.evaluate import evaluate_corpus

# Set a little below what the extractors reach, so a regression fails but noise does not.
FLOORS = {
    "speaker_f1": 0.95,
    "role_accuracy": 0.90,
    "quote_accuracy": 0.93,
    "attributed_quote_precision": 0.93,
    "theme_f1": 0.85,
}


@pytest.fixture(scope="module")
def figures() -> dict[str, float]:
    return evaluate_corpus()


@pytest.mark.parametrize(("name", "floor"), sorted(FLOORS.items()))
def test_extraction_stays_above_floor(figures, name, floor):
    assert figures[name] >= floor, f"{name} fell to {figures[name]:.3f} (floor {floor})"
