"""Browser fixtures: a live server over the invented fixture articles and headless Chromium."""

from __future__ import annotations

import pytest

from tests.browser.server import CHROMIUM_ARGS, build_archive, chromium_path, live_server
from tests.conftest import FIXTURES


@pytest.fixture(scope="session")
def base_url(tmp_path_factory):
    directory = tmp_path_factory.mktemp("browser-archive")
    settings = build_archive(directory, [FIXTURES / "web"], page_size=2)
    with live_server(settings) as url:
        yield url


# Per module, not per session: Playwright's sync API keeps its event loop marked as running
# while it is open, and later tests that call asyncio.run() (test_server_limits) then fail.
@pytest.fixture(scope="module")
def browser():
    executable = chromium_path()
    if executable is None:
        pytest.skip("chromium is not installed (make test installs it with apt-get)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser, base_url):
    context = browser.new_context(base_url=base_url)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on(
        "console",
        lambda msg: errors.append(msg.text) if msg.type == "error" else None,
    )
    yield page
    context.close()
    assert errors == [], errors  # no script errors, no CSP violations
