"""The finance dashboard: traded income by month against last year, income by strand (never
mixed), top services, income by account, buy-back by phase, aged debt (what schools and trusts
owe apart from what the LA owes) and the trial balance;
each chart is drawn on the server and links to its table, which exports as CSV or XLSX.

Every figure is as of one day (today unless `?as_of=` says otherwise). Every income figure is
the ledger's one definition (recognised, this financial year to that day, before VAT), cut by
strand, month, service or account, so the charts add up to each other."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Annotated
from uuid import UUID

from fastapi import APIRouter, Query, Request
from fastapi.responses import Response

from services.portal.domain.charts import bars, paired_bars, percent_bars
from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.roles import Finance
from shared.api.ledger import AgedDebtPublic, IncomeReportPublic, SustainabilityPublic
from shared.deps import Today
from shared.money import Strand

router = APIRouter(prefix="/finance")


STRANDS = ((Strand.TRADED, "Traded"), (Strand.STATUTORY, "Statutory"))
AGE_BANDS = (
    ("Up to 30 days", "up_to_30_pence"),
    ("31 to 60 days", "from_31_to_60_pence"),
    ("61 to 90 days", "from_61_to_90_pence"),
    ("Over 90 days", "over_90_pence"),
)
TOP = 5
JOURNAL_PAGE_SIZE = 100


def income_accounts(report: IncomeReportPublic) -> list[tuple[str, int]]:
    """Each income account of a strand with the income it recognised, as the ledger names it."""
    return [(row.name or row.account or "", row.income_pence) for row in report.rows]


@router.get("")
async def dashboard(
    request: Request, you: Finance, today: Today, as_of: date | None = None
) -> Response:
    ledger = you.apis.ledger
    as_of = as_of or today
    income = await ledger.income_by_strand(as_of)
    trial = await ledger.trial_balance(as_of)
    by_month = await ledger.income(Strand.TRADED, by="month", as_of=as_of)
    by_service = await ledger.income(Strand.TRADED, by="service", as_of=as_of)
    accounts = {
        "Traded": await ledger.income(Strand.TRADED, by="account", as_of=as_of),
        "Statutory": await ledger.income(Strand.STATUTORY, by="account", as_of=as_of),
    }
    aged = await ledger.aged_debt(as_of)
    sustainability = await ledger.sustainability(as_of)
    return render(
        request,
        "finance/dashboard.html",
        income=income,
        month_pairs=paired_bars(
            [(_month(row.month), row.income_pence, row.last_year_pence) for row in by_month.rows]
        ),
        income_bars=bars([("Traded", income.traded_pence), ("Statutory", income.statutory_pence)]),
        service_bars=bars(top_services(by_service)),
        buy_back_bars=percent_bars(buy_back_by_phase(sustainability)),
        aged_bars={strand: bars(owed_by_age(aged, strand)) for strand, _ in STRANDS},
        account_bars={label: bars(income_accounts(report)) for label, report in accounts.items()},
        trial_bars=bars([("Debits", trial.debits_pence), ("Credits", trial.credits_pence)]),
        trial=trial,
    )


def _month(month: str | None) -> str:
    """'2026-11' as 'November 2026'."""
    if not month:
        return "No month"
    year, number = month.split("-")
    return f"{date(int(year), int(number), 1):%B %Y}"


def owed_by_age(report: AgedDebtPublic, strand: Strand) -> list[tuple[str, int]]:
    """What one strand's debtors owe in each age band: schools and academy trusts (traded), or
    the LA (statutory); the two are never added together."""
    rows = [row for row in report.rows if row.strand == strand]
    return [(label, sum(getattr(row, field) for row in rows)) for label, field in AGE_BANDS]


def top_services(report: IncomeReportPublic) -> list[tuple[str, int]]:
    """The services bringing in the most traded income, as the ledger names them."""
    ranked = sorted(report.rows, key=lambda row: -row.income_pence)[:TOP]
    return [
        (row.name or "Unnamed service", row.income_pence) for row in ranked if row.income_pence > 0
    ]


def buy_back_by_phase(report: SustainabilityPublic) -> list[tuple[str, float]]:
    """The share of each phase's schools that bought something this financial year."""
    return [
        (phase.replace("_", " ").capitalize(), share) for phase, share in report.buy_back.items()
    ]


@router.get("/income")
async def income_table(
    request: Request, you: Finance, today: Today, as_of: date | None = None
) -> Response:
    income = await you.apis.ledger.income_by_strand(as_of or today)
    return render(request, "finance/income.html", income=income)


@router.get("/balances")
async def balances_table(
    request: Request, you: Finance, today: Today, as_of: date | None = None
) -> Response:
    as_of = min(as_of or today, today)  # as the ledger counts: nothing ahead of its day
    balances = await you.apis.ledger.balances(as_of)
    groups = [(label, [b for b in balances if b.strand == strand]) for strand, label in STRANDS]
    core = [b for b in balances if b.strand is None and not b.on_balance_sheet]
    groups.append(("Company (core) and grant accounts", core))
    groups.append(("Shared balance-sheet accounts", [b for b in balances if b.on_balance_sheet]))
    return render(request, "finance/balances.html", groups=groups, as_of=as_of)


@router.get("/trial-balance")
async def trial_balance_table(
    request: Request, you: Finance, today: Today, as_of: date | None = None
) -> Response:
    trial = await you.apis.ledger.trial_balance(as_of or today)
    return render(request, "finance/trial_balance.html", trial=trial)


@router.get("/journal")
async def journal(
    request: Request, you: Finance, page: Annotated[int, Query(ge=1, le=10_000)] = 1
) -> Response:
    """The ledger's journal a page at a time, newest first, each entry linked to the invoice or
    order behind it."""
    offset = (page - 1) * JOURNAL_PAGE_SIZE
    # one more than a page, to know whether there is an older page without counting them all
    entries = await you.apis.ledger.journal(limit=JOURNAL_PAGE_SIZE + 1, offset=offset)
    older = len(entries) > JOURNAL_PAGE_SIZE
    entries = entries[:JOURNAL_PAGE_SIZE]
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
    return render(
        request,
        "finance/journal.html",
        entries=entries,
        links=links,
        page=page,
        first=offset + 1,
        page_size=JOURNAL_PAGE_SIZE,
        newer_page=f"/finance/journal?page={page - 1}" if page > 1 else None,
        older_page=f"/finance/journal?page={page + 1}" if older else None,
    )


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
