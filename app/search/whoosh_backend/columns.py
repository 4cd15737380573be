"""A segment's numeric column as one array, read once per segment reader.

Whoosh reads a column value per document: a seek and an 8-byte read through its file
objects. Sorting 200,000 quotes newest first asked that 200,000 times, a sixth of a
theme page's first view (py-spy, 100,000 articles). Here the column's bytes come in one
read and become an `array`; the array lives as long as the segment reader does.
"""

from __future__ import annotations

import sys
import threading
import weakref
from array import array
from collections.abc import Sequence

_ARRAYS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def column_values(reader, name: str) -> Sequence[int]:
    """Every document's raw value of the numeric column `name`, by document number of
    this reader (one segment's, or several segments' one after another); a column of
    another kind is given as Whoosh's own reader."""
    leaves = reader.leaf_readers()
    if len(leaves) == 1 and leaves[0][0] is reader:
        return _cached(
            reader, name, lambda: whole_column(reader.column_reader(name, translate=False))
        )
    return _cached(reader, name, lambda: _joined(reader, leaves, name))


def _joined(reader, leaves, name: str) -> Sequence[int]:
    parts = [column_values(leaf, name) for leaf, _ in sorted(leaves, key=lambda pair: pair[1])]
    if not all(isinstance(part, array) for part in parts):
        return reader.column_reader(name, translate=False)
    joined = array(parts[0].typecode)
    for part in parts:
        joined.extend(part)
    return joined


def _cached(reader, name: str, make) -> Sequence[int]:
    with _LOCK:
        found = _ARRAYS.setdefault(reader, {}).get(name)
    if found is None:
        found = make()
        with _LOCK:
            _ARRAYS[reader][name] = found
    return found


def whole_column(column) -> Sequence[int]:
    """A numeric column reader's values as one array, or the reader itself when it is
    not one whose layout is known (fixed-width big-endian numbers from `_basepos`)."""
    try:
        width, typecode = column._fixedlen, column._typecode
        raw = column._dbfile.get(column._basepos, column._count * width)
        values = array(typecode, raw)
    except (AttributeError, ValueError, TypeError):
        return column
    if values.itemsize != width:
        return column
    if sys.byteorder == "little":
        values.byteswap()  # Whoosh writes them big-endian ("!" + typecode)
    missing = column._doccount - len(values)
    if missing > 0:  # documents past the last written value hold the default
        values.extend([column._default] * missing)
    return values
