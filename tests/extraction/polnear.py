"""Gold attributions of the PolNeAR corpus: who is quoted, directly or in reported speech.

PolNeAR (Political News Attribution Relations) annotates each attribution as brat standoff:
a Source span, a Cue span and a Content span. It names no person, so the person behind a
source is read from the corpus's own Stanford CoreNLP annotations:

1. the head word of the source span (the token whose dependency governor lies outside it);
2. the PERSON tokens at the head, else right beside it inside the span ("spokeswoman X");
3. else the coreference chain that holds the head: its representative mention, if that is a
   person's name, else the longest name among the chain's mentions;
4. else the source is not a named person (an agency, "officials", a crowd): no speaker.

Content inside (or right beside) quotation marks is a direct quote, `''` marks included;
the rest is reported. Reported content whose cue holds a verb or noun of saying (said,
told, according to, statement) is "reported speech"; beliefs, plans and feelings are not.
Within it, speech whose cue holds a verb of saying (tagged as a verb by CoreNLP, "according
to" excepted) is counted apart too: that is the population the issue's target names.
Where several annotators labelled an article, the annotation with most relations is used.

The corpus location is always given by the caller; nothing here knows where it lives.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

SPLITS = ("train", "dev", "test")

# The evaluation's own definition of a cue of saying, kept apart from the extractor's words
# so the harness does not grade the extractor against itself.
SAYING_LEMMAS = frozenset(
    str.split(
        """say tell add note argue claim explain write tweet state insist warn ask announce reply
    respond declare acknowledge admit contend recall testify comment remark assert predict
    promise vow urge call describe report quote accord statement interview speech told
    suggest stress emphasize emphasise caution complain concede confirm deny charge boast joke
    mention point observe answer shout yell continue counter pledge allege accuse praise
    criticize criticise retort agree disagree recount reiterate repeat question wonder post
    remarks testimony"""
    )
)

OPENING = ("\u201c", '"', "\u2018", "''", "``", "\u00ab", "\u201e", "'")
CLOSING = ("\u201d", '"', "\u2019", "''", "\u00bb", "\u201c", "'")


@dataclass
class Token:
    index: int  # 1-based within its sentence, as CoreNLP numbers them
    word: str
    lemma: str
    start: int
    end: int
    pos: str
    ner: str
    governor: int = 0  # 0: the root


@dataclass
class Mention:
    sentence: int  # 1-based
    start: int  # token index, inclusive
    end: int  # token index, exclusive
    head: int
    representative: bool


@dataclass
class Parse:
    sentences: list[list[Token]]
    chains: list[list[Mention]]

    def tokens_in(self, start: int, end: int) -> list[tuple[int, Token]]:
        """(sentence number, token) of every token overlapping the characters [start, end)."""
        found = []
        for number, tokens in enumerate(self.sentences, start=1):
            if not tokens or tokens[-1].end <= start or tokens[0].start >= end:
                continue
            found += [(number, t) for t in tokens if t.end > start and t.start < end]
        return found


@dataclass
class GoldAttribution:
    kind: str  # direct | reported-saying | reported-other
    speaker: str | None  # the person's name, or None when no named person is the source
    content: str
    cue: str
    cue_lemma: str
    source: str
    shape: str  # how the source is written: name, surname, title + name, pronoun, ...
    inverted: bool  # the source comes after the cue ("said X")
    sentence: str  # the sentence around the cue, for error examples (printed, never stored)
    # The cue holds a verb of saying ("said", "told", "is warning"), not only a noun
    # ("statement", "remarks") or "according to": the target population.
    saying_verb: bool = False


@dataclass
class GoldArticle:
    name: str
    path: Path
    text: str
    attributions: list[GoldAttribution] = field(default_factory=list)
    unparsed: bool = False

    def speakers(self) -> list[str]:
        """Named people quoted or reported as saying something, one name per person."""
        names = [a.speaker for a in self.attributions if a.speaker and a.kind != "reported-other"]
        return merge_names(names)


def name_tokens(name: str) -> list[str]:
    words = re.sub(r"[^\w\s-]", " ", name.replace("\u2019", "'").replace("'s ", " ")).split()
    return [w.lower() for w in words if w.lower() not in {"s", "jr", "sr", "ii", "iii"}]


def same_name(a: str, b: str) -> bool:
    """The same person, judged leniently: same surname, or one name within the other."""
    x, y = name_tokens(a), name_tokens(b)
    if not x or not y:
        return False
    return x[-1] == y[-1] or set(x) <= set(y) or set(y) <= set(x)


def merge_names(names: list[str]) -> list[str]:
    """Distinct people, each by the longest form of their name."""
    people: list[str] = []
    for name in sorted(set(names), key=lambda n: -len(name_tokens(n))):
        if not any(same_name(name, kept) for kept in people):
            people.append(name)
    return people


def read_parse(path: Path) -> Parse:
    root = ET.parse(path).getroot()
    sentences: list[list[Token]] = []
    for sentence in root.find("document/sentences").findall("sentence"):
        tokens = [
            Token(
                index=int(t.get("id")),
                word=t.findtext("word"),
                lemma=(t.findtext("lemma") or "").lower(),
                start=int(t.findtext("CharacterOffsetBegin")),
                end=int(t.findtext("CharacterOffsetEnd")),
                pos=t.findtext("POS") or "",
                ner=t.findtext("NER") or "O",
            )
            for t in sentence.find("tokens")
        ]
        basic = next(
            (d for d in sentence.findall("dependencies") if d.get("type") == "basic-dependencies"),
            None,
        )
        if basic is not None:
            for dep in basic:
                index = int(dep.find("dependent").get("idx"))
                if 0 < index <= len(tokens):
                    tokens[index - 1].governor = int(dep.find("governor").get("idx"))
        sentences.append(tokens)
    chains = []
    outer = root.find("document/coreference")
    for chain in outer if outer is not None else []:
        chains.append(
            [
                Mention(
                    sentence=int(m.findtext("sentence")),
                    start=int(m.findtext("start")),
                    end=int(m.findtext("end")),
                    head=int(m.findtext("head")),
                    representative=m.get("representative") == "true",
                )
                for m in chain.findall("mention")
            ]
        )
    return Parse(sentences, chains)


def _spans(field_text: str) -> list[tuple[int, int]]:
    """'Source 10 20;25 30' -> [(10, 20), (25, 30)]."""
    _, _, offsets = field_text.partition(" ")
    spans = []
    for part in offsets.split(";"):
        a, b = part.split()
        spans.append((int(a), int(b)))
    return spans


def read_annotation(path: Path) -> list[dict[str, list[tuple[int, int]]]]:
    """Each relation as role -> character spans (Source, Cue, Content)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    relations = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if len(parts) < 2:
            continue  # the text of a span that runs over a line break
        if parts[0].startswith("T"):
            spans[parts[0]] = _spans(parts[1])
        elif parts[0].startswith("E"):
            relation: dict[str, list[tuple[int, int]]] = {}
            for argument in parts[1].split():
                role, _, ref = argument.partition(":")
                role = role.rstrip("0123456789")
                if role in {"Source", "Cue", "Content"} and ref in spans:
                    relation.setdefault(role, []).extend(spans[ref])
            if "Cue" in relation and "Content" in relation:
                relations.append(relation)
    return relations


