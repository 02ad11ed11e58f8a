"""What the portal reads from forms and APIs, and writes back for people."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import pytest

from services.portal.adapters.http import problems_in
from services.portal.domain.forms import FormErrors, Unreadable, whole_numbers
from services.portal.domain.ordering import years_to_renew
from services.portal.entrypoints.books import last_month
from services.portal.entrypoints.finance import document_link
from services.portal.entrypoints.forms import in_pounds


def test_amounts_in_pence_in_an_apis_message_are_written_in_pounds() -> None:
    message = "this deployment would commit 1800000 pence but only 5000 pence remain"
    assert in_pounds(message) == "this deployment would commit £18,000.00 but only £50.00 remain"
    assert in_pounds("line 2: 3 pupils") == "line 2: 3 pupils"


def test_urns_are_read_whatever_separates_them() -> None:
    assert whole_numbers("117083, 117084\n117099 ") == [117083, 117084, 117099]
    with pytest.raises(Unreadable):
        whole_numbers("117083, Ashwell")


def test_a_file_refused_row_by_row_lists_every_row_on_the_one_field() -> None:
    problems = problems_in(
        {
            "detail": "nothing was stored",
            "field": "file",
            "errors": [{"line": 3, "message": "stage: 'x'"}, {"line": 5, "message": "urn: ''"}],
        }
    )
    errors = FormErrors()
    errors.add_each("file", [problem.message for problem in problems])
    assert {problem.field for problem in problems} == {"file"}
    assert errors.messages("file") == ["Line 3: stage: 'x'", "Line 5: urn: ''"]


def test_a_school_renews_for_next_year_or_late_for_this_one() -> None:
    assert years_to_renew(date(2026, 12, 2)) == ("2026/27", "2027/28")
    assert years_to_renew(date(2027, 3, 1)) == ("2026/27", "2027/28")
    assert years_to_renew(date(2099, 9, 1)) == ("2099/00", "2100/01")


def test_the_month_to_close_is_last_month() -> None:
    assert last_month(date(2026, 12, 2)) == "2026-11"
    assert last_month(date(2027, 1, 15)) == "2026-12"


def test_a_journal_entry_links_to_the_invoice_or_order_it_was_posted_from() -> None:
    invoice_id, order_id = uuid4(), uuid4()
    invoices, orders = {"INV-000001": invoice_id}, {"pi_123": order_id}
    assert document_link("invoice", "INV-000001", invoices, orders) == (
        f"/finance/invoices/{invoice_id}"
    )
    assert document_link("card payment", "pi_123", invoices, orders) == f"/orders/{order_id}"
    assert document_link("LA invoice", "LA-000001", invoices, orders) is None
    assert document_link("journal", None, invoices, orders) is None
