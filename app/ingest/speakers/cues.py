"""Verbs of saying as lemmas (data), and every form of them the speaker rules read.

News attributes speech with many verbs and all their forms: "says", "said", "is warning",
"has argued", ", saying". Keeping lemmas and deriving the forms means a verb added here is
read in every tense at once, and the groups below say how each verb takes its content.
"""

from __future__ import annotations

import re

from app.ingest.speakers.vocabulary import wordset

# Verbs followed by what was said: '"...," X said', 'X said (that) ...', 'X, warning ...'.
CLAUSE_LEMMAS = wordset(
    """
    say add note warn argue write explain state insist claim stress emphasise emphasize
    acknowledge concede admit reply respond comment announce declare caution post remark
    observe suggest continue recall predict conclude counter tweet maintain reiterate
    contend testify assert allege complain boast joke quip deny confirm promise pledge vow
    mention recount repeat retort lament muse reason estimate wonder demand propose point
    tell ask urge remind assure echo question agree shout yell interject charge scoff
    answer
    """
)
# Verbs whose object comes first: "told reporters that ...", "asked them to ...".
OBJECT_LEMMAS = wordset("tell ask urge remind assure")
# Verbs whose object and complement are the content: "called the plan a disgrace",
# "accused the board of lying", "praised it as bold", "described him as a friend".
COMPLEMENT_LEMMAS = wordset(
    "call describe accuse praise thank blame criticize criticise slam blast label dub credit"
)
# Verbs that introduce a quotation but no reported clause of their own.
DIRECT_ONLY_LEMMAS = wordset("ask urge")

_IRREGULAR = {
    "say": ("says", "said", "saying"),
    "tell": ("tells", "told", "telling"),
    "write": ("writes", "wrote", "writing"),
    "speak": ("speaks", "spoke", "speaking"),
    "echo": ("echoes", "echoed", "echoing"),
}
# Verbs that double their last consonant: admitted, quipping.
_DOUBLED = wordset("admit quip dub slam")


def inflect(lemma: str) -> tuple[str, str, str]:
    """Third person, past and present participle of a regular or listed verb."""
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma in _DOUBLED:
        return lemma + "s", lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"
    if lemma.endswith("y") and lemma[-2:-1] not in set("aeiou"):
        return lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing"
    third = lemma + ("es" if lemma.endswith(("s", "sh", "ch", "x", "z")) else "s")
    if lemma.endswith("e"):
        return third, lemma + "d", (lemma if lemma.endswith("ee") else lemma[:-1]) + "ing"
    return third, lemma + "ed", lemma + "ing"


def _forms(lemmas: frozenset[str], *, finite: bool, participle: bool) -> frozenset[str]:
    forms: set[str] = set()
    for lemma in lemmas:
        third, past, ing = inflect(lemma)
        if finite:
            forms.update((third, past))
        if participle:
            forms.add(ing)
    return frozenset(forms)


LEMMA_OF = {
    form: lemma for lemma in CLAUSE_LEMMAS | COMPLEMENT_LEMMAS for form in (lemma, *inflect(lemma))
}

# Finite forms: "X said", "said X", "X has argued".
SPEECH_VERBS = _forms(CLAUSE_LEMMAS | COMPLEMENT_LEMMAS, finite=True, participle=False) | {"say"}
# Present participles: "is warning", "has been arguing", "..., saying ...".
SPEECH_PARTICIPLES = _forms(CLAUSE_LEMMAS | COMPLEMENT_LEMMAS, finite=False, participle=True)
OBJECT_VERBS = _forms(OBJECT_LEMMAS | COMPLEMENT_LEMMAS, finite=True, participle=True)
COMPLEMENT_VERBS = _forms(COMPLEMENT_LEMMAS, finite=True, participle=True)
DIRECT_ONLY = _forms(DIRECT_ONLY_LEMMAS, finite=True, participle=True)
# Verbs that may come before their subject: '"...," commented the minister'. Verbs whose
# object follows them ("told X") or that rarely invert stay out.
INVERTIBLE = _forms(
    CLAUSE_LEMMAS
    - wordset("tell urge remind assure promise pledge vow point wonder demand propose threaten"),
    finite=True,
    participle=False,
) - wordset("claims states notes")


def trie_pattern(words: frozenset[str] | set[str]) -> str:
    """One regular expression alternative per shared prefix: fast on hundreds of words."""
    tree: dict = {}
    for word in words:
        node = tree
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def build(node: dict) -> str:
        ends = "" in node
        branches = [re.escape(char) + build(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{body})?" if ends else body

    return build(tree)
