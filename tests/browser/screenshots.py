"""Screenshots of the main pages at phone and desktop widths, over seeds/ in a temporary archive.

Run with `make screenshots` (or `python -m tests.browser.screenshots [out_dir]`).
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from tests.browser.server import CHROMIUM_ARGS, build_archive, chromium_path, live_server

ROOT = Path(__file__).resolve().parents[2]
WIDTHS = {"phone": (390, 844), "desktop": (1280, 900)}


def pick_pages(request, base_url: str) -> dict[str, str]:
    """One of each kind of page, chosen from what the archive holds, not named in code."""
    speakers = request.get(f"{base_url}/api/speakers").json()["speakers"]
    themes = request.get(f"{base_url}/api/themes").json()["themes"]
    articles = request.get(f"{base_url}/api/articles?limit=1").json()["articles"]
    pages = {"home": "/", "search": "/search?q=government"}
    if articles:
        pages["article"] = f"/articles/{articles[0]['slug']}"
    if speakers:
        top = max(speakers, key=lambda s: (s["quotes"], s["name"]))
        pages["speaker"] = f"/speakers/{top['slug']}"
        # a theme of that speaker's first article: a theme page with a chart and speakers
        quotes = request.get(f"{base_url}/api/speakers/{top['slug']}").json()["quotes"]
        if quotes:
            article = request.get(f"{base_url}/api/articles/{quotes[0]['article']['slug']}")
            article_themes = article.json()["themes"]
            if article_themes:
                pages["theme"] = f"/themes/{article_themes[0]['slug']}"
    if themes and "theme" not in pages:
        top = max(themes, key=lambda t: (t["articles"], t["name"]))
        pages["theme"] = f"/themes/{top['slug']}"
    pages.update(pick_quote_pages(request, base_url, speakers))
    return pages


def pick_quote_pages(request, base_url: str, speakers: list[dict]) -> dict[str, str]:
    """Quote search faceted by its top speaker, that speaker's page filtered by their most
    frequent theme, and the article opened from the first quote hit (at its anchor)."""
    word = "government"
    found = request.get(f"{base_url}/api/quotes?q={word}").json()
    if not found["hits"]:
        return {}
    hit = found["hits"][0]
    pages = {
        "quotes": f"/quotes?q={word}",
        "article-from-quote": f"/articles/{hit['article']['slug']}?q={word}#q{hit['position']}",
    }
    if speakers:
        busiest = max(speakers, key=lambda s: (s["quotes"], s["name"]))["slug"]
        mine = request.get(f"{base_url}/api/speakers/{busiest}").json()
        # A filter that leaves some quotes out, so the page shows it doing something.
        narrowing = [
            (name, value["value"])
            for name, values in (
                ("theme", mine["facets"]["themes"]),
                ("kind", mine["facets"]["kinds"]),
            )
            for value in values
            if 0 < value["count"] < mine["total"]
        ]
        name, value = narrowing[0] if narrowing else ("kind", "direct")
        pages["speaker-filtered"] = f"/speakers/{busiest}?{name}={value}"
    return pages


# Pages shown as a reader lands on them (the viewport at the anchor), not as one long strip.
AT_ANCHOR = {"article-from-quote"}


def main(out_dir: Path) -> list[Path]:
    executable = chromium_path()
    if executable is None:
        raise SystemExit("chromium is not installed: apt-get install -y chromium")
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        settings = build_archive(Path(tmp), [ROOT / "seeds"])
        with live_server(settings) as base_url, sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
            for label, (width, height) in WIDTHS.items():
                context = browser.new_context(
                    base_url=base_url,
                    viewport={"width": width, "height": height},
                    device_scale_factor=1,
                    color_scheme="light",
                )
                page = context.new_page()
                for name, path in pick_pages(context.request, base_url).items():
                    page.goto(path)
                    page.wait_for_load_state("networkidle")  # what scripts fetch after, too
                    target = out_dir / f"{name}-{label}-{width}.png"
                    page.screenshot(path=str(target), full_page=name not in AT_ANCHOR)
                    written.append(target)
                context.close()
            browser.close()
    return written


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "docs" / "screenshots"
    for path in main(out):
        print(path.relative_to(ROOT) if path.is_relative_to(ROOT) else path)
