"""The search syntax as a small tree, parsed once and compiled by each backend.

Words (all must match), "phrases", OR, NOT word or -word, brackets, field prefixes
(title:, speaker:, theme:, publisher:, author: or by:), prefix* and a NEAR b. A query the
archive cannot run raises QueryError with a message saying how to fix it. The PostgreSQL
backend compiles this tree; the Whoosh index still parses with Whoosh's parser and the
same rules (its messages are the same).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_LENGTH = 500
PREFIX_MIN_LETTERS = 2
MAX_PREFIXES = 4
MAX_NESTING = 8  # brackets inside brackets: the parser recurses once per level
NEAR_DEFAULT = 5
FIELDS = ("title", "body", "speaker", "theme", "publisher", "author")
FIELD_ALIASES = {"by": "author"}


class QueryError(ValueError):
    """A query the archive cannot run; the message tells the user how to fix it."""


@dataclass(frozen=True)
class Word:
    text: str
    field: str | None = None  # None: the backend's default fields


@dataclass(frozen=True)
class Prefix:
    text: str  # the letters before *
    field: str | None = None


@dataclass(frozen=True)
class Phrase:
    words: tuple[str, ...]
    field: str | None = None
    slop: int = 0  # 0: next to each other; n: within n words (NEAR)


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    child: Node


Node = Word | Prefix | Phrase | And | Or | Not

_TOKEN = re.compile(
    r"""\s*(?:
        (?P<open>\()|(?P<close>\))|
        (?P<field>[^\W\d_][\w]*):(?=\S)|
        "(?P<phrase>[^"]*)"|
        (?P<minus>-)(?=[\w"(])|
        (?P<word>[^\s()"]+)
    )""",
    re.VERBOSE,
)
_LETTERS = re.compile(r"\w+")


def parse(text: str) -> Node:
    """The query tree of `text`, or QueryError saying what to change."""
    check_syntax(text)
    tokens = _tokens(text)
    parser = _Parser(tokens)
    node = parser.parse_or()
    if parser.position < len(tokens):
        raise QueryError(
            "The query could not be understood: check AND, OR, NOT and brackets, "
            "or put words in quotes to search for them as they are."
        )
    if node is None:  # "NOT grid" alone is a query: everything without that word
        raise QueryError("The query has no words to search for.")
    return node


def positive_leaves(node: Node) -> list[Word | Prefix | Phrase]:
    """The words, prefixes and phrases a match must or may contain (not those after NOT):
    what highlighting marks."""
    if isinstance(node, Not):
        return []
    if isinstance(node, And | Or):
        return [leaf for child in node.children for leaf in positive_leaves(child)]
    return [node]


def check_syntax(text: str) -> None:
    """Refuse, with advice, what no backend should try: the same messages everywhere."""
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"The query is too long: keep it under {MAX_QUERY_LENGTH} characters.")
    if text.count('"') % 2:
        raise QueryError('A phrase is missing its closing quote (").')
    depth = deepest = 0
    for char in re.sub(r'"[^"]*"', "", text):
        depth += {"(": 1, ")": -1}.get(char, 0)
        deepest = max(deepest, depth)
    if deepest > MAX_NESTING:
        raise QueryError(f"Use at most {MAX_NESTING} levels of brackets inside each other.")
    for match in re.finditer(r"(\w+):", text):
        name = match.group(1).lower()
        if name not in FIELDS and name not in FIELD_ALIASES:
            known = ", ".join(sorted({*FIELDS, *FIELD_ALIASES}))
            raise QueryError(f"Unknown field “{match.group(1)}:”. Known fields: {known}.")
    if re.search(r"(?:^|\s)[*?]", text):
        raise QueryError("A word cannot start with * or ?: put some letters first (regul*).")
    if empty := re.search(r"\b(\w+):(?=\s|$)", text):
        field = empty.group(1)
        raise QueryError(f"“{field}:” needs a word after it, like {field}:budget.")
    prefixes = re.findall(r"([^\s*\"():]*)\*", text)
    if any(len(prefix) < PREFIX_MIN_LETTERS for prefix in prefixes):
        raise QueryError(
            f"Put at least {PREFIX_MIN_LETTERS} letters before * (regul*): "
            "a shorter start matches almost every word."
        )
    if len(prefixes) > MAX_PREFIXES:
        raise QueryError(f"Use at most {MAX_PREFIXES} words ending in * in one search.")


def _tokens(text: str) -> list[tuple[str, str]]:
    tokens, position = [], 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None or match.end() == position:
            break
        position = match.end()
        kind = match.lastgroup
        if kind is not None:
            tokens.append((kind, match.group(kind)))
    return tokens


class _Parser:
    def __init__(self, tokens: list[tuple[str, str]]):
        self.tokens = tokens
        self.position = 0

    def _peek(self) -> tuple[str, str] | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def _is_operator(self, name: str) -> bool:
        token = self._peek()
        return token is not None and token == ("word", name)

    def parse_or(self) -> Node | None:
        children = [self.parse_and()]
        while self._is_operator("OR"):
            self.position += 1
            children.append(self.parse_and())
        children = [child for child in children if child is not None]
        if not children:
            return None
        return children[0] if len(children) == 1 else Or(tuple(children))

    def parse_and(self) -> Node | None:
        children: list[Node] = []
        while (token := self._peek()) is not None and token[0] != "close":
            if self._is_operator("OR"):
                break
            if self._is_operator("AND"):
                self.position += 1
                continue
            before = self.position
            node = self.parse_unary()
            if node is None:
                if self.position == before:
                    break
                continue  # a token without letters ("&", "<->"): nothing to search for
            if self._is_operator("NEAR") or _near_with_distance(self._peek()):
                node = self._near(node)
            children.append(node)
        if not children:
            return None
        return children[0] if len(children) == 1 else And(tuple(children))

    def _near(self, left: Node) -> Node:
        operator = self.tokens[self.position][1]
        self.position += 1
        distance = int(operator.split("/")[1]) if "/" in operator else NEAR_DEFAULT
        right = self.parse_unary()
        if not isinstance(left, Word) or not isinstance(right, Word):
            raise QueryError("NEAR joins two words: budget NEAR housing, or NEAR/3.")
        return Phrase((left.text, right.text), left.field, slop=distance)

    def parse_unary(self) -> Node | None:
        token = self._peek()
        if token is None:
            return None
        if token[0] == "minus" or token == ("word", "NOT"):
            self.position += 1
            child = self.parse_unary()
            return Not(child) if child is not None else None
        return self.parse_atom(field=None)

    def parse_atom(self, field: str | None) -> Node | None:
        token = self._peek()
        if token is None:
            return None
        kind, value = token
        self.position += 1
        if kind == "open":
            inner = self.parse_or()
            if self._peek() == ("close", ")"):
                self.position += 1
            if field is not None and inner is not None:
                return _with_field(inner, field)
            return inner
        if kind == "close":
            return None
        if kind == "field":
            name = value.lower()
            return self.parse_atom(field=FIELD_ALIASES.get(name, name))
        if kind == "phrase":
            words = tuple(_LETTERS.findall(value.lower()))
            if not words:
                return self.parse_atom(field) if self._peek() else None
            return Phrase(words, field) if len(words) > 1 else Word(words[0], field)
        if kind == "minus":
            child = self.parse_atom(field)
            return Not(child) if child is not None else None
        return _word(value, field)


def _near_with_distance(token: tuple[str, str] | None) -> bool:
    return (
        token is not None and token[0] == "word" and bool(re.fullmatch(r"NEAR/\d{1,2}", token[1]))
    )


def _word(value: str, field: str | None) -> Node | None:
    if value.endswith("*"):
        letters = "".join(_LETTERS.findall(value.rstrip("*").lower()))
        return Prefix(letters, field) if letters else None
    words = tuple(_LETTERS.findall(value.lower()))
    if not words:
        return None
    # "covid-19", "e.g.": one token of several words reads as a phrase, as Whoosh does.
    return Word(words[0], field) if len(words) == 1 else Phrase(words, field)


def _with_field(node: Node, field: str) -> Node:
    if isinstance(node, And):
        return And(tuple(_with_field(child, field) for child in node.children))
    if isinstance(node, Or):
        return Or(tuple(_with_field(child, field) for child in node.children))
    if isinstance(node, Not):
        return Not(_with_field(node.child, field))
    if node.field is None:
        return type(node)(**{**node.__dict__, "field": field})
    return node
