"""Every page the browser tests visit, checked by axe-core against WCAG 2.2 A and AA, at desktop
width and at 390 px, signed in as the person who visited it.

The tests record where each person's pages went (every navigation of the page's main frame);
the audit opens each of those addresses again in that person's browser context and runs axe.
Only GET pages are recorded, so opening them again changes nothing."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Page, ViewportSize

WCAG_2_2_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]
WIDTHS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "390 px": {"width": 390, "height": 844},
}

TABLES_WITHOUT_CAPTIONS = """() => [...document.querySelectorAll('table')]
  .filter(table => !(table.caption && table.caption.textContent.trim()))
  .map(table => table.outerHTML.slice(0, 120))"""


@dataclass
class AccessibilityAudit:
    visited: dict[str, tuple[BrowserContext, dict[str, None]]] = field(default_factory=dict)

    def watch(self, page: Page, who: str) -> Page:
        """Record every page `who` is shown in this tab, in the order first seen."""
        _, paths = self.visited.get(who, (page.context, {}))
        self.visited[who] = (page.context, paths)  # the newest sign-in, still signed in

        def navigated(frame: object) -> None:
            if frame is page.main_frame:
                address = urlsplit(page.url)
                paths[address.path + (f"?{address.query}" if address.query else "")] = None

        page.on("framenavigated", navigated)
        return page

    def failures(self) -> list[str]:
        """Every WCAG 2.2 A/AA violation and every table without a caption, by person, width
        and page; empty when all pass."""
        axe = Axe()
        found: list[str] = []
        for who, (context, paths) in self.visited.items():
            page = context.new_page()
            for width, viewport in WIDTHS.items():
                page.set_viewport_size(viewport)
                for path in paths:
                    response = page.goto(path)
                    if response is None or "text/html" not in response.headers.get(
                        "content-type", ""
                    ):
                        continue
                    where = f"{who}, {width}, {path}"
                    options = {"runOnly": {"type": "tag", "values": WCAG_2_2_AA}}
                    results = axe.run(page, options=options)
                    for violation in results.response["violations"]:
                        targets = [node["target"] for node in violation["nodes"]][:3]
                        found.append(f"{where}: {violation['id']} ({violation['help']}) {targets}")
                    for table in page.evaluate(TABLES_WITHOUT_CAPTIONS):
                        found.append(f"{where}: a table without a caption: {table}")
            page.close()
        return found
