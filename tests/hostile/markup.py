"""Checks that no payload survived as markup: tags, handlers, URL schemes, evaluated templates."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

from tests.hostile.payloads import TEMPLATE_PRODUCT

URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster", "cite"}
FORBIDDEN_TAGS = {"iframe", "object", "embed", "base", "frame", "frameset", "applet", "math"}
SAFE_SCHEMES = {"http", "https", "mailto"}
_SCHEME = re.compile(r"^([a-z][a-z0-9+.\-]*):")
_INVISIBLE = re.compile(r"[\x00-\x20\x7f]+")


def url_problem(value: str) -> str | None:
    """Why a URL is unsafe to link (None if it is http(s), mailto, or on-site)."""
    bare = _INVISIBLE.sub("", value).lower()
    if bare.startswith("//") or bare.startswith("/\\"):
        return f"protocol-relative URL {value!r}"
    match = _SCHEME.match(bare)
    if match and match.group(1) not in SAFE_SCHEMES:
        return f"URL scheme {match.group(1)!r} in {value!r}"
    return None


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.problems: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if "xssprobe" in tag or tag in FORBIDDEN_TAGS or tag == "style":
            self.problems.append(f"<{tag}> element")
        if tag == "script":
            src = names.get("src") or ""
            if (
                not (src and not url_problem(src) and "xssprobe" not in src)
                and names.get("type") != "application/ld+json"
            ):
                self.problems.append(f"<script> without a site src: {names}")
        if tag == "meta" and (names.get("http-equiv") or "").lower() == "refresh":
            self.problems.append("<meta http-equiv=refresh>")
        for name, value in attrs:
            if name.startswith("on") or "xssprobe" in name:
                self.problems.append(f"attribute {name}= on <{tag}>")
            if name in URL_ATTRIBUTES and value is not None:
                problem = url_problem(value)
                if problem or "xssprobe" in value and tag in {"script", "iframe", "embed"}:
                    self.problems.append(f"<{tag} {name}>: {problem or value}")

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)


def html_problems(text: str) -> list[str]:
    collector = _Collector()
    collector.feed(text)
    collector.close()
    problems = collector.problems
    if TEMPLATE_PRODUCT in text:
        problems.append("a template expression was evaluated")
    return problems


URL_KEYS = {"url", "permalink", "href", "link", "feed", "original", "source_url"}


def json_problems(value, path: str = "$") -> list[str]:
    problems: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key in URL_KEYS and isinstance(item, str) and (p := url_problem(item)):
                problems.append(f"{path}.{key}: {p}")
            if key.endswith("_html") and isinstance(item, str):
                problems += [f"{path}.{key}: {p}" for p in html_problems(item)]
            problems += json_problems(item, f"{path}.{key}")
    elif isinstance(value, list):
        for number, item in enumerate(value):
            problems += json_problems(item, f"{path}[{number}]")
    return problems


def xml_problems(text: str) -> list[str]:
    try:
        root = ET.fromstring(text)
    except ET.ParseError as error:
        return [f"not well-formed XML: {error}"]
    problems = []
    for element in root.iter():
        for name, value in element.attrib.items():
            if name in {"href", "src"} and (p := url_problem(value)):
                problems.append(f"<{element.tag} {name}>: {p}")
        if element.get("type") in {"html", "xhtml"} and element.text:
            problems += html_problems(element.text)
        is_address = element.tag.endswith("loc") or element.tag.endswith("id")
        if is_address and element.text and (p := url_problem(element.text.strip())):
            problems.append(f"<{element.tag}>: {p}")
    return problems


def response_problems(response) -> list[str]:
    """Problems of any answer, by its media type."""
    media_type = response.headers.get("content-type", "").split(";")[0]
    if media_type == "text/html":
        return html_problems(response.text)
    if media_type.endswith("json"):
        return json_problems(json.loads(response.text))
    if media_type.endswith("xml"):
        return xml_problems(response.text)
    if media_type == "text/csv":
        rows = list(csv.reader(io.StringIO(response.text.lstrip("\ufeff"))))[1:]
        return [
            f"spreadsheet formula cell {cell[:40]!r}"
            for row in rows
            for cell in row
            if cell[:1] in {"=", "+", "-", "@"}
        ]
    return []
