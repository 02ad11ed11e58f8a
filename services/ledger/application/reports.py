"""The finance reports: each a title, columns and rows, plus a summary of headline figures;
the columns a person reads (the CSV and XLSX exports, the portal) leave out the ids."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from services.ledger.application.reading import measure
from services.ledger.application.unit_of_work import LedgerUnitOfWork
from services.ledger.domain import reports as calc
from services.ledger.domain.accounts import LA_RECEIVABLES, SCHOOL_RECEIVABLES
from services.ledger.domain.reconciliation import check_payouts
from shared.cfr import CFR_EXPENDITURE
from shared.money import Strand
from shared.percentages import percent, shares

GROUPED_BY = {"cfr": "CFR code", "la": "local authority"}  # as a title reads them


@dataclass
class Report:
    title: str
    columns: list[str]
    rows: list[dict[str, Any]]
    summary: dict[str, Any] = field(default_factory=dict)
    readable: list[str] | None = None  # the columns a person reads; all of them if not given

    @property
    def readable_columns(self) -> list[str]:
        return self.readable or self.columns


async def trial_balance(uow: LedgerUnitOfWork, *, as_of: date) -> Report:
    async with uow:
        balances = await uow.book.balances(as_of=as_of)
    rows = [
        {
            "code": row["code"],
            "name": row["name"],
            "kind": row["kind"],
            "strand": row["strand"],
            "debit_pence": max(int(row["balance_pence"]), 0),
            "credit_pence": max(-int(row["balance_pence"]), 0),
        }
        for row in balances
    ]
    debits = sum(row["debit_pence"] for row in rows)
    credits = sum(row["credit_pence"] for row in rows)
    return Report(
        title=f"Trial balance at {as_of}",
        columns=["code", "name", "kind", "strand", "debit_pence", "credit_pence"],
        rows=rows,
        summary={
            "as_of": as_of.isoformat(),
            "debits_pence": debits,
            "credits_pence": credits,
            "difference_pence": debits - credits,
        },
    )


async def statement(
    uow: LedgerUnitOfWork,
    account: str,
    *,
    start: date,
    end: date,
    limit: int | None = None,
    offset: int = 0,
) -> Report:
    async with uow:
        found = await uow.reports.statement(
            account, start=start, end=end, limit=limit, offset=offset
        )
    columns = [
        "posted_on",
        "transaction_id",
        "kind",
        "description",
        "document",
        "urn",
        "trust_code",
        "amount_pence",
        "balance_pence",
        "source_event_id",
        "source_subject",
        "note",
    ]
    return Report(
        title=f"Statement of {account}, {start} to {end}",
        columns=columns,
        rows=found["lines"],
        summary={"opening_pence": found["opening_pence"], "closing_pence": found["closing_pence"]},
        readable=[c for c in columns if c not in ("transaction_id", "source_event_id")],
    )


async def income_by_strand(uow: LedgerUnitOfWork, *, as_of: date) -> dict[str, Any]:
    """The headline: traded and statutory income, never mixed (see `calc.INCOME_COUNTS`)."""
    start, end = calc.year_to_date(as_of)
    async with uow:
        income = await uow.reports.income("strand", start=start, end=end)
    traded, statutory = income.get(Strand.TRADED, 0), income.get(Strand.STATUTORY, 0)
    return {
        "traded_pence": traded,
        "statutory_pence": statutory,
        "total_pence": traded + statutory,
        **_period(start, end),
    }


async def income(
    uow: LedgerUnitOfWork, strand: Strand, by: str, *, start: date, end: date
) -> Report:
    """A strand's income by a dimension, beside the same period a year earlier."""
    async with uow:
        now = await uow.reports.income(by, start=start, end=end, strand=strand)
        before = await uow.reports.income(
            by, start=calc.a_year_earlier(start), end=calc.a_year_earlier(end), strand=strand
        )
        names = await _names_by(uow, by)
    if by == "month":  # last year's month sits beside this year's
        before = {f"{int(month[:4]) + 1}{month[4:]}": pence for month, pence in before.items()}
    rows = [
        {
            by: key,
            "name": names.get(key),
            "income_pence": now.get(key, 0),
            "last_year_pence": before.get(key, 0),
            "change_pence": now.get(key, 0) - before.get(key, 0),
        }
        for key in sorted(set(now) | set(before), key=lambda k: (k is None, str(k)))
    ]
    columns = [by, "name", "income_pence", "last_year_pence", "change_pence"]
    return Report(
        title=(
            f"{strand.value.capitalize()} income by {GROUPED_BY.get(by, by)}, {start} to {end}, "
            "with the same period last year"
        ),
        columns=columns,
        rows=rows,
        summary={
            "income_pence": sum(now.values()),
            "last_year_pence": sum(before.values()),
            **_period(start, end),
        },
        readable=[c for c in columns if c != "service"],  # a service reads by its title
    )


