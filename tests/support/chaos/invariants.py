"""What must hold once the platform is quiet again, however often it was killed: read straight
from each service's database, each invariant with the count it covers."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncEngine

from services.catalogue.adapters import tables as catalogue
from services.catalogue.domain import course
from services.commissioning.adapters import tables as commissioning
from services.evaluation.adapters import tables as evaluation
from services.ledger.adapters import tables as ledger
from services.notifications.adapters import tables as notifications
from services.orders.adapters import tables as orders
from tests.support.chaos.load import Ledgerbook

STANDING = {status.value for status in course.STANDING}  # not released, declined or lapsed


@dataclass(frozen=True)
class Invariant:
    name: str
    holds: bool
    count: int  # how many things it covered
    detail: str = ""

    def line(self) -> str:
        mark = "ok  " if self.holds else "FAIL"
        return f"{mark} {self.name} ({self.count})" + (f": {self.detail}" if self.detail else "")


# each service's tables module, as the invariants read its database
TABLES: dict[str, Any] = {
    "catalogue": catalogue,
    "orders": orders,
    "commissioning": commissioning,
    "evaluation": evaluation,
    "ledger": ledger,
    "notifications": notifications,
}


async def check(engines: dict[str, AsyncEngine], book: Ledgerbook) -> list[Invariant]:
    rows = {name: await _read(engine, name) for name, engine in engines.items()}
    return [
        _accepted_orders_exist_once(rows["orders"], book),
        _one_order_per_key(book),
        _money_events_posted_once(rows),
        _trial_balance_zero(rows["ledger"]),
        *_documents_match_the_book(rows),
        _strands_apart(rows["ledger"]),
        _participants_match_orders(rows),
        _costs_match_postings(rows),
        _places_match_bookings(rows),
        _course_lines_match_bookings(rows, book),
        _nothing_parked(rows),
    ]


async def _read(engine: AsyncEngine, service: str) -> dict[str, list[dict[str, Any]]]:
    metadata = TABLES[service].metadata
    found = {}
    async with engine.connect() as connection:
        for table in metadata.sorted_tables:
            result = await connection.execute(select(table))
            found[table.name] = [dict(row._mapping) for row in result]
    return found


def _accepted_orders_exist_once(
    orders_db: dict[str, list[dict[str, Any]]], book: Ledgerbook
) -> Invariant:
    stored = Counter(str(row["id"]) for row in orders_db["orders"])
    by_key = Counter(
        row["idempotency_key"] for row in orders_db["orders"] if row["idempotency_key"]
    )
    missing = set(book.orders.values()) - set(stored)
    twice = [key for key, count in by_key.items() if count > 1]
    unknown = set(stored) - set(book.orders.values())
    return Invariant(
        "every accepted order exists once",
        not missing and not twice and not unknown,
        len(book.orders),
        f"missing {sorted(missing)[:3]}, keys twice {twice[:3]}, never accepted {sorted(unknown)[:3]}"
        if missing or twice or unknown
        else "",
    )


def _one_order_per_key(book: Ledgerbook) -> Invariant:
    split = {key: ids for key, ids in book.answers_per_key.items() if len(ids) > 1}
    return Invariant(
        "a retried request was answered with the same order",
        not split,
        sum(book.retries.values()),
        str(split)[:300] if split else "",
    )


def _money_subjects() -> set[str]:
    from services.ledger.application.money_events import POSTING_RULES

    return {event.subject for event in POSTING_RULES}


def _money_events_posted_once(rows: dict[str, Any]) -> Invariant:
    subjects = _money_subjects()
    published = {
        str(row["event_id"])
        for service in ("orders", "commissioning")
        for row in rows[service]["outbox"]
        if row["subject"] in subjects
    }
    journal = rows["ledger"]["journal_transactions"]
    keys = Counter(row["source_key"] for row in journal)
    posted = {row["source_event_id"] for row in journal if row["source_subject"] in subjects}
    twice = [key for key, count in keys.items() if count > 1]
    missing, stray = published - posted, posted - published
    return Invariant(
        "every money event posted once (no source key twice)",
        not twice and not missing and not stray,
        len(published),
        f"twice {twice[:3]}, not posted {sorted(missing)[:3]}, unknown {sorted(stray)[:3]}"
        if twice or missing or stray
        else "",
    )


def _balances(ledger_db: dict[str, Any]) -> Counter[str]:
    """Each account's balance, leaving out finance's own journals (the demo's imported earlier
    sales): no document of the run stands behind them, and each balances by itself."""
    journals = {row["id"] for row in ledger_db["journal_transactions"] if row["kind"] == "journal"}
    balances: Counter[str] = Counter()
    for posting in ledger_db["journal_postings"]:
        if posting["transaction_id"] not in journals:
            balances[posting["account"]] += posting["amount_pence"]
    return balances


def _trial_balance_zero(ledger_db: dict[str, Any]) -> Invariant:
    total = sum(posting["amount_pence"] for posting in ledger_db["journal_postings"])
    postings = len(ledger_db["journal_postings"])
    return Invariant(
        "the trial balance is zero", total == 0, postings, f"{total} pence" * (total != 0)
    )


def _documents_match_the_book(rows: dict[str, Any]) -> list[Invariant]:
    """Receivables, clearing, VAT and income against the invoices, credit notes, card payments
    and refunds the orders service issued, and the LA invoices commissioning raised."""
    db, balances = rows["orders"], _balances(rows["ledger"])
    lines: dict[Any, int] = Counter()
    for line in db["order_lines"]:
        lines[line["order_id"]] += line["quantity"] * line["unit_price_pence"]
    invoices = db["invoices"]
    credit_notes = [row for row in db["refunds"] if row["kind"] == "credit_note"]
    # a card refund reaches the book once Stripe has made it: not while asked, nor if refused
    card_refunds = [
        row for row in db["refunds"] if row["kind"] == "card_refund" and row["status"] == "done"
    ]
    # ... out of Stripe clearing, unless, Stripe having refused it, finance paid it from the bank
    through_stripe = [row for row in card_refunds if row.get("method") != "bank_transfer"]
    card_paid = [
        row for row in db["orders"] if row["payment_method"] == "card" and row["paid_pence"]
    ]
    card_gross = sum(row["paid_pence"] for row in card_paid)
    card_net = sum(lines[row["id"]] for row in card_paid)
    remitted = sum(row["amount_pence"] for row in db["remittances"])
    traded_income = sum(
        pence
        for account, pence in balances.items()
        if account.startswith("traded:income") or account == "deferred-income"
    )
    la_invoices = rows["commissioning"]["la_invoices"]
    statutory_income = sum(p for a, p in balances.items() if a.startswith("statutory:income"))
    expected = {
        "receivables:schools": (
            gross(invoices) - gross(credit_notes) - remitted,
            balances["receivables:schools"],
            len(invoices) + len(credit_notes),
        ),
        "clearing:stripe": (
            card_gross - gross(through_stripe),
            balances["clearing:stripe"],
            len(card_paid) + len(through_stripe),
        ),
        "traded income (earned and deferred)": (
            -(net(invoices) + card_net) + net(credit_notes) + net(card_refunds),
            traded_income,
            len(invoices) + len(card_paid) + len(credit_notes) + len(card_refunds),
        ),
        "receivables:la": (gross(la_invoices), balances["receivables:la"], len(la_invoices)),
        "VAT on LA invoices and school sales together": (
            vat(credit_notes)
            + vat(card_refunds)
            - vat(invoices)
            - (card_gross - card_net)
            - vat(la_invoices),
            balances["vat:output"],
            sum(map(len, (invoices, card_paid, credit_notes, card_refunds, la_invoices))),
        ),
        "statutory income": (-net(la_invoices), statutory_income, len(la_invoices)),
    }
    return [
        Invariant(
            f"{name} equals the documents' totals to the penny",
            documents == book,
            count,
            f"documents {documents}, ledger {book}" * (documents != book),
        )
        for name, (documents, book, count) in expected.items()
    ]


def gross(documents: list[dict[str, Any]]) -> int:
    return sum(row["net_pence"] + row["vat_pence"] for row in documents)


def net(documents: list[dict[str, Any]]) -> int:
    return sum(row["net_pence"] for row in documents)


def vat(documents: list[dict[str, Any]]) -> int:
    return sum(row["vat_pence"] for row in documents)


def _strands_apart(ledger_db: dict[str, Any]) -> Invariant:
    strays = [
        posting
        for posting in ledger_db["journal_postings"]
        if posting["account"].split(":")[0] in {"traded", "statutory"}
        and posting["account"].split(":")[0] != posting["strand"]
    ]
    return Invariant(
        "each strand holds only its own accounts",
        not strays,
        len(ledger_db["journal_postings"]),
        str(strays[:2]) if strays else "",
    )


def _participants_match_orders(rows: dict[str, Any]) -> Invariant:
    db = rows["orders"]
    invoiced = {row["order_id"] for row in db["invoices"]}
    taking_part = {
        row["id"]: row["urn"]
        for row in db["orders"]
        if row["status"] != "cancelled" and (row["id"] in invoiced or row["paid_pence"] > 0)
    }
    expected = {
        (taking_part[line["order_id"]], _id(line["service_id"]), _id(line["order_id"]))
        for line in db["order_lines"]
        if line["order_id"] in taking_part
    }
    cancelled = {_id(row["order_id"]) for row in rows["evaluation"]["cancelled_orders"]}
    placed = {_id(row["id"]) for row in db["orders"]}  # not the demo's seeded participants
    found = {
        (row["urn"], _id(row["service_id"]), _id(row["order_id"]))
        for row in rows["evaluation"]["participations"]
        if _id(row["order_id"]) not in cancelled and _id(row["order_id"]) in placed
    }
    return Invariant(
        "evaluation's participants are the orders invoiced or paid, not cancelled",
        found == expected,
        len(expected),
        f"missing {sorted(expected - found)[:2]}, extra {sorted(found - expected)[:2]}"
        * (found != expected),
    )


def _costs_match_postings(rows: dict[str, Any]) -> Invariant:
    """Evaluation holds, for each transaction the ledger announced, the sum of its postings of
    each service or contract to each account: the announcement adds up postings that are the
    same in every field it carries (a subscription's months, say), so sums are compared."""
    ledger_db = rows["ledger"]

    def key(row: dict[str, Any]) -> tuple[str, str, str | None, str | None]:
        return (
            _id(row["transaction_id"]),
            row["account"],
            _id(row["service_id"]) if row["service_id"] else None,
            _id(row["contract_id"]) if row["contract_id"] else None,
        )

    def summed(found: Iterable[dict[str, Any]]) -> dict[Any, int]:
        sums: Counter[Any] = Counter()
        for row in found:
            sums[key(row)] += row["amount_pence"]
        return dict(sums)

    announced = {  # finance's own journals of bank and deferred income are not announced
        row["id"] for row in ledger_db["journal_transactions"] if row["strand"] != "core"
    }
    expected = summed(
        row
        for row in ledger_db["journal_postings"]
        if (row["service_id"] or row["contract_id"]) and row["transaction_id"] in announced
    )
    posted = {_id(row["id"]) for row in ledger_db["journal_transactions"]}
    found = summed(  # not the demo's seeded costs
        row for row in rows["evaluation"]["cost_postings"] if _id(row["transaction_id"]) in posted
    )
    wrong = list(set(expected.items()) ^ set(found.items()))
    return Invariant(
        "evaluation's costs are the ledger's postings of services and contracts",
        found == expected,
        len(expected),
        f"differing (transaction, account, service, contract) sums {wrong[:4]}" * bool(wrong),
    )


def _places_match_bookings(rows: dict[str, Any]) -> Invariant:
    db = rows["catalogue"]
    taken: Counter[Any] = Counter()
    for booking in db["bookings"]:
        if booking["status"] in {"reserved", "offered"}:  # a place held (see HOLDS_PLACES)
            taken[booking["session_id"]] += booking["places"]
    wrong = [
        session["id"]
        for session in db["course_sessions"]
        if session["places_taken"] != taken[session["id"]]
    ]
    return Invariant(
        "the catalogue's places taken are its bookings",
        not wrong,
        len(db["bookings"]),
        f"sessions {wrong[:3]}" if wrong else "",
    )


def _course_lines_match_bookings(rows: dict[str, Any], book: Ledgerbook) -> Invariant:
    """Orders and the catalogue agree on each course line the customers booked: a standing
    booking of as many places, in the state orders shows the school; none once cancelled."""
    db = rows["orders"]
    cancelled = {row["id"] for row in db["orders"] if row["status"] == "cancelled"}
    placed = set(book.orders.values())
    lines = [
        line for line in db["order_lines"] if line["session_id"] and str(line["order_id"]) in placed
    ]
    bookings = {
        (_id(row["order_id"]), _id(row["line_id"])): row for row in rows["catalogue"]["bookings"]
    }
    wrong = []
    for line in lines:
        booking = bookings.get((_id(line["order_id"]), _id(line["line_id"])))
        if line["order_id"] in cancelled:
            agrees = booking is None or booking["status"] not in STANDING
        else:
            agrees = (
                booking is not None
                and booking["status"] in STANDING
                and booking["status"] == line["booking"]
                and booking["places"] == line["quantity"]
            )
        if not agrees:
            shown = (booking or {}).get("status"), (booking or {}).get("places")
            wrong.append(
                f"order {line['order_id']}: {line['booking']} x{line['quantity']}, {shown}"
            )
    return Invariant(
        "every course line booked is the catalogue's booking, released once cancelled",
        not wrong,
        len(lines),
        "; ".join(wrong[:3]),
    )


def _nothing_parked(rows: dict[str, Any]) -> Invariant:
    parked = {name: len(db["dead_letters"]) for name, db in rows.items() if db["dead_letters"]}
    return Invariant(
        "no event parked in a dead-letter table",
        not parked,
        sum(len(db["inbox"]) for db in rows.values()),
        str(parked) if parked else "",
    )


def _id(value: Any) -> str:
    return str(value if isinstance(value, UUID) else UUID(str(value)))


async def unsent(engine: AsyncEngine, service: str) -> int:
    table = TABLES[service].messaging.outbox
    async with engine.connect() as connection:
        return int(
            await connection.scalar(select(func.count()).where(table.c.sent_at.is_(None))) or 0
        )
