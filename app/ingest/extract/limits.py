"""What an article must have and may not exceed: some words, bounded paragraphs and size."""

from __future__ import annotations

import re

from app.ingest.document import ArticleIn, Block, InputError

# A paragraph longer than this is cut at sentence (or word) ends: a file of one 19 MB line
# became one paragraph that no page, snippet or quote finder handled well.
MAX_PARAGRAPH_CHARS = 5_000
_WORD = re.compile(r"[^\W\d_]{2,}")
_LETTER = re.compile(r"[^\W\d_]")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"'”’)\]]*\s+")


def check_substance(article: ArticleIn) -> None:
    """Refuse a body with no words ("!!!", a row of dashes): there is nothing to archive."""
    body = " ".join(article.paragraphs)
    # Three words, or ten letters for scripts written without spaces.
    if len(_WORD.findall(body)) < 3 and len(_LETTER.findall(body)) < 10:
        raise InputError("no article text: the body has no words")


def check_size(article: ArticleIn, max_chars: int) -> None:
    size = sum(len(text) for text in article.paragraphs)
    if size > max_chars:
        raise InputError(
            f"too long for one article ({size:,} characters of text; the limit is {max_chars:,})"
        )


def split_long_blocks(blocks: list[Block], max_chars: int = MAX_PARAGRAPH_CHARS) -> list[Block]:
    """Blocks with every paragraph cut to at most `max_chars`, at sentence ends if possible."""
    result: list[Block] = []
    for block in blocks:
        if len(block.text) <= max_chars:
            result.append(block)
            continue
        result.extend(Block(piece, block.kind) for piece in _pieces(block.text, max_chars))
    return result


def _pieces(text: str, max_chars: int) -> list[str]:
    pieces = []
    while len(text) > max_chars:
        window = text[: max_chars + 1]
        cut = max((m.end() for m in _SENTENCE_END.finditer(window)), default=0)
        if cut < max_chars // 2:  # no sentence end in the second half: cut at a space
            space = window.rfind(" ")
            cut = space + 1 if space > max_chars // 2 else max_chars
        pieces.append(text[:cut].strip())
        text = text[cut:].lstrip()
    pieces.append(text.strip())
    return [piece for piece in pieces if piece]
