"""The words the order forms share: how a school may pay, what the orders API calls each input
on the order forms, and which years a school may renew for."""

from __future__ import annotations

from datetime import date

from shared.calendar import academic_year, next_academic_year

PAYMENT_METHODS = (
    ("invoice", "By invoice, with a purchase order number"),
    ("card", "By card, now"),
)
ORDER_LABELS = {
    "quantity": "Quantity",
    "session_id": "Session",
    "payment_method": "How to pay",
    "purchase_order": "Purchase order number",
    "urn": "School",
}


def years_to_renew(today: date) -> tuple[str, str]:
    """This academic year and the next: a school renews for the next, or late for this one."""
    this = academic_year(today)
    return this, next_academic_year(this)


def year_to_show(asked: str, today: date) -> str:
    """The renewal year a page shows: the one asked for, if it may be renewed; else the next."""
    years = years_to_renew(today)
    return asked if asked in years else years[1]
