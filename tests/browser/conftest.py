"""The portal in a real browser: `make run` (DEMO_DATA=0) as a process, headless Chromium driving it.

Chromium is Debian's (tests/support/browser.py), launched by Playwright with a fresh temporary profile;
each person in a test gets a browser context of their own (their own cookies, their own session).
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.browser.portal import Person
from tests.support.browser import CHROMIUM_ARGS, require_chromium
from tests.support.processes import free_port, running


@pytest.fixture(scope="package")
def portal_url() -> Iterator[str]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with running("services.embedded", {"PORT": str(port), "DEMO_DATA": "0"}, f"{url}/readyz", "embedded-browser"):
        yield url


@pytest.fixture(scope="package")
def chromium() -> Iterator[Any]:
    path = require_chromium()
    from playwright.sync_api import sync_playwright  # only once Chromium is known to be there

    # Package scope: Playwright's own event loop is gone before any other package's asyncio tests run.
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(path), args=CHROMIUM_ARGS, headless=True)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture()
def person(chromium: Any, portal_url: str) -> Iterator[Callable[..., Person]]:
    """Someone at a browser of their own: `person()` on a desktop, `person(width=390)` on a phone,
    `person(scripts=False)` with JavaScript off."""
    contexts: list[Any] = []

    def open_browser(*, width: int = 1280, height: int = 900, scripts: bool = True) -> Person:
        context = chromium.new_context(base_url=portal_url, viewport={"width": width, "height": height},
                                       java_script_enabled=scripts, accept_downloads=True, locale="vi-VN")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Person(context.new_page(), portal_url)

    yield open_browser
    for context in contexts:
        context.close()
