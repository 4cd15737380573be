"""Write bench/experiments/search_fast.py: app/search.py with the measured changes applied.

``python -m bench.experiments.make_fast`` regenerates the prototype from the current
app/search.py (which other people keep editing) and writes search_fast.diff next to it, the
patch the lead can review and apply. Each change is marked "BENCH n:" in the output.
"""

from __future__ import annotations

import difflib
from pathlib import Path

HERE = Path(__file__).resolve().parent
SOURCE = HERE.parent.parent / "app" / "search.py"

DOC = '''"""PROTOTYPE: app/search.py with the changes measured in bench/experiments.

1. Whoosh's per-document reader remembers a *missing* length column too, so committing a segment
   no longer stats a file once per posting of every unscored field (spell_body, keyword fields).
2. Facet counts are taken in C (Counter over a chained itemgetter) instead of one
   Counter.update call per matched document.
3. The matched set comes from the collector that already ran (results.docs()) when it kept
   one (sorted searches) instead of always running a second pass with docs_for_query().
4. more_like_this answers are cached per searcher generation.
5. Highlighting loads character positions for the shown page only, not for all of top_n.
6. The ranking collects every match (limit=None: Whoosh's UnlimitedCollector keeps a docset), so
   the facet counts need no second pass with docs_for_query(); same order, same ties.
"""'''

REPLACEMENTS = [
    (
        "                limit=page * params.page_size,\n"
        "                sortedby=sortedby,\n"
        "                reverse=reverse,\n"
        "                terms=True,\n",
        "                # BENCH 6: optimize=False scores every match anyway; collecting them all\n"
        "                # keeps the docset the facets need, instead of a second pass.\n"
        "                limit=None,\n"
        "                sortedby=sortedby,\n"
        "                reverse=reverse,\n"
        "                terms=True,\n",
    ),
    (
        "from pathlib import Path\n",
        "from itertools import chain\nfrom operator import itemgetter\nfrom pathlib import Path\n",
    ),
    (
        "from whoosh.analysis import StemmingAnalyzer\n",
        "from whoosh.analysis import StemmingAnalyzer\nfrom whoosh.codec import whoosh3\n",
    ),
    (
        "        full_query = query.And([user_query, filter_query])"
        " if filter_query else user_query\n"
        "        page = max(1, params.page)\n",
        "        page = max(1, params.page)\n",
    ),
    (
        "# Multi-valued keyword fields",
        """

def _cached_reader(self, fieldname, column):
    # BENCH 1: the original returns None for a missing column without remembering it, so every
    # posting of a field without lengths costs a stat() of the segment's files at commit.
    try:
        return self._readers[fieldname]
    except KeyError:
        reader = None
        if self.has_column(fieldname):
            reader = self.column_reader(fieldname, column)
        self._readers[fieldname] = reader
        return reader


whoosh3.W3PerDocReader._cached_reader = _cached_reader

# Multi-valued keyword fields""",
    ),
    (
        "            matched = list(searcher.docs_for_query(full_query))\n",
        "            # BENCH 3: the collector already holds every match (see BENCH 6).\n"
        "            matched = sorted(results.docs())\n",
    ),
    (
        "    counts: Counter[str] = Counter()\n"
        "    for docnum in matched:\n"
        "        counts.update(values_per_doc[docnum])\n",
        "    # BENCH 2: one C-level pass instead of a Python call per matched document.\n"
        "    if not matched:\n"
        "        return []\n"
        "    if len(matched) == 1:\n"
        "        picked = [values_per_doc[matched[0]]]\n"
        "    else:\n"
        "        picked = itemgetter(*matched)(values_per_doc)\n"
        "    counts = Counter(chain.from_iterable(picked))\n",
    ),
    (
        '            ids = [int(hit["id"]) for hit in page_hits]\n',
        "            # BENCH 5: the highlighter loads character positions for every hit in top_n\n"
        "            # (a thousand on page 100); only this page's hits are shown.\n"
        "            results.top_n = results.top_n[start : page * params.page_size]\n"
        '            ids = [int(hit["id"]) for hit in page_hits]\n',
    ),
    (
        '''    def more_like_this(self, article_id: int, text: str, limit: int = 5) -> list[int]:
        """Ids of articles most like this one, by the distinctive words of its text."""
        with self._lock:
            searcher = self._current_searcher()
''',
        '''    def more_like_this(self, article_id: int, text: str, limit: int = 5) -> list[int]:
        """Ids of articles most like this one, by the distinctive words of its text."""
        with self._lock:
            searcher = self._current_searcher()
            # BENCH 4: the answer only changes when the index does.
            if searcher is not getattr(self, "_related_searcher", None):
                self._related, self._related_searcher = {}, searcher
            key = (article_id, limit)
            if key not in self._related:
                self._related[key] = self._more_like_this(searcher, article_id, text, limit)
            return self._related[key]

    def _more_like_this(self, searcher, article_id: int, text: str, limit: int) -> list[int]:
        if True:  # keeps the original indentation: a small diff
''',
    ),
]


def build() -> str:
    text = SOURCE.read_text()
    first_line_end = text.index("\n")
    text = DOC + text[first_line_end:]
    for old, new in REPLACEMENTS:
        if text.count(old) != 1:
            raise SystemExit(f"app/search.py changed: cannot find exactly one {old[:60]!r}")
        text = text.replace(old, new)
    return text


def main() -> None:
    original = SOURCE.read_text()
    fast = build()
    (HERE / "search_fast.py").write_text(fast)
    diff = difflib.unified_diff(
        original.splitlines(keepends=True),
        fast.splitlines(keepends=True),
        "a/app/search.py",
        "b/app/search.py",
    )
    (HERE / "search_fast.diff").write_text("".join(diff))
    print(HERE / "search_fast.py")


if __name__ == "__main__":
    main()
