"""The portal's own forms, filled in with generated values: a signed-in visitor walks the pages
its role reaches from its home page, reads every form there (and every link whose address
carries a query), and sends each many times with what a person, a broken browser or an
attacker might send instead of what the page offers: numbers too big for anything, years past
any calendar, text of ten thousand characters, NUL bytes, fields left out or sent twice,
choices the page never offered, hidden ids and keys swapped for garbage or for other ids. The
addresses that name something (an order's id, a school's URN) are asked with other names too.
A file is sent as what a person would upload there (a measure's results) with its cells
changed, or as anything. Pages that show their forms only once something has happened (an order
delivered, a refund refused) find it made first (portal_preparations). No answer may be a
server error, no exception may escape the portal, and every event the posts made must reach
its consumers. The test suite runs a few examples per form; bench/fuzz_portal.py runs many
more.
"""

from __future__ import annotations

import csv
import io
import re
import traceback
from collections.abc import Awaitable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TypeVar
from urllib.parse import quote, urlsplit

import httpx
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import seed as fixed_seed
from hypothesis import strategies as st

from services.portal.users import demo_user
from tests.support.api_fuzzing import Failure
from tests.support.event_delivery import undelivered_events
from tests.support.orders_shop import LocalStripe
from tests.support.platform import Platform
from tests.support.portal_pages import PortalVisitor, signed_in_portal
from tests.support.portal_preparations import file_samples, prepare_for
from tests.support.portal_walk import (
    Field,
    Form,
    Shape,
    address_shape,
    names_something,
    walk,
)

T = TypeVar("T")

# Characters of one value in an address, percent-encoded: the web server (uvicorn) refuses a
# request whose head is over 16 KB before the portal sees it.
MAX_IN_ADDRESS = 6000


# What a field may be sent instead of what its page offers.
NUMBERS = st.one_of(
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.integers(min_value=19, max_value=5000).map(lambda digits: "9" * digits),
    st.sampled_from(
        [
            "99999999999",  # a year past any calendar
            "10000",
            "0",
            "-1",
            "123456789012345.99",  # pounds past anything the business charges
            "£123,456,789,012,345.99",
            "100000000.01",
            "9" * 4301 + ".99",  # more digits than Python reads as a number
            "1e309",
            "NaN",
            "-inf",
            "0.001",
            "1,2,3",
        ]
    ),
)
TEXT = st.one_of(
    st.text(max_size=40),
    st.text(max_size=3).map(lambda text: (text or "x") * 10_000),
    st.text(max_size=20).map(lambda text: f"{text}\x00{text}"),
    st.sampled_from(["", " ", "\x00", "\r\n", "%00", "../../etc/passwd", "<b>", "😀" * 50]),
)
IDS = st.one_of(
    st.uuids().map(str),
    st.sampled_from(["not-an-id", "00000000-0000-0000-0000-000000000000", "1", "9" * 3000]),
)
ANYTHING = st.one_of(NUMBERS, TEXT, IDS)
FILES = st.one_of(
    st.binary(max_size=200),
    st.text(max_size=200).map(str.encode),
    st.text(max_size=3).map(lambda text: ("a,b\n" + (text or "9") * 5000).encode()),
)


def _values_of(f: Field) -> st.SearchStrategy[list[str]]:
    """Sent once mostly, now and then left out or sent twice; the page's own value (one of its
    options) a good part of the time, so that the other fields' values get past it."""
    offered = st.sampled_from(f.options or (f.value,))
    value = st.one_of(offered, offered, ANYTHING)
    return st.sampled_from([0, 1, 1, 1, 1, 1, 2]).flatmap(
        lambda times: st.lists(value, min_size=times, max_size=times)
    )


def examples_of(strategy: st.SearchStrategy[T], *, examples: int, seed: int) -> list[T]:
    """Values the strategy generates, the same ones on every run with the same seed. Drawn
    first and sent afterwards: the visitor is asynchronous, a hypothesis test is not."""
    drawn: list[T] = []

    @fixed_seed(seed)
    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(value: T) -> None:
        drawn.append(value)

    draw()
    return drawn


Filled = tuple[dict[str, list[str]], dict[str, bytes]]  # the fields' values, the files' contents