def _period(start: date, end: date) -> dict[str, str]:
    """What an income figure counts, said beside it."""
    return {"start": start.isoformat(), "as_of": end.isoformat(), "counts": calc.INCOME_COUNTS}


async def _names_by(uow: LedgerUnitOfWork, by: str) -> dict[Any, str]:
    """What to call each row: a school's name, a service's title, an account's name; other keys
    name themselves."""
    if by == "school":
        return {urn: name for urn, (name, _, _) in (await uow.register.names()).items()}
    if by == "service":
        return dict(await uow.register.service_titles())
    if by == "account":
        return await uow.book.account_names()
    if by == "cfr":
        return dict(CFR_EXPENDITURE)
    return {}


async def statutory_by_contract(uow: LedgerUnitOfWork, *, year: str, as_of: date) -> Report:
    start, end = calc.up_to(year, as_of)
    async with uow:
        found = await uow.reports.by_contract(start=start, end=end)
        names = await uow.register.contract_names()
    rows = []
    for row in found:
        reference, title = names.get(str(row["contract_id"]), (None, ""))
        rows.append(
            {
                "contract": reference
                or (row["account_name"] or "").removeprefix("Statutory income: contract "),
                "title": title,
                "income_pence": int(row["income"]),
                "cost_pence": int(row["cost"]),
                "surplus_pence": int(row["income"]) - int(row["cost"]),
                "contract_id": row["contract_id"],
            }
        )
    rows.sort(key=lambda r: (r["contract"], str(r["contract_id"])))
    columns = ["contract", "title", "income_pence", "cost_pence", "surplus_pence", "contract_id"]
    return Report(
        title=f"Statutory income and cost by contract, {year}, to {end}",
        columns=columns,
        readable=columns[:-1],  # a contract reads by its reference and title
        rows=rows,
        summary={
            **{
                key: sum(row[key] for row in rows)
                for key in ("income_pence", "cost_pence", "surplus_pence")
            },
            "as_of": end.isoformat(),
        },
    )


LA_DEBTOR = "Local authority (statutory contracts)"
# a journal to the schools' receivables naming no school: owed, but by no debtor the book knows
NO_SCHOOL_NAMED = "No school named"


def _debtor_name(urn: int | None, trust: str | None, names: Mapping[int, tuple[str, ...]]) -> str:
    if urn:
        return names.get(urn, ("",))[0]
    return f"Academy trust {trust}" if trust else NO_SCHOOL_NAMED


async def aged_debt(uow: LedgerUnitOfWork, *, as_of: date) -> Report:
    """What each school or academy trust owes (traded), then what the LA owes (statutory), by
    days since the invoice: together, receivables from schools and from the LA at `as_of`. A
    debtor owed money back on an invoice (paid, then credited) has it taken off its row, so
    that the rows add up to the receivables; one owed more than it owes reads below nothing.
    What a journal put on the schools' receivables naming no school is a row of its own,
    `NO_SCHOOL_NAMED`, for the same reason. Every figure is with VAT, as the invoices are."""
    async with uow:
        by_school = await _owed_by_age(uow, SCHOOL_RECEIVABLES.code, as_of=as_of)
        by_la = await _owed_by_age(uow, LA_RECEIVABLES.code, as_of=as_of)
        names = await uow.register.names()
    bands = [f"{band}_pence" for band in calc.AGE_BANDS]

    def figures(row: Mapping[str, int]) -> dict[str, int]:
        return {
            **{f"{band}_pence": row[band] for band in calc.AGE_BANDS},
            "total_pence": row["total"],
        }

    rows: list[dict[str, Any]] = [
        {
            "urn": urn,
            "name": _debtor_name(urn, trust, names),
            "strand": Strand.TRADED.value,
            **figures(row),
        }
        for (urn, trust), row in sorted(by_school.items(), key=lambda item: -item[1]["total"])
        if any(row.values())
    ]
    la = Counter[str]()  # one debtor, the LA (`update` keeps what is below nothing; `+` drops it)
    for row in by_la.values():
        la.update(row)
    if any(la.values()):
        rows.append(
            {"urn": None, "name": LA_DEBTOR, "strand": Strand.STATUTORY.value, **figures(la)}
        )
    return Report(
        title=(
            f"Aged debt by school, academy trust and the LA at {as_of}, with VAT "
            "(days since invoice)"
        ),
        columns=["urn", "name", "strand", *bands, "total_pence"],
        rows=rows,
        summary={key: sum(row[key] for row in rows) for key in (*bands, "total_pence")},
    )


