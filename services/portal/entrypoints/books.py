"""Finance's work on the books: money received by BACS recorded against an invoice, refunds to
a card (and, for one the card provider refused, asking it again or recording the money paid
back by bank transfer instead), and closing and reopening a month."""

from __future__ import annotations

import re
from datetime import date
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.orders import RefundNews, transfer_fields
from services.portal.domain.forms import FormErrors
from services.portal.domain.ordering import years_to_renew
from services.portal.entrypoints.forms import Wording, read_date, read_pounds, submit
from services.portal.entrypoints.remittances import REMITTANCE_WORDING, read_remittance
from services.portal.entrypoints.rendering import (
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import Finance
from services.portal.entrypoints.session import SignedIn
from shared.calendar import long_date
from shared.deps import today_of
from shared.money import format_pounds

router = APIRouter(prefix="/finance")

MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
ORDER_PAGE = re.compile(r"^/orders/[0-9a-f-]{36}$")
REFUNDS_PAGE = "/finance/refunds"
REFUND_HEADINGS = {  # a refund to the card, as the card provider answered it
    "made": "Refund made",
    "asked": "Refund asked",
    "refused": "Refund refused by the card provider",
}
# what needs finance first: refused, then still asked, then made
REFUND_RANK = {"failed": 0, "asked": 1, "done": 2}
REFUND_FIELDS = {"amount_pence": "refund_amount", "reason": "refund_reason"}
REFUND_LABELS = {"refund_amount": "Amount to refund", "refund_reason": "Reason"}
REFUND_WORDING = Wording(REFUND_LABELS, REFUND_FIELDS)
REOPEN_FIELDS = {"month": "reopen_month"}
REOPEN_LABELS = {"reopen_month": "Month to reopen", "reason": "Reason"}
REOPEN_WORDING = Wording(REOPEN_LABELS, REOPEN_FIELDS)


@router.get("/invoices")
async def invoices(request: Request, you: Finance) -> Response:
    found = sorted(await you.apis.orders.invoices(), key=lambda i: i.issued_on, reverse=True)
    return render(request, "finance/invoices.html", invoices=found)


@router.get("/invoices/{invoice_id:uuid}")
async def invoice_page(request: Request, invoice_id: UUID, you: Finance) -> Response:
    return await _remittance_form(request, you, invoice_id, {}, FormErrors())


@router.post("/invoices/{invoice_id:uuid}")
async def record_remittance(request: Request, invoice_id: UUID, you: Finance) -> Response:
    """Part payments are allowed; the orders API refuses more than is outstanding."""
    form = await form_of(request)
    errors = FormErrors()
    fields = read_remittance(form, errors)
    invoice = await submit(
        errors, lambda: you.apis.orders.record_remittance(invoice_id, fields), REMITTANCE_WORDING
    )
    if invoice is not None:
        tell_next_page(
            request,
            f"Remittance recorded against invoice {invoice.number}",
            f"{format_pounds(invoice.outstanding_pence)} is still outstanding.",
        )
        return see_other(f"/finance/invoices/{invoice_id}")
    return await _remittance_form(request, you, invoice_id, form, errors)


async def _remittance_form(
    request: Request, you: SignedIn, invoice_id: UUID, form: dict[str, str], errors: FormErrors
) -> Response:
    invoice = await you.apis.orders.invoice(invoice_id)
    received = [r for r in await you.apis.orders.remittances() if r.invoice_id == invoice_id]
    return form_page(
        request,
        "finance/invoice.html",
        form=form,
        errors=errors,
        invoice=invoice,
        remittances=received,
    )


@router.post("/orders/{order_id:uuid}/refund")
async def refund(request: Request, order_id: UUID, you: Finance) -> Response:
    form = await form_of(request)
    errors = FormErrors()
    fields = {
        "amount_pence": read_pounds(form, errors, "refund_amount", "the amount to refund"),
        "reason": form.get("refund_reason", ""),
    }
    order = await submit(errors, lambda: you.apis.orders.refund(order_id, fields), REFUND_WORDING)
    if order is not None:
        news = order.refund_news or RefundNews(state="made")  # the adapter says which
        in_all = f" {format_pounds(order.refunded_pence)} refunded to the card in all."
        tell_next_page(
            request,
            REFUND_HEADINGS[news.state],
            news.words + (in_all if order.refunded_pence else ""),
        )
        return see_other(f"/orders/{order_id}")
    order = await you.apis.orders.order(order_id)
    return form_page(request, "orders/detail.html", form=form, errors=errors, order=order)


@router.get("/refunds")
async def refunds(request: Request, you: Finance) -> Response:
    """Every school's card refunds, each as the card provider left it: those it refused (to
    ask again, or give back another way) first, then those still being asked, then those made."""
    return await _refunds_page(request, you, FormErrors())


async def _refunds_page(
    request: Request, you: SignedIn, errors: FormErrors, form: dict[str, str] | None = None
) -> Response:
    card = [found for found in await you.apis.orders.refunds() if found.kind == "card_refund"]
    newest_first = sorted(card, key=lambda found: found.issued_on, reverse=True)
    listed = sorted(newest_first, key=lambda found: REFUND_RANK[found.status])
    return form_page(
        request, "finance/refunds.html", form=form or {}, errors=errors, refunds=listed
    )


@router.post("/refunds/{refund_id:uuid}/ask-again")
async def ask_again(request: Request, refund_id: UUID, you: Finance) -> Response:
    """Ask the card provider again for a refund it refused (the school's card replaced, say):
    back to the page it was asked from, saying how the refund now stands."""
    form = await form_of(request)
    back = form.get("back", "")
    back = back if ORDER_PAGE.match(back) else REFUNDS_PAGE
    errors, button = FormErrors(), f"ask-again-{refund_id}"
    wording = Wording({button: "Ask again"}, {"refund": button, "refund_id": button})
    refund = await submit(errors, lambda: you.apis.orders.ask_again(refund_id), wording)
    if refund is None:
        return await _refunds_page(request, you, errors)
    made = refund.status == "done"
    news = RefundNews(state="made" if made else "asked", gross_pence=refund.gross_pence)
    tell_next_page(request, "Refund made" if made else "Refund asked again", news.words)
    return see_other(back)


@router.post("/refunds/{refund_id:uuid}/paid-by-transfer")
async def paid_by_transfer(request: Request, refund_id: UUID, you: Finance) -> Response:
    """A refund the card provider refused, paid back from the bank instead: recorded with the
    bank's reference and the day it was paid; back to the card refunds page, saying so."""
    form = await form_of(request)
    errors, ids = FormErrors(), transfer_fields(refund_id)
    if not form.get(ids.reference):
        errors.add(ids.reference, "Enter the bank reference of the payment")
    fields = {
        "reference": form.get(ids.reference, ""),
        "paid_on": read_date(form, errors, ids.paid_on, "the date it was paid"),
    }
    wording = Wording(
        {ids.reference: "Bank reference", ids.paid_on: "Date paid", ids.button: "Paid back"},
        {"reference": ids.reference, "paid_on": ids.paid_on, "refund_id": ids.button},
    )
    refund = await submit(
        errors, lambda: you.apis.orders.paid_by_transfer(refund_id, fields), wording
    )
    if refund is None:
        return await _refunds_page(request, you, errors, form)
    tell_next_page(
        request,
        "Refund recorded as paid by bank transfer",
        f"{format_pounds(refund.gross_pence)} paid back by bank transfer on "
        f"{long_date(refund.issued_on)}, reference {refund.reference}.",
    )
    return see_other(REFUNDS_PAGE)


@router.get("/renewals")
async def renewals(request: Request, you: Finance, year: str = "") -> Response:
    """Every school that subscribed last year, and whether it has bought back."""
    years = years_to_renew(today_of(request))
    chosen = year if year in years else years[0]
    statuses = sorted(
        await you.apis.orders.renewal_statuses(chosen), key=lambda s: (s.renewed, s.school_name)
    )
    return render(request, "finance/renewals.html", statuses=statuses, year=chosen, years=years)


@router.get("/periods")
async def periods(request: Request, you: Finance) -> Response:
    return await _periods_form(request, you, {"month": last_month(today_of(request))}, FormErrors())


@router.post("/periods")
async def close_period(request: Request, you: Finance) -> Response:
    """What is dated in a closed month from now on posts in the next open month."""
    form = await form_of(request)
    errors = FormErrors()
    month = form.get("month", "")
    if not MONTH.match(month):
        errors.add("month", "Enter the month as a year and month, like 2026-11")
        return await _periods_form(request, you, form, errors)
    closed = await submit(
        errors, lambda: you.apis.ledger.close_period(month), Wording({"month": "Month"})
    )
    if closed is None:
        return await _periods_form(request, you, form, errors)
    tell_next_page(request, f"{closed.month} closed")
    return see_other("/finance/periods")


@router.post("/periods/reopen")
async def reopen_period(request: Request, you: Finance) -> Response:
    """Postings that went to the next month while this one was closed stay where they are."""
    form = await form_of(request)
    errors = FormErrors()
    month, reason = form.get("reopen_month", ""), form.get("reason", "")
    if not MONTH.match(month):
        errors.add("reopen_month", "Choose the closed month to reopen")
    reopened = await submit(
        errors, lambda: you.apis.ledger.reopen_period(month, reason), REOPEN_WORDING
    )
    if reopened is not None:
        tell_next_page(request, f"{reopened.month} reopened", reopened.reason or "")
        return see_other("/finance/periods")
    return await _periods_form(request, you, form, errors)


async def _periods_form(
    request: Request, you: SignedIn, form: dict[str, str], errors: FormErrors
) -> Response:
    closed = sorted(await you.apis.ledger.periods(), key=lambda p: p.month, reverse=True)
    history = await you.apis.ledger.period_history()
    return form_page(
        request, "finance/periods.html", form=form, errors=errors, closed=closed, history=history
    )


def last_month(today: date) -> str:
    year, month = (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    return f"{year}-{month:02d}"