def fillings(
    form: Form, *, examples: int, seed: int, samples: Mapping[str, bytes] | None = None
) -> list[Filled]:
    """The form as its page filled it in; then each box in turn given what most often breaks
    a reader of its kind, the others filled in plausibly; then with every box filled in
    plausibly and each choice it offers made in turn (so that later pages find what it makes:
    a basket line, an order paid by card); then `examples` generated. A file is sent empty in
    the first ones, or as its sample (what a person would upload there) if `samples` holds
    one, and generated in the others: the sample with its cells changed, or anything."""
    samples = samples or {}
    typed = {f.name: f for f in form.fields if f.kind != "file"}
    files = [f.name for f in form.fields if f.kind == "file"]
    generated = st.tuples(
        st.fixed_dictionaries({name: _values_of(f) for name, f in typed.items()}),
        st.fixed_dictionaries({name: _contents_like(samples.get(name)) for name in files}),
    )
    no_files = {name: samples.get(name, b"") for name in files}
    filled = {name: [f.value or _plausible(f)] for name, f in typed.items()}
    edges = [{**filled, name: [_edge_of(f)]} for name, f in typed.items()]
    # The page's own choice last: what the form does may be done for good (a checkout by
    # invoice, the first choice, would empty the basket before one by card was tried).
    chosen = [
        {**filled, name: [option]}
        for name, f in typed.items()
        for option in dict.fromkeys(f.options)
        if option != f.value
    ]
    return [
        ({name: [f.value] for name, f in typed.items()}, no_files),
        *((values, no_files) for values in [*edges, *chosen, filled]),
        *examples_of(generated, examples=examples, seed=seed),
    ]


def _contents_like(sample: bytes | None) -> st.SearchStrategy[bytes]:
    """Anything, or (given a sample) mostly the sample's CSV with some of its cells changed."""
    if not sample:
        return FILES
    rows = list(csv.reader(io.StringIO(sample.decode())))
    header, body = rows[:1], rows[1:]
    cells = [[st.one_of(st.just(cell), st.just(cell), ANYTHING) for cell in row] for row in body]
    return st.one_of(
        FILES,
        st.tuples(*(st.tuples(*row) for row in cells)).map(lambda drawn: _csv([*header, *drawn])),
    )


def _csv(rows: Sequence[Sequence[str]]) -> bytes:
    written = io.StringIO()
    csv.writer(written).writerows(rows)
    return written.getvalue().encode()


THOUSANDS_OF_DIGITS = "9" * 5000  # more digits than Python reads as a number (4,300)


def _edge_of(f: Field) -> str:
    """What most often breaks a reader of this kind of box: a day or a year no calendar
    holds; a hidden key or id in characters no header carries; a choice the page did not
    offer; else a number of thousands of digits (an amount, a quantity and a long text)."""
    if f.name.endswith(("-day", "-month", "-year")):
        return "99999999999"
    if f.kind == "hidden":
        return "é" * 32
    return "not offered" if f.options else THOUSANDS_OF_DIGITS


def _plausible(f: Field) -> str:
    """What a person might type in an empty box: this year in a date's year, else a 1 (a
    quantity, an amount, a day, a reference and a name alike)."""
    return str(date.today().year) if f.name.endswith("-year") else "1"


async def fuzz_form(
    visitor: PortalVisitor,
    form: Form,
    *,
    who: str,
    examples: int,
    seed: int,
    samples: Mapping[str, bytes] | None = None,
) -> list[Failure]:
    """The form sent filled in each way `fillings` gives; each kind of server error found,
    once (the first request that met it)."""
    failures: dict[str, Failure] = {}
    for values, contents in fillings(form, examples=examples, seed=seed, samples=samples):
        problem = await _problem(_send(visitor, form, values, contents))
        if problem and problem.kind not in failures:
            asked = f"{form.method.upper()} {form.action} {_shown_form(values)}"
            failures[problem.kind] = Failure(who, asked, str(problem))
    return list(failures.values())


async def _send(
    visitor: PortalVisitor, form: Form, values: dict[str, list[str]], contents: dict[str, bytes]
) -> httpx.Response:
    if form.method == "get":
        query = "&".join(
            f"{quote(name)}={within_an_address(value)}"
            for name, sent in values.items()
            for value in sent
        )
        return await visitor.get(f"{form.action}?{query}")
    files = {name: ("fuzz.csv", content, "text/csv") for name, content in contents.items()}
    return await visitor.post(form.action, data=values, files=files or None)


