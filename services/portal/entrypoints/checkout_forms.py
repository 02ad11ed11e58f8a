"""What the school's basket, the trust's basket and the renewal form share: the idempotency key
each form carries, so that a form sent twice orders once, and the page an invoiced order leads to."""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import Response

from services.portal.adapters.orders import Order, fresh_key
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.rendering import form_page, see_other, tell_next_page


def key_of(form: dict[str, str]) -> str:
    """The key the form was sent with, or a fresh one for a form shown for the first time."""
    return form.get("key") or fresh_key()


def checkout_form(
    request: Request, template: str, *, form: dict[str, str], errors: FormErrors, **context: Any
) -> Response:
    return form_page(
        request, template, form={**form, "key": key_of(form)}, errors=errors, **context
    )


def invoiced(request: Request, order: Order, sent: str) -> Response:
    """The order's page, with a banner saying where its invoice is going."""
    number = order.invoice.number if order.invoice else ""
    tell_next_page(request, "Order placed", f"Invoice {number} {sent}")
    return see_other(f"/orders/{order.id}")