def _head(tokens: list[tuple[int, Token]]) -> tuple[int, Token] | None:
    """The token of a span whose governor lies outside the span (the last one if several)."""
    inside = {(s, t.index) for s, t in tokens}
    heads = [
        (s, t)
        for s, t in tokens
        if (s, t.governor) not in inside and t.pos[:1].isalpha() and t.pos not in {"DT", "IN"}
    ]
    return heads[-1] if heads else (tokens[-1] if tokens else None)


def _person_run(text: str, sentence: list[Token], index: int) -> str | None:
    """The PERSON tokens around token `index` (1-based), as written in the text."""
    if not 0 < index <= len(sentence) or sentence[index - 1].ner != "PERSON":
        return None
    lo = hi = index - 1
    while lo > 0 and sentence[lo - 1].ner == "PERSON":
        lo -= 1
    while hi + 1 < len(sentence) and sentence[hi + 1].ner == "PERSON":
        hi += 1
    return " ".join(text[sentence[lo].start : sentence[hi].end].split())


def _person_of(text: str, parse: Parse, source: list[tuple[int, int]]) -> tuple[str | None, str]:
    """The person behind a source span, and the shape of the span."""
    tokens = [pair for a, b in source for pair in parse.tokens_in(a, b)]
    head = _head(tokens)
    if head is None:
        return None, "empty"
    number, token = head
    sentence = parse.sentences[number - 1]
    span_indexes = {t.index for s, t in tokens if s == number}
    if len(tokens) == 1 and token.pos in {"PRP", "PRP$"}:
        shape = "pronoun"
    elif token.ner == "PERSON":
        run = _person_run(text, sentence, token.index) or ""
        before = [
            t for s, t in tokens if s == number and t.index < token.index and t.ner != "PERSON"
        ]
        if any(t.word == "," for _, t in tokens):
            shape = "name, appositive"
        elif before:
            shape = "title/role + name"
        else:
            shape = "full name" if len(run.split()) > 1 else "one-word name"
    else:
        shape = "description"
    name = _person_run(text, sentence, token.index)
    if name is None:
        for side in (token.index - 1, token.index + 1):
            if side in span_indexes:
                name = _person_run(text, sentence, side)
                if name:
                    shape = "role + name"
                    break
    if name is None:
        for chain in parse.chains:
            if not any(
                m.sentence == number and (m.head == token.index or m.start <= token.index < m.end)
                for m in chain
            ):
                continue
            names = []
            for mention in sorted(chain, key=lambda m: not m.representative):
                words = parse.sentences[mention.sentence - 1]
                found = _person_run(text, words, mention.head)
                if found:
                    names.append((mention.representative, found))
            if names:
                representative = [n for rep, n in names if rep]
                name = (
                    representative[0]
                    if representative
                    else max((n for _, n in names), key=lambda n: len(n.split()))
                )
                shape = f"{shape} (coreference)"
            break
    return name, shape


