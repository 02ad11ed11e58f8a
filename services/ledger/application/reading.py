"""How a report reads to a person: each figure's heading and unit, what a missing figure means,
and the figure as text. The JSON API keeps the figures' own names and pence; the exports and
the portal show these."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Any

from shared.money import format_pounds
from shared.percentages import format_percent


class Unit(StrEnum):
    POUNDS = "pounds"  # the figure is in pence
    PERCENT = "percent"
    MONTHS = "months"
    TEXT = "text"


HEADINGS = {
    "code": "Account code",
    "name": "Name",
    "kind": "Kind",
    "strand": "Strand",
    "urn": "URN",
    "trust_code": "Trust",
    "school": "URN",
    "service": "Service id",
    "cfr": "CFR code",
    "la": "Local authority code",
    "debit_pence": "Debit",
    "credit_pence": "Credit",
    "debits_pence": "Total debits",
    "credits_pence": "Total credits",
    "difference_pence": "Debits less credits",
    "posted_on": "Posted on",
    "transaction_id": "Transaction id",
    "source_event_id": "Source event id",
    "source_subject": "Source event",
    "amount_pence": "Amount, debits positive, credits negative",  # a statement's line
    "balance_pence": "Balance",
    "opening_pence": "Opening balance",
    "closing_pence": "Closing balance",
    "last_year_pence": "Same period last year",
    "change_pence": "Change on last year",
    "contract": "Contract reference",
    "title": "Contract title",
    "contract_id": "Contract id",
    "cost_pence": "Delivery cost",
    # the aged debt's: owed on invoices, VAT and all
    "0-30_pence": "Up to 30 days, with VAT",
    "31-60_pence": "31 to 60 days, with VAT",
    "61-90_pence": "61 to 90 days, with VAT",
    "90+_pence": "Over 90 days, with VAT",
    "total_pence": "Total owed, with VAT",
    "payout_id": "Payout",
    "arrival_on": "Arrived on",
    "gross_pence": "Paid out before fees",
    "expected_pence": "Expected from clearing",
    "unknown_references": "Payments not in clearing",
    "repeated_references": "Payments paid out twice",
    "clearing_balance_pence": "Stripe clearing balance",
    "waiting_for_payout_pence": "Waiting for a payout",
    "unexplained_clearing_pence": "Clearing not explained by a payment",
    "label": "Measure",
    "measure": "Measure",
    "value": "Value",
    "note": "Note",
    "financial_year": "Financial year",
    "as_of": "As at",  # the day a report's figures are counted to
    "start": "Counted from",
    "counts": "What the income figures count",
    "surplus_traded_pence": "Surplus: traded strand",
    "surplus_statutory_pence": "Surplus: statutory strand",
    "surplus_core_pence": "Surplus: core (grants less company costs)",
    "surplus_overall_pence": "Surplus: overall",
    "traded_share_percent": "Traded share of income",
    "statutory_share_percent": "Statutory share of income (council-funded)",
    "grant_share_percent": "Grant share of income",
    "renewal_rate_percent": "Last year's buyers who bought again",
    "top_10_concentration_percent": "Traded income from the ten schools that paid most",
    "pd_spend_pence": "Staff development spend",
    "pd_share_percent": "Staff development as a share of income",
    "pd_against_2_to_5_percent": "Staff development against the 2 to 5% guide",
    "reserves_pence": "Reserves (net assets)",
    "net_burn_months": "Months the burn is averaged over",
    "monthly_net_burn_pence": "Average monthly net burn (costs less income)",
    "runway_months": "Runway at that burn",
}
PD_BANDED = {"pd_against_2_to_5_percent"}
TEXT = {"pd_against_2_to_5_percent", "net_burn_months", "financial_year", "as_of"}
NOT_ENOUGH_DATA = "Not enough data"
MISSING = {  # a figure with no value: what to show instead, and why
    "runway_months": (
        "No runway to count",
        "Reserves are not being spent: income covered costs over the months averaged",
    ),
    "renewal_rate_percent": (NOT_ENOUGH_DATA, "No school bought last year"),
    "top_10_concentration_percent": (NOT_ENOUGH_DATA, "No traded income this year"),
}
NO_INCOME = (NOT_ENOUGH_DATA, "No income this year")
PD_BAND = {
    "below": "Below the 2 to 5% guide",
    "within": "Within the 2 to 5% guide",
    "above": "Above the 2 to 5% guide",
    "no income": "No income this year",
}


def unit_of(key: str) -> Unit:
    if key in TEXT:
        return Unit.TEXT
    for suffix, unit in (("_pence", Unit.POUNDS), ("_percent", Unit.PERCENT)):
        if key.endswith(suffix):
            return unit
    return Unit.MONTHS if key.endswith("_months") else Unit.TEXT


def heading(key: str) -> str:
    """'buy_back_Primary_percent' → 'Buy-back: Primary schools that bought'."""
    if key in HEADINGS:
        return HEADINGS[key]
    if key.startswith("buy_back_") and key.endswith("_percent"):
        return f"Buy-back: {key.removeprefix('buy_back_').removesuffix('_percent')} schools"
    words = key.removesuffix("_pence").removesuffix("_percent").replace("_", " ")
    return words[:1].upper() + words[1:]


def heading_with_unit(key: str, unit: Unit | None = None) -> str:
    """The heading a spreadsheet column carries: its unit beside it."""
    marks = {Unit.POUNDS: " (£)", Unit.PERCENT: " (%)", Unit.MONTHS: " (months)"}
    return heading(key) + marks.get(unit or unit_of(key), "")


def missing(key: str) -> tuple[str, str]:
    """What a figure with no value shows instead, and why, in the reader's words."""
    if key.endswith("_share_percent"):
        return MISSING.get(key, NO_INCOME)
    return MISSING.get(key, (NOT_ENOUGH_DATA, ""))


def as_text(value: Any, unit: Unit) -> str:
    """A figure as a person reads it: £1,234.50, 19.9%, 7.2 months."""
    if value is None or value == "":
        return ""
    if unit is Unit.POUNDS:
        return format_pounds(round(value))
    if unit is Unit.PERCENT:
        return format_percent(value)
    if unit is Unit.MONTHS:
        return f"{value:,.1f} months"
    return str(value)


def _in_words(key: str, value: Any) -> Any:
    """'below' → 'Below the 2 to 5% guide'; '2026-12-03' → '3 December 2026'; months
    '2026-09,2026-10,2026-11' → 'September 2026 to November 2026'."""
    if key in PD_BANDED:
        return PD_BAND.get(value, value)
    if key == "as_of":
        day = date.fromisoformat(value)
        return f"{day.day} {day:%B %Y}"
    if key == "net_burn_months" and value:
        months = [date.fromisoformat(f"{month}-01") for month in value.split(",")]
        return f"{months[0]:%B %Y} to {months[-1]:%B %Y}"
    return value


def measure(key: str, value: Any) -> dict[str, Any]:
    """One row of a report of measures: its name, heading, value and unit, the value as text,
    and for a value that cannot be worked out, why not."""
    unit = unit_of(key)
    if value is None:
        shown, note = missing(key)
    else:
        shown, note = as_text(_in_words(key, value), unit), ""
    return {
        "measure": key,
        "label": heading(key),
        "value": value,
        "unit": unit.value,
        "shown": shown,
        "note": note,
    }
