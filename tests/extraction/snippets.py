"""Invented sentences, one or more per error pattern fixed from `make eval-news` on train.

Each names the pattern it stands for (as the harness prints it), the paragraphs, words
from the quote and who must get it (None: nobody named). No corpus text and no real name:
the people, places and bodies here are made up.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Snippet:
    pattern: str
    paragraphs: tuple[str, ...]
    words: str  # words inside the quote that must be attributed
    speaker: str | None


SNIPPETS = [
    Snippet(
        "crash: party in parentheses before the speech verb",
        ("Sen. Jane Ordway (D-Ore.) said the plan works.",),
        "the plan works",
        "Jane Ordway",
    ),
    Snippet(
        "crash: acronym in parentheses before the speech verb",
        ("The Office of Water Safety (OWS) said it would act within a week.",),
        "it would act",
        None,
    ),
]
