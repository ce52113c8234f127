"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against the live test server."""

import os
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).parent / "screenshots"
PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make around it are
# ordinary synchronous calls, made between browser steps.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


class WatchedBrowser:
    """The browser, with every page's console watched for what the Content-Security-Policy refuses.

    Each test fails if any page it opened logged a refusal (`_no_csp_violation` below): the pages' scripts and
    styles must all come from static files, as config/settings/base.py's policy says.
    """

    def __init__(self, browser):
        self._browser = browser
        self.refusals: list[str] = []

    def _watch(self, context):
        def heard(message):
            if "Content Security Policy" in message.text:
                self.refusals.append(f"{message.page.url if message.page else '?'}: {message.text}")

        context.on("console", heard)
        return context

    def new_context(self, **kwargs):
        return self._watch(self._browser.new_context(**kwargs))

    def new_page(self, **kwargs):
        page = self._browser.new_page(**kwargs)  # its own context, closed with the page
        self._watch(page.context)
        return page

    def __getattr__(self, name):
        return getattr(self._browser, name)


@pytest.fixture(autouse=True)
def _no_csp_violation(request):
    if "browser" not in request.fixturenames:
        yield
        return
    watched = request.getfixturevalue("browser")
    watched.refusals.clear()
    yield
    assert not watched.refusals, "the Content-Security-Policy refused:\n" + "\n".join(watched.refusals)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("KP_REQUIRE_BROWSER"):
            pytest.fail(f"{CHROMIUM} is missing; install Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield WatchedBrowser(browser)
        browser.close()


@pytest.fixture
def shot():
    """Save a full-page screenshot under tests/browser/screenshots/ for a person to look at."""
    SCREENSHOTS.mkdir(exist_ok=True)

    def take(page, name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
