"""The pages a signed-in visitor of the portal reaches from its home page, and the forms on
them as their markup offers them (the portal has no OpenAPI document for its forms, which post
HTML forms, not JSON: the pages are the schema). For tests/support/portal_fuzzing.py."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import parse_qsl, urldefrag, urlsplit

from services.portal.domain.csrf import FIELD as CSRF_FIELD
from tests.support.portal_pages import PortalVisitor

# Signing out, or in as someone else, would end the visitor's session mid-walk.
NOT_FOLLOWED = ("/sign-in", "/sign-out", "/static", "/assets", "/metrics", "/health")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$", re.I)


@dataclass(frozen=True)
class Field:
    name: str
    kind: str  # the input's type ('text', 'hidden', 'file', 'radio', ...), 'select', 'textarea'
    value: str = ""  # what the page filled in (a choice's checked or first option)
    options: tuple[str, ...] = ()  # the values a select, a radio, a checkbox or a button offers


Shape = tuple[str, str, tuple[str, ...]]


@dataclass(frozen=True)
class Form:
    """A form as its page shows it; a link with a query is a form of method GET."""

    method: str
    action: str
    fields: tuple[Field, ...]

    @property
    def shape(self) -> Shape:
        """The same form on another item's page (another order's refund) has the same shape."""
        return self.method, address_shape(self.action), tuple(f.name for f in self.fields)


def address_shape(address: str) -> str:
    """An address with its ids and numbers blanked: /orders/<id>/refund."""
    path = urlsplit(address).path
    return "/".join("<id>" if names_something(part) else part for part in path.split("/"))


def names_something(segment: str) -> bool:
    return bool(UUID.match(segment)) or segment.isdigit()


class _PageReader(HTMLParser):
    """A page's same-origin links, and its forms with their fields (a button's `formaction`
    makes one more form, of the same fields)."""

    def __init__(self, page: str) -> None:
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._method: str | None = None  # of the form being read
        self._actions: list[str] = []
        self._fields: dict[str, Field] = {}
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        given = {key: value or "" for key, value in attrs}
        name = given.get("name", "")
        if tag == "a" and given.get("href", "").startswith("/"):
            self.links.append(urldefrag(given["href"]).url)
        elif tag == "form":
            self._method, self._fields = given.get("method", "get").lower(), {}
            self._actions = [given.get("action") or urlsplit(self.page).path]
        elif self._method is None:
            return
        elif given.get("formaction"):
            self._actions.append(given["formaction"])
        elif tag in ("input", "button") and name:
            kind = given.get("type", "text" if tag == "input" else "submit")
            if kind in ("radio", "checkbox", "submit"):
                self._fields.setdefault(name, Field(name, kind))
                self._add_option(name, given.get("value", ""), "checked" in given)
            else:
                self._fields[name] = Field(name, kind, given.get("value", ""))
        elif tag == "select" and name:
            self._select = name
            self._fields[name] = Field(name, "select")
        elif tag == "option" and self._select:
            self._add_option(self._select, given.get("value", ""), "selected" in given)
        elif tag == "textarea" and name:
            self._textarea = name
            self._fields[name] = Field(name, "textarea")

    def _add_option(self, name: str, value: str, chosen: bool) -> None:
        now = self._fields[name]
        first = value if chosen or not now.options else now.value
        self._fields[name] = Field(name, now.kind, first, (*now.options, value))

    def handle_data(self, data: str) -> None:
        if self._textarea:
            now = self._fields[self._textarea]
            self._fields[self._textarea] = Field(now.name, now.kind, now.value + data)

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._method is not None:
            fields = tuple(f for f in self._fields.values() if f.name != CSRF_FIELD)
            self.forms += [Form(self._method, to, fields) for to in dict.fromkeys(self._actions)]
            self._method = None


def _followed(address: str) -> bool:
    return address.startswith("/") and not address.startswith(NOT_FOLLOWED)


@dataclass
class Site:
    """What a visitor reaches: the pages visited and the forms on them (and in their links)."""

    pages: list[str] = field(default_factory=list)
    forms: dict[Shape, Form] = field(default_factory=dict)

    def add_forms(self, forms: list[Form]) -> None:
        for form in forms:
            if _followed(form.action):
                self.forms.setdefault(form.shape, form)


async def walk(
    visitor: PortalVisitor,
    *,
    pages: int,
    per_shape: int = 2,
    files: set[str] | None = None,
    first: Sequence[str] = (),
) -> Site:
    """The pages reachable from the home page (and from those `first`, visited before any
    other of their shape), at most `per_shape` of each shape (two orders' pages, not two
    hundred), `pages` in all; each form once per shape. An address in `files` (a download,
    which holds no link or form) is not asked again; one that answers a file is added to
    them."""
    site, files = Site(), set() if files is None else files
    queue, seen, shapes = ["/", *first], {"/", *first}, Counter(map(address_shape, first))
    while queue and len(site.pages) < pages:
        page = queue.pop(0)
        answer = await visitor.get(page)
        site.pages.append(page)
        links = [answer.headers["location"]] if answer.is_redirect else []
        if "text/html" in answer.headers.get("content-type", ""):
            reader = _PageReader(page)
            reader.feed(answer.text)
            links += reader.links
            site.add_forms(reader.forms)
        elif not answer.is_redirect:
            files.add(page)
        for link in links:
            shape = address_shape(link)
            if link in seen or link in files or not _followed(link):
                continue
            if shapes[shape] >= per_shape:
                continue
            seen.add(link)
            shapes[shape] += 1
            queue.append(link)
            if query := urlsplit(link).query:
                asked = tuple(Field(name, "text", value) for name, value in parse_qsl(query))
                site.add_forms([Form("get", urlsplit(link).path, asked)])
    return site
