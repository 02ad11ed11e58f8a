"""The chaos run's customers: schools ordering on invoice and by card (confirmed through
localstripe, which posts its webhook back), booking places on courses through their basket,
cancelling some orders (a refund or a credit note follows), and an LA officer signing
milestones off. Each retries as a real client would, with
the same Idempotency-Key, until it is answered; what was accepted is written down."""

from __future__ import annotations

import asyncio
import csv
import itertools
import random
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
import stripe

from services.seed.files import SCHOOLS_CSV
from shared.auth import Role, issue_token
from shared.clock import Clock
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.support.card_payments import confirm_with_card, stripe_client
from tests.support.chaos.fleet import Fleet

GIVE_UP_SECONDS = 120.0  # a request still failing after this long is a finding, not a retry
ORDERING_SCHOOLS = 24
KINDS = ("invoice", "card", "course", "cancel", "milestone")
WEIGHTS = (38, 27, 10, 15, 10)


def token(role: Role, urn: int | None = None) -> dict[str, str]:
    signed = issue_token(secret=DEVELOPMENT_JWT_SECRET, subject=f"chaos-{role}", role=role, urn=urn)
    return {"Authorization": f"Bearer {signed}"}


@dataclass
class Ledgerbook:
    """What the customers were told: each key's order, what was cancelled, what was signed."""

    orders: dict[str, str] = field(default_factory=dict)  # idempotency key → order id
    answers_per_key: dict[str, set[str]] = field(default_factory=dict)
    card_orders: set[str] = field(default_factory=set)
    course_orders: set[str] = field(default_factory=set)
    cancelled: set[str] = field(default_factory=set)
    milestones_signed: set[str] = field(default_factory=set)
    retries: Counter[str] = field(default_factory=Counter)
    refused: Counter[str] = field(default_factory=Counter)
    failures: list[str] = field(default_factory=list)


