"""The finance dashboard: traded income by month against last year, income by strand (never
mixed), top services, buy-back by phase, aged debt and the trial balance; each chart is drawn
on the server and links to its table, which exports as CSV or XLSX."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response

from services.portal.adapters.ledger import Balance, Report
from services.portal.domain.charts import bars, paired_bars, percent_bars
from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.session import SignedIn, signed_in
from shared.auth import Role

router = APIRouter(prefix="/finance")

Finance = Annotated[SignedIn, Depends(signed_in(Role.FINANCE, Role.ADMIN))]

STRANDS = (("traded", "Traded"), ("statutory", "Statutory"))
AGE_BANDS = (
    ("0-30", "Up to 30 days"),
    ("31-60", "31 to 60 days"),
    ("61-90", "61 to 90 days"),
    ("90+", "Over 90 days"),
)
TOP = 5


def income_accounts(balances: list[Balance], strand: str) -> list[tuple[str, int]]:
    """Income accounts are credit balances (negative); income is shown as a positive amount."""
    return [
        (balance.name, -balance.balance_pence)
        for balance in balances
        if balance.kind == "income" and balance.strand == strand
    ]


@router.get("")
async def dashboard(request: Request, you: Finance) -> Response:
    ledger = you.apis.ledger
    income = await ledger.income_by_strand()
    balances = await ledger.balances()
    trial = await ledger.trial_balance()
    by_month = await ledger.report("traded-income", by="month")
    by_service = await ledger.report("traded-income", by="service")
    aged = await ledger.report("aged-debt")
    sustainability = await ledger.report("sustainability")
    return render(
        request,
        "finance/dashboard.html",
        month_pairs=paired_bars(
            [
                (_month(row["month"]), row["income_pence"], row["last_year_pence"])
                for row in by_month.rows
            ]
        ),
        income_bars=bars([("Traded", income.traded_pence), ("Statutory", income.statutory_pence)]),
        service_bars=bars(top_services(by_service)),
        buy_back_bars=percent_bars(buy_back_by_phase(sustainability)),
        aged_bars=bars(
            [(label, int(aged.summary.get(f"{band}_pence", 0))) for band, label in AGE_BANDS]
        ),
        account_bars={label: bars(income_accounts(balances, strand)) for strand, label in STRANDS},
        trial_bars=bars([("Debits", trial.debits_pence), ("Credits", trial.credits_pence)]),
        trial=trial,
    )


def _month(month: str | None) -> str:
    """'2026-11' as 'November 2026'."""
    if not month:
        return "No month"
    year, number = month.split("-")
    return f"{date(int(year), int(number), 1):%B %Y}"


def top_services(report: Report) -> list[tuple[str, int]]:
    """The services bringing in the most traded income, as the ledger names them."""
    ranked = sorted(report.rows, key=lambda row: -int(row["income_pence"]))[:TOP]
    return [
        (row.get("name") or "Unnamed service", int(row["income_pence"]))
        for row in ranked
        if int(row["income_pence"]) > 0
    ]


def buy_back_by_phase(report: Report) -> list[tuple[str, float]]:
    """The share of each phase's schools that bought something this financial year."""
    prefix, suffix = "buy_back_", "_percent"
    return [
        (key.removeprefix(prefix).removesuffix(suffix).replace("_", " ").capitalize(), float(value))
        for key, value in report.summary.items()
        if key.startswith(prefix) and key.endswith(suffix)
    ]


@router.get("/income")
async def income_table(request: Request, you: Finance) -> Response:
    return render(request, "finance/income.html", income=await you.apis.ledger.income_by_strand())


@router.get("/balances")
async def balances_table(request: Request, you: Finance) -> Response:
    balances = await you.apis.ledger.balances()
    groups = [(label, [b for b in balances if b.strand == strand]) for strand, label in STRANDS]
    groups.append(("Shared balance-sheet accounts", [b for b in balances if b.strand is None]))
    return render(request, "finance/balances.html", groups=groups)


@router.get("/trial-balance")
async def trial_balance_table(request: Request, you: Finance) -> Response:
    return render(
        request, "finance/trial_balance.html", trial=await you.apis.ledger.trial_balance()
    )


@router.get("/journal")
async def journal(request: Request, you: Finance) -> Response:
    """The ledger's journal, each entry linked to the invoice or order behind it."""
    entries = await you.apis.ledger.journal()
    invoices = {invoice.number: invoice.id for invoice in await you.apis.orders.invoices()}
    orders = {
        order.payment_reference: order.id
        for order in await you.apis.orders.orders()
        if order.payment_reference
    }
    links = {
        entry.id: document_link(entry.document_kind, entry.document, invoices, orders)
        for entry in entries
    }
    return render(request, "finance/journal.html", entries=entries, links=links)


def document_link(
    kind: str, document: str | None, invoices: Mapping[str, UUID | None], orders: Mapping[str, UUID]
) -> str | None:
    """Where the portal shows the document an entry was posted from, if it shows it."""
    if document is None:
        return None
    if kind == "invoice" and document in invoices:
        return f"/finance/invoices/{invoices[document]}"
    if kind == "card payment" and document in orders:
        return f"/orders/{orders[document]}"
    return None
