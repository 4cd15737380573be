"""Ways to cite an article: BibTeX, RIS, CSL-JSON and a plain-text reference."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime


@dataclass(frozen=True)
class CitedWork:
    slug: str
    title: str
    author: str | None
    publisher: str | None
    published: datetime | None
    original_url: str | None
    permalink: str
    accessed: date
    site_name: str = "Policy Archive"


def work_of(article, permalink: str, accessed: date, site_name: str) -> CitedWork:
    return CitedWork(
        slug=article.slug,
        title=article.title,
        author=article.author,
        publisher=article.publisher,
        published=article.published,
        original_url=article.url,
        permalink=permalink,
        accessed=accessed,
        site_name=site_name,
    )


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


_BIBTEX_SPECIAL = re.compile(r"([\\{}%&$#_^~])")


def _bibtex_escape(text: str | None) -> str:
    def replace(match: re.Match) -> str:
        char = match.group(1)
        if char == "\\":
            return r"\textbackslash{}"
        if char in "^~":
            return rf"\{char}{{}}"
        return "\\" + char

    return _BIBTEX_SPECIAL.sub(replace, _one_line(text))


def bibtex(work: CitedWork) -> str:
    key = re.sub(r"[^a-z0-9]+", "", work.slug.lower())[:40] or "article"
    fields = [("title", _bibtex_escape(work.title))]
    if work.author:
        fields.append(("author", _bibtex_escape(work.author)))
    if work.publisher:
        fields.append(("journal", _bibtex_escape(work.publisher)))
    if work.published:
        fields.append(("year", str(work.published.year)))
        fields.append(("date", work.published.strftime("%Y-%m-%d")))
    fields.append(("url", _bibtex_escape(work.permalink)))
    fields.append(("urldate", work.accessed.isoformat()))
    if work.original_url:
        fields.append(("note", "Original: " + _bibtex_escape(work.original_url)))
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@article{{{key},\n{body}\n}}\n"


def ris(work: CitedWork) -> str:
    lines = [("TY", "NEWS"), ("TI", _one_line(work.title))]
    if work.author:
        lines.append(("AU", _one_line(work.author)))
    if work.publisher:
        lines.append(("T2", _one_line(work.publisher)))
        lines.append(("PB", _one_line(work.publisher)))
    if work.published:
        lines.append(("PY", str(work.published.year)))
        lines.append(("DA", work.published.strftime("%Y/%m/%d")))
    lines.append(("UR", work.permalink))
    lines.append(("Y2", work.accessed.strftime("%Y/%m/%d")))
    if work.original_url:
        lines.append(("N1", "Original: " + _one_line(work.original_url)))
    lines.append(("ER", ""))
    return "".join(f"{tag}  - {value}\r\n" for tag, value in lines)


def csl_json(work: CitedWork) -> list[dict]:
    item: dict = {
        "id": work.slug,
        "type": "article-newspaper",
        "title": _one_line(work.title),
        "URL": work.permalink,
        "accessed": {"date-parts": [[work.accessed.year, work.accessed.month, work.accessed.day]]},
    }
    if work.author:
        item["author"] = [{"literal": _one_line(work.author)}]
    if work.publisher:
        item["container-title"] = _one_line(work.publisher)
        item["publisher"] = _one_line(work.publisher)
    if work.published:
        p = work.published
        item["issued"] = {"date-parts": [[p.year, p.month, p.day]]}
    if work.original_url:
        item["note"] = "Original: " + work.original_url
    return [item]


def csl_json_text(work: CitedWork) -> str:
    return json.dumps(csl_json(work), ensure_ascii=False, indent=2) + "\n"


def plain(work: CitedWork) -> str:
    """Author (Year). “Title”. Publisher, Day Month Year. Permalink (accessed …)."""
    parts = []
    year = f" ({work.published.year})" if work.published else " (n.d.)"
    parts.append((_one_line(work.author) or _one_line(work.publisher) or "Anonymous") + year + ".")
    parts.append(f"“{_one_line(work.title)}”.")
    where = _one_line(work.publisher)
    if work.published:
        day = f"{work.published.day} {work.published:%B %Y}"
        where = f"{where}, {day}" if where else day
    if where:
        parts.append(where + ".")
    accessed = f"{work.accessed.day} {work.accessed:%B %Y}"
    parts.append(f"{work.site_name}: {work.permalink} (accessed {accessed}).")
    return " ".join(parts)


FORMATS = {
    "bib": ("application/x-bibtex; charset=utf-8", bibtex),
    "ris": ("application/x-research-info-systems; charset=utf-8", ris),
    "json": ("application/vnd.citationstyles.csl+json; charset=utf-8", csl_json_text),
    "txt": ("text/plain; charset=utf-8", lambda work: plain(work) + "\n"),
}
