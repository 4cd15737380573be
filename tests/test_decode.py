"""Bytes to text: binary and empty input are refused, legacy encodings are detected."""

import pytest

from app.ingest.document import InputError
from app.ingest.sources.decode import decode_text


def test_windows_1252_text_is_decoded_with_the_right_characters():
    text = "The minister’s “bold” plan costs €5 million — café owners disagree."
    assert decode_text(text.encode("cp1252")) == text


def test_utf8_bom_is_removed():
    assert decode_text("Hello world".encode("utf-8-sig")) == "Hello world"


def test_binary_content_is_refused():
    with pytest.raises(InputError, match="binary"):
        decode_text(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))


@pytest.mark.parametrize("data", [b"", b"   \n\t\n"])
def test_empty_content_is_refused(data):
    with pytest.raises(InputError, match="empty"):
        decode_text(data)


def test_short_windows_1252_text_is_not_mistaken_for_a_dos_code_page():
    text = "Budget talks stall\n\nThe minister’s “final” offer of €5 million was rejected."
    assert decode_text(text.encode("cp1252")) == text


def test_cyrillic_legacy_text_is_detected_not_forced_to_western():
    text = "Правительство представило законопроект о регулировании искусственного интеллекта."
    assert decode_text(text.encode("cp1251")) == text


def test_utf16_without_a_byte_order_mark_is_read_as_text():
    from app.ingest.sources.decode import decode_text

    text = "Ministers weigh new rules — Zürich, café.\n\nThe ministry said so."
    assert decode_text(text.encode("utf-16-le")) == text
    assert decode_text(text.encode("utf-16-be")) == text