class Customers:
    def __init__(self, fleet: Fleet, rng: random.Random) -> None:
        self.fleet = fleet
        self.rng = rng
        self.book = Ledgerbook()
        self.urns = _school_urns(ORDERING_SCHOOLS)
        self.service_ids: list[str] = []
        self.sessions: list[tuple[str, str]] = []  # a course's service id, one of its sessions
        self.contracts: list[str] = []
        # A school's basket is one: two checkouts of the same school at once would mix them.
        self._baskets: defaultdict[int, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._client = httpx.AsyncClient(timeout=30.0)  # a busy machine answers slowly
        self._stripe_http = stripe.HTTPXClient()
        self._stripe = stripe_client(fleet.stripe_url, self._stripe_http)

    async def prepare(self) -> None:
        """Wait until orders sells the catalogue's services and the LA's contracts are there."""
        school = token(Role.SCHOOL, self.urns[0])
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            listings = await self._get("orders", "/listings", school)
            self.service_ids = [
                each["service_id"]
                for each in listings
                if each["service_type"] in {"consultancy", "bundle"}
            ]
            if len(self.service_ids) >= 3:
                break
            await asyncio.sleep(0.5)
        else:
            raise RuntimeError("orders never listed the catalogue's services")
        for course in (each for each in listings if each["service_type"] == "course"):
            path = f"/services/{course['service_id']}/sessions"
            for session in await self._get("catalogue", path, school):
                self.sessions.append((course["service_id"], session["id"]))
        contracts = await self._get("commissioning", "/contracts", token(Role.LA_OFFICER))
        self.contracts = [each["id"] for each in contracts if each.get("status") == "signed"]
        self.contracts = self.contracts or [each["id"] for each in contracts]

    async def close(self) -> None:
        await self._client.aclose()
        await self._stripe_http.close_async()  # type: ignore[no-untyped-call]  # unannotated in stripe

    async def place(self, count: int, *, per_second: float, in_flight: int) -> None:
        """`count` actions at no more than `per_second`, each in a task of its own, and no more
        than `in_flight` unanswered at once: when the platform is slower than the rate, the
        customers wait for it, as people at their screens would (and the client's connection
        pool does not grow a queue it must search through on every request)."""
        room = asyncio.Semaphore(in_flight)

        async def act(kind: str, number: int) -> None:
            try:
                await self._act(kind, number)
            finally:
                room.release()

        tasks = []
        for number in range(count):
            kind = self.rng.choices(KINDS, WEIGHTS)[0]
            await room.acquire()
            tasks.append(asyncio.create_task(act(kind, number)))
            await asyncio.sleep(1 / per_second)
        await asyncio.gather(*tasks)

    async def _act(self, kind: str, number: int) -> None:
        try:
            if kind == "cancel" and self.book.orders:
                await self._cancel(self.rng.choice(sorted(self.book.orders.values())))
            elif kind == "milestone" and self.contracts:
                await self._sign_off(self.rng.choice(self.contracts), number)
            elif kind == "course" and self.sessions:
                await self._book_course(*self.rng.choice(self.sessions))
            else:
                await self._order(card=kind == "card")
        except Exception as error:
            self.book.failures.append(f"{kind} #{number}: {error!r}")

    async def _order(self, *, card: bool) -> None:
        urn = self.rng.choice(self.urns)
        key = uuid.uuid4().hex
        lines = [
            {"service_id": service_id, "quantity": self.rng.randint(1, 3)}
            for service_id in self.rng.sample(self.service_ids, self.rng.randint(1, 2))
        ]
        body = {
            "urn": urn,
            "lines": lines,
            "payment_method": "card" if card else "invoice",
            "purchase_order": None if card else f"PO-{key[:8]}",
        }
        placed = await self._retrying(
            "order",
            lambda: self._client.post(
                f"{self.fleet.url('orders')}/orders",
                json=body,
                headers={**token(Role.SCHOOL, urn), "Idempotency-Key": key},
            ),
        )
        await self._accepted(key, placed)

    async def _accepted(self, key: str, placed: Any) -> None:
        if placed is None:
            return
        self.book.answers_per_key.setdefault(key, set()).add(placed["id"])
        self.book.orders[key] = placed["id"]
        if placed["payment_method"] == "card" and placed.get("payment"):
            self.book.card_orders.add(placed["id"])
            await self._pay(placed["payment"]["reference"])

    async def _book_course(self, service_id: str, session_id: str) -> None:
        """Places on a dated session, through the school's basket: reserved while there are
        places, on the waiting list after."""
        urn = self.rng.choice(self.urns)
        card = self.rng.random() < 0.4
        key = uuid.uuid4().hex
        school = token(Role.SCHOOL, urn)
        basket = f"{self.fleet.url('orders')}/baskets/{urn}"
        line = {"service_id": service_id, "session_id": session_id, "quantity": 1}
        async with self._baskets[urn]:
            added = await self._retrying(
                "basket", lambda: self._client.post(f"{basket}/lines", json=line, headers=school)
            )
            if added is None:
                return
            placed = await self._retrying(
                "checkout",
                lambda: self._client.post(
                    f"{basket}/checkout",
                    json={
                        "payment_method": "card" if card else "invoice",
                        "purchase_order": None if card else f"PO-{key[:8]}",
                    },
                    headers={**school, "Idempotency-Key": key},
                ),
            )
        if placed is not None:
            self.book.course_orders.add(placed["id"])
        await self._accepted(key, placed)

    async def _pay(self, reference: str) -> None:
        """The browser's part: attach a card and confirm; localstripe then posts the webhook."""
        await confirm_with_card(self._stripe, reference)

    async def _cancel(self, order_id: str) -> None:
        done = await self._retrying(
            "cancel",
            lambda: self._client.post(
                f"{self.fleet.url('orders')}/orders/{order_id}/cancel",
                json={"reason": "chaos: the school changed its mind"},
                headers=token(Role.FINANCE),
            ),
        )
        if done is not None:
            self.book.cancelled.add(order_id)

    async def _sign_off(self, contract_id: str, number: int) -> None:
        officer = token(Role.LA_OFFICER)
        base = f"{self.fleet.url('commissioning')}/contracts/{contract_id}/milestones"
        milestone = await self._retrying(
            "milestone",
            lambda: self._client.post(
                base,
                json={
                    "title": f"Chaos milestone {number}",
                    "due_on": Clock().today().isoformat(),
                    # small enough that the LA's contracts hold 10,000 actions' worth
                    "payment_pence": self.rng.randint(5_000, 60_000),
                },
                headers=officer,
            ),
        )
        if milestone is None:
            return
        signed = await self._retrying(
            "sign-off",
            lambda: self._client.post(
                f"{base}/{milestone['id']}/complete",
                json={"evidence": "Termly report received"},
                headers=officer,
            ),
        )
        if signed is not None:
            self.book.milestones_signed.add(milestone["id"])

    async def _retrying(self, what: str, send: Callable[[], Awaitable[httpx.Response]]) -> Any:
        """The answer's body; None when the platform refused (4xx: a rule, not a fault)."""
        deadline = time.monotonic() + GIVE_UP_SECONDS
        last = ""
        for attempt in itertools.count():
            try:
                response = await send()
                if response.status_code < 300:
                    return response.json()
                if response.status_code < 500:
                    self.book.refused[f"{what} {response.status_code}"] += 1
                    return None
                last = f"{response.status_code} {response.text[:200]}"
            except httpx.TransportError as error:
                last = repr(error)
            if time.monotonic() > deadline:
                raise TimeoutError(f"{what}: no answer after {attempt + 1} attempts; last: {last}")
            self.book.retries[what] += 1
            await asyncio.sleep(min(0.2 * 2**attempt, 2.0) * self.rng.uniform(0.5, 1.5))
        raise AssertionError("unreachable")

    async def _get(self, service: str, path: str, headers: dict[str, str]) -> Any:
        found = await self._retrying(
            f"GET {path}",
            lambda: self._client.get(f"{self.fleet.url(service)}{path}", headers=headers),
        )
        return found if found is not None else []


def _school_urns(count: int) -> list[int]:
    with SCHOOLS_CSV.open(newline="") as register:
        return [int(row["urn"]) for row in itertools.islice(csv.DictReader(register), count)]
