"""Bytes to text: refuse binary input, honour BOMs and declared charsets, detect the rest."""

import codecs
import re

from charset_normalizer import from_bytes

from app.ingest.document import InputError

_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Control characters that never appear in text files (tab, newlines and form feed do).
_WORD = re.compile(r"[^\W\d_]+")
_BINARY_BYTES = bytes(sorted(set(range(0, 32)) - {9, 10, 12, 13}))


def looks_binary(data: bytes) -> bool:
    """True for bytes that are not text in any encoding we accept."""
    sample = data[:8192]
    if any(sample.startswith(bom) for bom, _ in _BOMS):
        return False
    if b"\x00" in sample:
        return True
    controls = len(sample) - len(sample.translate(None, _BINARY_BYTES))
    return controls > max(2, len(sample) // 100)


def _as_windows_1252(data: bytes) -> str | None:
    """The text as Windows-1252 if it reads like Western European text, else None.

    Windows-1252 is by far the most common legacy encoding of English and Western
    European articles, and detectors guess it poorly on short texts. In such text
    the non-ASCII characters are punctuation or accents inside mostly-ASCII words;
    Cyrillic or Greek decoded wrongly this way gives whole words of accented letters.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    words = _WORD.findall(text)
    foreign = sum(1 for word in words if len(word) >= 3 and not any(c.isascii() for c in word))
    return text if foreign <= len(words) // 20 else None


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text saved without a byte-order mark (Windows tools do): mostly Latin
    text then has a NUL in every other byte, which would read as binary."""
    sample = data[:8192]
    if len(sample) < 16 or len(sample) % 2:
        return None
    even, odd = sample[0::2], sample[1::2]
    for zeros, encoding in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros.count(0) >= len(zeros) * 0.9:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                return None
            return None if looks_binary(text.encode("utf-8")) else text
    return None


def decode_text(data: bytes, declared: str | None = None) -> str:
    """Decode bytes to str, or raise InputError saying why they are not text."""
    # A NUL past the binary check is never text, and PostgreSQL refuses it in a text
    # column where SQLite stores it: dropped, an archive stores the same on both.
    return _decode(data, declared).replace("\x00", "")


def _decode(data: bytes, declared: str | None) -> str:
    if not data.strip():
        raise InputError("empty file")
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding)
    if (wide := _utf16_without_bom(data)) is not None:
        return wide
    if looks_binary(data):
        raise InputError("binary content, not text")
    if declared:
        try:
            return data.decode(declared)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong declaration is common on the web; detect instead
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (western := _as_windows_1252(data)) is not None:
        return western
    best = from_bytes(data).best()
    if best is None:
        raise InputError("undecodable text: no character encoding fits")
    return str(best)
