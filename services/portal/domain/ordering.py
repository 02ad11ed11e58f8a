"""The words the order forms share: how a school may pay, what the orders API calls each input
on the order forms, and which years a school may buy and renew subscriptions for."""

from __future__ import annotations

from datetime import date

from services.portal.domain.forms import FormErrors
from shared.calendar import years_on_sale

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
    """This academic year and the next: a school renews for the next, or late for this one (the
    years the shop sells subscriptions for, too)."""
    return years_on_sale(today)


def year_to_show(asked: str, today: date) -> str:
    """The renewal year a page shows: the one asked for, if it may be renewed; else the next."""
    years = years_to_renew(today)
    return asked if asked in years else years[1]


def year_to_buy(asked: str, today: date, errors: FormErrors, field_id: str) -> str:
    """The academic year a school shops for: this one or the next, or none ('': as bought
    today). Another is an error on `field_id`, and none is shopped for."""
    years = years_to_renew(today)
    if asked and asked not in years:
        errors.add(field_id, f"Select the academic year {years[0]} or {years[1]}")
        return ""
    return asked