def within_an_address(value: str) -> str:
    """The value percent-encoded, cut short to what an address can carry."""
    while len(encoded := quote(value, safe="")) > MAX_IN_ADDRESS:
        value = value[: len(value) // 2]
    return encoded


async def fuzz_addresses(
    visitor: PortalVisitor, pages: list[str], *, who: str, examples: int, seed: int
) -> list[Failure]:
    """Each shape of page address that names something, asked with each such segment replaced
    by a number of thousands of digits, a word, and generated values; each kind of server error
    found, once per address."""
    failures: list[Failure] = []
    generated = examples_of(st.one_of(IDS, NUMBERS, TEXT), examples=examples, seed=seed)
    replacements = [THOUSANDS_OF_DIGITS, "not-an-id", *generated]
    for path in {address_shape(page): urlsplit(page).path for page in pages}.values():
        parts = path.split("/")
        for position in (at for at, part in enumerate(parts) if names_something(part)):
            found: set[str] = set()
            for value in replacements:
                asked = "/".join(
                    [*parts[:position], within_an_address(value), *parts[position + 1 :]]
                )
                problem = await _problem(visitor.get(asked))
                if problem and problem.kind not in found:
                    found.add(problem.kind)
                    failures.append(Failure(who, f"GET {_shown(asked)}", str(problem)))
    return failures


@dataclass(frozen=True)
class _Problem:
    kind: str  # the exception and where it was raised, or the status: each reported once
    detail: str

    def __str__(self) -> str:
        return f"{self.kind}: {self.detail}"


async def _problem(answering: Awaitable[httpx.Response]) -> _Problem | None:
    try:
        answer = await answering
    except Exception as error:  # the app raised: a 500 outside the test client
        return _Problem(f"raised {type(error).__name__}{_raised_at(error)}", str(error)[:200])
    if answer.status_code >= 500:
        return _Problem(f"answered {answer.status_code}", _heading(answer.text))
    return None


def _raised_at(error: BaseException) -> str:
    """The line of the project's own code the exception came from (if any did)."""
    frames = traceback.extract_tb(error.__traceback__)
    ours = [frame for frame in frames if "/site-packages/" not in frame.filename]
    return "".join(f" at {Path(f.filename).name}:{f.lineno}" for f in (ours or frames)[-1:])


def _heading(page: str) -> str:
    found = re.search(r"<h1[^>]*>(.*?)</h1>", page, re.S)
    return re.sub(r"\s+", " ", found.group(1)).strip() if found else page[:200]


def _shown(value: str) -> str:
    """A value for a failure's report: a huge one shortened."""
    text = repr(value)
    return text if len(text) <= 120 else f"{text[:60]}…({len(value)} characters)…{text[-20:]}"


def _shown_form(values: dict[str, list[str]]) -> str:
    return ", ".join(f"{name}={_shown(value)}" for name, sent in values.items() for value in sent)


# A post that ends what it acts on (a checkout empties the basket) goes after the others, so
# that these find it as it was; one that takes it away (a cancellation, a removal) last.
ENDINGS = ("checkout", "close", "periods", "renewal")
REMOVALS = ("cancel", "retire", "remove")


def _turn(form: Form) -> int:
    action = form.action.rstrip("/")
    if action.endswith(REMOVALS) or any(f.name in REMOVALS for f in form.fields):
        return 2
    return int(action.endswith(ENDINGS))


@dataclass
class Tried:
    """What was fuzzed, by shape, and which addresses are downloads: kept across the users of
    a run, a form that several roles reach (finance's and the administrator's) is fuzzed once,
    by the first."""

    pages: set[str] = field(default_factory=set)
    forms: set[Shape] = field(default_factory=set)
    files: set[str] = field(default_factory=set)
    undelivered: set[str] = field(default_factory=set)  # events reported lost, each once


async def fuzz_user(
    platform: Platform,
    user: str,
    *,
    localstripe: LocalStripe,
    examples: int,
    seed: int,
    pages: int,
    rounds: int = 3,
    tried: Tried | None = None,
) -> tuple[list[Failure], str]:
    """Every form and every page address a demo user reaches (and no other user has `tried`),
    fuzzed, once what its pages need is prepared (see portal_preparations); then the walk
    again, for what the first posts made (a basket line brings the checkout form, an order its
    page), up to `rounds` walks; then, once the platform is quiet, every event an outbox could
    not publish or a consumer parked (and no user before reported). The failures, and how
    much was tried."""
    failures: list[Failure] = []
    tried = tried or Tried()
    new_pages: list[str] = []
    new_forms: list[Form] = []
    demo = demo_user(user)
    prepared = await prepare_for(platform, localstripe, demo) if demo else []
    async with signed_in_portal(platform, user, localstripe_url=localstripe.url) as visitor:
        for _ in range(rounds):
            site = await walk(visitor, pages=pages, files=tried.files, first=prepared)
            pages_now = [page for page in site.pages if address_shape(page) not in tried.pages]
            forms_now = [form for shape, form in site.forms.items() if shape not in tried.forms]
            if not pages_now and not forms_now:
                break
            tried.pages.update(address_shape(page) for page in pages_now)
            tried.forms.update(form.shape for form in forms_now)
            failures += await fuzz_addresses(
                visitor, pages_now, who=user, examples=examples, seed=seed
            )
            for form in sorted(forms_now, key=_turn):
                failures += await fuzz_form(
                    visitor,
                    form,
                    who=user,
                    examples=examples,
                    seed=seed,
                    samples=await file_samples(platform, form),
                )
            new_pages, new_forms = new_pages + pages_now, new_forms + forms_now
    for event in await undelivered_events(platform):
        if event not in tried.undelivered:
            tried.undelivered.add(event)
            failures.append(Failure(user, "the events its posts made", event))
    return failures, f"{len(new_pages)} kinds of page, {len(new_forms)} forms"
