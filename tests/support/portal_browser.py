"""Debian's chromium driven by Playwright (never a downloaded browser), and the portal's pages
as a person signs in to them."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Locator, Page, ViewportSize, sync_playwright

from tests.support.accessibility import AccessibilityAudit

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[1] / "artifacts" / "screenshots"
PHONE: ViewportSize = {"width": 390, "height": 844}  # an iPhone-sized screen
AUDIT = AccessibilityAudit()  # every page the browser tests show, checked at the end


@contextmanager
def chromium() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium: scripts/test installs it with apt-get")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def signed_in(browser: Browser, portal_url: str, who: str, *, phone: bool = False) -> Page:
    """A fresh browser (its own cookies) signed in as the demo user labelled `who`."""
    context = browser.new_context(base_url=portal_url, viewport=PHONE if phone else None)
    page = AUDIT.watch(context.new_page(), who)
    page.goto("/sign-in")
    page.get_by_label(who).check()
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.wait_for_load_state()
    return page


def wait_for_image(image: Locator, timeout: float = 10.0) -> None:
    """Until the image has loaded. (Playwright's wait_for_function evaluates a string, which
    the portal's Content-Security-Policy refuses, as it would any page script's eval.)"""
    deadline = time.monotonic() + timeout
    while not image.evaluate("image => image.complete && image.naturalWidth > 0"):
        if time.monotonic() > deadline:
            raise AssertionError(f"{image} did not load in {timeout}s")
        time.sleep(0.1)


def screenshot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def fits_the_screen(page: Page) -> bool:
    """Nothing wider than the window: no sideways scrolling on a phone."""
    return bool(page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"))


def tab_to(page: Page, target: Locator, *, presses: int = 150) -> None:
    """Press Tab, as a keyboard user does, until `target` has the focus."""
    for _ in range(presses):
        page.keyboard.press("Tab")
        if target.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{target} cannot be reached with the Tab key")


def choose_with_arrows(page: Page, group: str, option: Locator) -> None:
    """Tab into a radio group named `group`, then move with the arrow keys to `option`."""
    tab_to(
        page,
        page.locator(f'input[type="radio"][name="{group}"]:is(:checked, :first-of-type)').first,
    )
    for _ in range(10):
        if option.is_checked():
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"{option} cannot be chosen with the arrow keys")
