"""The contract register as the Local Government Transparency Code 2015 asks a council to
publish it.

Columns follow the Code's list of what to publish for each contract (Part 2, "Procurement
information", as the Code's paragraph lists it): reference number; title of agreement; local
authority department responsible; description of the goods and/or services; supplier name and
details (name, registration number); sum to be paid over the length of the contract and the
estimated annual spending; Value Added Tax that cannot be recovered; start, end and review
dates; whether the contract was the result of an invitation to quote or a published invitation
to tender; whether the supplier is a small or medium sized enterprise and/or a voluntary or
community sector organisation. After the Code's columns come this register's own: contract
manager, statutory duty, funding source and status (one past its end date and not yet closed
reads "ended, not yet closed"). Money is in pounds, as councils publish it.

The total value is the current one, and so is the estimated annual value beside it: as entered
at award until a variation changes the value or the term, then the value over the term as
varied (`Contract.annual_value_pence`).
"""

from __future__ import annotations

import csv
import io
from datetime import date

from services.commissioning.domain.contract import Contract
from shared.money import plain_pounds
from shared.spreadsheet_text import inert

COLUMNS = (
    "Reference number",
    "Title of agreement",
    "Department responsible",
    "Description of goods and/or services",
    "Supplier name",
    "Supplier registration number",
    "Total value (£)",
    "Estimated annual value (£)",
    "VAT that cannot be recovered (£)",
    "Start date",
    "End date",
    "Review date",
    "Procurement route",
    "Supplier is an SME",
    "Supplier is a VCSE",
    "Contract manager",
    "Statutory duty",
    "Funding source",
    "Status",
)


def _pounds(pence: int | None) -> str:
    return "" if pence is None else plain_pounds(pence)


def _yes_no(flag: bool) -> str:
    return "Yes" if flag else "No"


def _status(contract: Contract, today: date) -> str:
    return "ended, not yet closed" if contract.has_ended(today) else contract.status.value


def row(contract: Contract, today: date) -> tuple[str, ...]:
    """A contract's row; what people typed is written so that a spreadsheet will not run it."""
    about = contract.particulars
    return (
        inert(contract.reference),
        inert(contract.title),
        inert(about.department),
        inert(contract.terms.scope),
        inert(about.supplier_name),
        inert(about.supplier_registration),
        _pounds(contract.value_pence),
        _pounds(contract.annual_value_pence),
        _pounds(about.vat_not_recoverable_pence),
        contract.start_on.isoformat(),
        contract.end_on.isoformat(),
        about.review_on.isoformat() if about.review_on else "",
        about.procurement_route.value.replace("_", " "),
        _yes_no(about.supplier_is_sme),
        _yes_no(about.supplier_is_vcse),
        inert(about.contract_manager),
        inert(contract.statutory_duty),
        contract.funding_source.label,
        _status(contract, today),
    )


def register_csv(contracts: list[Contract], *, today: date) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(COLUMNS)
    writer.writerows(row(contract, today) for contract in contracts)
    return out.getvalue()