def _is_quoted(text: str, start: int, end: int) -> bool:
    """Content inside or right beside quotation marks, the whole of it."""
    inner = text[start:end].strip()
    lead = text[:start].rstrip()[-2:]
    tail = text[end:].lstrip()[:2]
    body = inner.rstrip(".,;:!?—– ")
    opens = inner.startswith(OPENING) or any(lead.endswith(m) for m in OPENING)
    if inner.endswith(CLOSING):
        closes = True
    else:
        closes = body.endswith(CLOSING) or any(tail.startswith(m) for m in CLOSING)
    return bool(inner) and opens and closes


def _saying_lemma(cue: list[Token]) -> str | None:
    for token in cue:
        if token.lemma in SAYING_LEMMAS or token.word.lower() in SAYING_LEMMAS:
            return token.lemma
    return None


def _saying_verb(cue: list[Token]) -> bool:
    """A verb of saying in the cue: tagged as a verb, "according to" excepted."""
    return any(
        t.pos.startswith("VB") and t.lemma in SAYING_LEMMAS and t.lemma != "accord" for t in cue
    )


def _sentence_text(text: str, parse: Parse, start: int) -> str:
    for tokens in parse.sentences:
        if tokens and tokens[0].start <= start < tokens[-1].end:
            return " ".join(text[tokens[0].start : tokens[-1].end].split())
    return ""


def load_article(corpus: Path, split: str, name: str) -> GoldArticle:
    data = corpus / "data" / split
    text_path = data / "text" / f"{name}.txt"
    text = text_path.read_text(encoding="utf-8")
    article = GoldArticle(name=name, path=text_path, text=text)
    annotations = sorted((data / "attributions").glob(f"{name}_*.ann"))
    if not annotations:
        return article
    parsed = data / "corenlp" / f"{name}.txt.xml"
    if not parsed.exists():
        article.unparsed = True  # a few texts ship without CoreNLP: nobody to name, not scored
        return article
    relations = max((read_annotation(p) for p in annotations), key=len)
    parse = read_parse(parsed)
    for relation in relations:
        content = relation["Content"]
        cue_spans = relation["Cue"]
        cue_tokens = [t for a, b in cue_spans for _, t in parse.tokens_in(a, b)]
        saying = _saying_lemma(cue_tokens)
        if all(_is_quoted(text, a, b) for a, b in content):
            kind = "direct"
        else:
            kind = "reported-saying" if saying else "reported-other"
        source = relation.get("Source", [])
        speaker, shape = _person_of(text, parse, source) if source else (None, "no source")
        verbs = [t.lemma for t in cue_tokens if t.pos.startswith("VB")]
        cue_lemma = saying or (verbs[-1] if verbs else " ".join(t.lemma for t in cue_tokens))
        article.attributions.append(
            GoldAttribution(
                kind=kind,
                speaker=speaker,
                content=" ".join(text[a:b] for a, b in content),
                cue=" ".join(text[a:b] for a, b in cue_spans),
                cue_lemma=cue_lemma,
                source=" ".join(text[a:b] for a, b in source),
                shape=shape,
                inverted=bool(source) and min(a for a, _ in source) > min(a for a, _ in cue_spans),
                sentence=_sentence_text(text, parse, cue_spans[0][0]),
                saying_verb=kind == "reported-saying" and _saying_verb(cue_tokens),
            )
        )
    return article


def article_names(corpus: Path, split: str) -> list[str]:
    return sorted(p.stem for p in (corpus / "data" / split / "text").glob("*.txt"))
