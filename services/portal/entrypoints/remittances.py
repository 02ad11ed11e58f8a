"""Money received by bank transfer against an invoice, as finance types it in: one form, read
and worded alike, for a school's remittance (orders API) and the LA's payment (ledger API)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import Wording, read_date, read_pounds

REMITTANCE_FIELDS = {"amount_pence": "amount"}
REMITTANCE_LABELS = {"amount": "Amount", "received_on": "Date received", "reference": "Reference"}
REMITTANCE_WORDING = Wording(REMITTANCE_LABELS, REMITTANCE_FIELDS)


def read_remittance(form: Mapping[str, str], errors: FormErrors) -> dict[str, Any]:
    """The API's fields from the form; what cannot be read goes on `errors`."""
    return {
        "amount_pence": read_pounds(form, errors, "amount", "the amount"),
        "received_on": read_date(form, errors, "received_on", "the date received"),
        "reference": form.get("reference", ""),
    }
