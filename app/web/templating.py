"""Jinja2 set-up: autoescaping on, and the one filter that marks highlight HTML safe."""

from datetime import datetime

from fastapi.templating import Jinja2Templates
from markupsafe import Markup

from app.db import PROJECT_ROOT


def highlighted(snippet: str) -> Markup:
    """The only place highlight markup becomes safe: search.py escaped the text around it."""
    return Markup(snippet)


def long_date(value: datetime | None) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def make_templates() -> Jinja2Templates:
    templates = Jinja2Templates(directory=str(PROJECT_ROOT / "templates"))
    templates.env.filters["highlighted"] = highlighted
    templates.env.filters["long_date"] = long_date
    return templates