async def _owed_by_age(
    uow: LedgerUnitOfWork, account: str, *, as_of: date
) -> dict[calc.Debtor, dict[str, int]]:
    """Debtor → what it owed on this receivables account at `as_of`, by age band: what is owed
    now, less what was posted to an invoice after that day."""
    since = await uow.reports.receivables_posted_to_after(account, as_of)
    changed_since = await uow.reports.invoices_posted_to_after(account, as_of) if since else []
    banded = await uow.reports.open_invoice_bands(
        account=account,
        as_of=as_of,
        edges=calc.band_edges(as_of),
        last_band=calc.AGE_BANDS[-1],
        posted_to_since=since,
    )
    return calc.aged_debt(changed_since, as_of=as_of, banded=banded)


async def sustainability(uow: LedgerUnitOfWork, *, year: str, as_of: date) -> Report:
    """Every measure at the end of the year's last day counted (`as_of`, or the year's end if
    that came first): the reserves and their burn too, so that a year gone by is read as it
    closed, not beside later months."""
    start, end = calc.up_to(year, as_of)
    last_start, last_end = calc.year_bounds(calc.previous_year(year))
    burn_months = calc.whole_months_to(end, calc.BURN_MONTHS)
    async with uow:
        sums = Counter(await uow.reports.income_and_cost(start=start, end=end))
        buyers = await uow.reports.buyers(start=start, end=end)
        last_buyers = await uow.reports.buyers(start=last_start, end=last_end)
        by_school = await uow.reports.income("school", start=start, end=end, strand=Strand.TRADED)
        register = await uow.register.schools_by_phase()
        names = await uow.register.names()
        reserves = await uow.reports.net_assets(as_of=end)
        burn = await uow.reports.monthly_net_burn(burn_months)
    statutory_income = sums["statutory_income"] + sums["statutory_grant_income"]
    surplus = {
        Strand.TRADED: sums["traded_income"] - sums["traded_cost"],
        Strand.STATUTORY: statutory_income - sums["statutory_cost"],
        Strand.CORE: sums["grant_income"] - sums["statutory_grant_income"] - sums["core_cost"],
    }
    by_source = {source: sums[f"{source}_income"] for source in ("traded", "statutory", "grant")}
    income = sum(by_source.values())
    phase_of = {urn: names[urn][1] for urn in buyers if urn in names}  # the register's schools
    pd_share = percent(sums["pd_spend"], income)
    summary: dict[str, Any] = {
        "financial_year": year,
        "as_of": end.isoformat(),
        **{f"surplus_{strand}_pence": pence for strand, pence in surplus.items()},
        "surplus_overall_pence": sum(surplus.values()),
        "income_pence": income,
        **{f"{source}_share_percent": share for source, share in shares(by_source).items()},
        **{
            f"buy_back_{phase}_percent": rate
            for phase, rate in calc.buy_back(Counter(phase_of.values()), register).items()
        },
        "renewal_rate_percent": calc.renewal_rate(buyers, last_buyers),
        "top_10_concentration_percent": calc.concentration(
            {urn: pence for urn, pence in by_school.items() if urn is not None}
        ),
        "pd_spend_pence": sums["pd_spend"],
        "pd_share_percent": pd_share,
        "pd_against_2_to_5_percent": calc.pd_band(pd_share),
        "reserves_pence": reserves,
        "net_burn_months": ",".join(burn_months),
        "monthly_net_burn_pence": round(sum(burn) / len(burn)),
        "runway_months": calc.runway_months(reserves, burn),
    }
    return Report(
        title=f"Sustainability, {year}",
        columns=["measure", "value"],
        rows=[measure(key, value) for key, value in summary.items()],
        summary=summary,
        readable=["label", "value", "note"],
    )


async def stripe_reconciliation(uow: LedgerUnitOfWork) -> Report:
    async with uow:
        clearing = await uow.reports.clearing_by_reference()
        payouts = await uow.payouts.all()
        balance = await uow.reports.clearing_balance()
    checks, waiting = check_payouts(payouts, clearing)
    rows = [
        {
            "payout_id": check.payout_id,
            "arrival_on": check.arrival_on,
            "gross_pence": check.gross_pence,
            "expected_pence": check.expected_pence,
            "difference_pence": check.difference_pence,
            "unknown_references": " ".join(check.unknown_references),
            "repeated_references": " ".join(check.repeated_references),
            "status": "matched" if check.matched else "mismatch",
        }
        for check in checks
    ]
    return Report(
        title="Stripe payouts against Stripe clearing",
        columns=list(rows[0]) if rows else ["payout_id", "status"],
        rows=rows,
        summary={
            "clearing_balance_pence": balance,
            "waiting_for_payout_pence": sum(pence for pence, _ in waiting.values()),
            "waiting_for_payout": [
                {"payment_reference": ref, "pence": pence, "since": since.isoformat()}
                for ref, (pence, since) in waiting.items()
            ],
            "mismatches": sum(1 for check in checks if not check.matched),
            "unexplained_clearing_pence": balance - sum(pence for pence, _ in waiting.values()),
        },
    )
