"""Fixtures for the browser tests: one Chromium per test session, a fresh context per test.

A browser test asks for `page` (or `new_page` for several readers at once) and `live_server`,
which serves the site from a transactional test database; `world` sets up the personas of
`internationale.core.testing.make_world()` through actions, and `log_in` logs a persona in
through the login form, as a person would.
"""

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from internationale.core.browser import launch_chromium
from internationale.core.testing import PASSWORD

# A short wait: every page here is served from this machine. A journey that waits longer is
# broken, and should say so quickly.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """Chromium, started once for the session. Fails, never skips, where it is missing."""
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop in this thread, and Django refuses database
    # calls made where a loop runs. The tests set up their data around Playwright calls, never
    # inside a coroutine, so the check guards against nothing here.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = launch_chromium(playwright)
            yield chromium
            chromium.close()


@pytest.fixture
def new_page(browser: Any, live_server: Any) -> Iterator[Callable[..., Any]]:
    """Makes pages, each in a context of its own (its own cookies: its own reader).

    `new_page(language="ar")` starts with the language cookie set; other keyword arguments
    go to `browser.new_context` (`viewport`, `bypass_csp`, ...)."""
    contexts: list[Any] = []

    def make(*, language: str | None = None, **options: Any) -> Any:
        options.setdefault("locale", "en")
        options.setdefault("base_url", live_server.url)
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        if language:
            context.add_cookies([{"name": "language", "value": language, "url": live_server.url}])
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page: Callable[..., Any]) -> Any:
    """A page in a fresh browser context: an anonymous English-speaking visitor."""
    return new_page()


@pytest.fixture
def world(live_server: Any) -> dict[str, Any]:
    """The personas' world (see core/testing.py), made through actions for this test."""
    from internationale.core.testing import make_world

    return make_world()


@pytest.fixture
def log_in() -> Callable[..., None]:
    """`log_in(page, persona)` logs in through the form and waits to leave the login page.

    Only for accounts without a second factor; the second-factor journey has its own test."""

    def act(page: Any, persona: Any, *, password: str = PASSWORD) -> None:
        page.goto("/login/")
        # By field name, not label: the login page may be in any interface language.
        form = page.locator("main form")
        form.locator("input[name=display_name]").fill(str(persona))
        form.locator("input[name=password]").fill(password)
        form.locator("button").click()
        page.wait_for_url(lambda url: "/login/" not in url)

    return act
