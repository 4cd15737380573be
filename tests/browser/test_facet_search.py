"""The facet look-up in a real browser: typing asks the server for every matching value;
without JavaScript the same form answers with a page."""

from __future__ import annotations

import re

import pytest

from tests.browser.server import build_archive, live_server

pytestmark = pytest.mark.browser

PUBLISHERS = [f"Outlet Number {n}" for n in range(60)] + ["Zürich Ledger"]


@pytest.fixture(scope="module")
def outlets_url(tmp_path_factory):
    folder = tmp_path_factory.mktemp("outlets")
    for n, publisher in enumerate(PUBLISHERS):
        (folder / f"outlet-{n}.md").write_text(
            f"---\ntitle: Water note {n}\npublisher: {publisher}\n---\n"
            f"Water note {n}\n\nThe water board met again.\n"
        )
    settings = build_archive(tmp_path_factory.mktemp("outlets-archive"), [folder])
    with live_server(settings) as url:
        yield url


@pytest.mark.parametrize("javascript", [True, False])
def test_typing_a_name_finds_it_beyond_the_listed_values(browser, outlets_url, javascript):
    context = browser.new_context(base_url=outlets_url, java_script_enabled=javascript)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto("/search?q=water")
    facet = page.locator("section[data-facet=sources]")
    assert facet.get_by_role("link", name="Zürich Ledger").count() == 0  # not among the 50
    facet.get_by_label("Find a source").fill("zurich")
    if not javascript:
        facet.get_by_role("button", name="Find").click()
        page.wait_for_url(re.compile(r"facet_q=zurich"))
    link = page.locator("section[data-facet=sources]").get_by_role("link", name="Zürich Ledger")
    link.wait_for()
    link.click()
    page.wait_for_url(re.compile(r"source=z"))
    assert page.locator(".result").count() == 1
    context.close()
    assert errors == [], errors
