"""What the school's basket, the trust's basket and the renewal form share: the idempotency key
each form carries, so that a form sent twice orders once, and the page an invoiced order leads to."""

from __future__ import annotations

import re
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from services.portal.adapters.orders import Order, fresh_key
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.rendering import form_page, see_other, tell_next_page

# What the orders API takes as an Idempotency-Key, which goes in a header: 8 to 100 printable
# ASCII characters. The pages give 32 hex digits (fresh_key); any key the API takes will do.
SENDABLE_KEY = re.compile(r"[ -~]{8,100}")
NOT_A_PAGES_KEY = "The form was changed after its page was shown: check it and send it again"


def key_of(form: dict[str, str], errors: FormErrors) -> str:
    """The key the form was sent with (a fresh one if it came without). One no page gives is
    an error on the form, which is shown again with a fresh key: the API is never asked."""
    key = form.get("key") or fresh_key()
    if not SENDABLE_KEY.fullmatch(key):
        errors.add("key", NOT_A_PAGES_KEY)
        form["key"] = ""
    return key


def checkout_form(
    request: Request, template: str, *, form: dict[str, str], errors: FormErrors, **context: Any
) -> Response:
    """The form, with the key it was sent with, or a fresh one when it is shown first."""
    key = form.get("key") or fresh_key()
    return form_page(request, template, form={**form, "key": key}, errors=errors, **context)


def invoiced(request: Request, order: Order, sent: str) -> Response:
    """The order's page, with a banner saying where its invoice is going."""
    number = order.invoice.number if order.invoice else ""
    tell_next_page(request, "Order placed", f"Invoice {number} {sent}")
    return see_other(f"/orders/{order.id}")
