"""Jinja2 set-up: autoescaping on, and the only two filters that mark text as safe."""

import json
from datetime import datetime
from pathlib import PurePath

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.db import PROJECT_ROOT


def highlighted(snippet: str) -> Markup:
    """The only place highlight markup becomes safe: search.py escaped the text around it."""
    return Markup(snippet)


def json_ld(data: object) -> Markup:
    """JSON for a <script type="application/ld+json"> block.

    Inside <script> the HTML parser decodes no entities and stops only at "</script": so
    the JSON is not HTML-escaped but has every "<", ">" and "&" written as a JSON \\u escape,
    which no string in the data can undo.
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def long_date(value: datetime | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def short_date(value: datetime | None) -> str:
    return value.strftime("%Y-%m-%d") if value else ""


def public_origin(origin: str) -> str:
    """Where an original came from, as the public may see it: a web address as it is, a
    file by its name only (never the server's folders), "-" as standard input."""
    if origin == "-":
        return "standard input"
    if origin.lower().startswith(("http://", "https://")):
        return origin
    path, _, entry = origin.partition("#")  # "feed.xml#https://…", "crawl.warc#…"
    name = PurePath(path).name or path
    return f"{name} → {entry}" if entry else name


def make_templates(*, reload: bool = False) -> Jinja2Templates:
    """`reload`: read a template again when its file changes (development)."""
    templates = Jinja2Templates(directory=str(PROJECT_ROOT / "templates"))
    templates.env.auto_reload = reload
    templates.env.filters["highlighted"] = highlighted
    templates.env.filters["json_ld"] = json_ld
    templates.env.filters["long_date"] = long_date
    templates.env.filters["short_date"] = short_date
    templates.env.filters["public_origin"] = public_origin
    return templates


def compile_all(templates: Jinja2Templates) -> None:
    """Compile every page template now, as a process starts. Compiling the article page's
    takes 40-70 ms, which the first reader of each kind of page paid in each worker: the
    two slowest of 30 first views of article pages at 100,000 articles."""
    for name in templates.env.list_templates(extensions=["html"]):
        templates.env.get_template(name)
