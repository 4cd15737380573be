"""The extraction figures on the labelled corpus must not fall below these floors."""

import pytest

from tests.extraction.evaluate import CORPUS, HOLDOUT, evaluate_corpus

# A little below what the extractors reach (corpus: speaker F1 1.00, roles 1.00, quotes 0.99,
# attributed-quote precision 0.99, themes F1 0.93), so a regression fails but small noise does not.
FLOORS = {
    "speaker_f1": 0.95,
    "role_accuracy": 0.93,
    "quote_accuracy": 0.95,
    "attributed_quote_precision": 0.95,
    "theme_f1": 0.88,
}


@pytest.fixture(scope="module", params=[CORPUS, HOLDOUT], ids=["corpus", "holdout"])
def figures(request) -> dict[str, float]:
    return evaluate_corpus(request.param)


@pytest.mark.parametrize(("name", "floor"), sorted(FLOORS.items()))
def test_extraction_stays_above_floor(figures, name, floor):
    assert figures[name] >= floor, f"{name} fell to {figures[name]:.3f} (floor {floor})"
