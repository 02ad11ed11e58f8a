"""The contract register CSV follows the Transparency Code's column order."""

from __future__ import annotations

import csv
import io
from datetime import date
from uuid import uuid4

from services.commissioning.adapters.transparency_csv import COLUMNS, register_csv
from services.commissioning.domain.contract import Contract
from services.commissioning.domain.particulars import FundingSource, Particulars, ProcurementRoute
from services.commissioning.domain.terms import Variation, VariationKind
from shared.money import VatRate
from tests.unit.test_commissioning_contract import variation

IN_TERM = date(2026, 12, 1)


def recorded(
    *, title: str = "Schools causing concern", supplier_name: str = "Schools Company Ltd"
) -> Contract:
    return Contract.record(
        reference="HCC-SI-2026",
        title=title,
        statutory_duty="EIA 2006 Part 4",
        funding_source=FundingSource.DE_DELEGATED,
        value_pence=120_000_000,
        vat_rate=VatRate.STANDARD,
        start_on=date(2026, 4, 1),
        end_on=date(2027, 3, 31),
        description="Monitoring",
        particulars=Particulars(
            department="Children's Services",
            supplier_name=supplier_name,
            supplier_registration="01234567",
            supplier_is_sme=True,
            annual_value_pence=120_000_000,
            vat_not_recoverable_pence=0,
            review_on=date(2026, 10, 1),
            procurement_route=ProcurementRoute.INVITATION_TO_TENDER,
            contract_manager="Head of School Effectiveness",
        ),
    )


def published(contract: Contract, *, today: date = IN_TERM) -> dict[str, str]:
    header, row = list(csv.reader(io.StringIO(register_csv([contract], today=today))))
    return dict(zip(header, row, strict=True))


def test_a_contract_past_its_end_date_reads_ended_not_yet_closed_until_it_is_closed() -> None:
    """It ended on 31 March 2027 whether or not anyone closed it: the register read "active"
    for as long as nobody did."""
    contract = recorded()
    contract.sign(on=date(2026, 4, 1))

    assert published(contract, today=date(2027, 3, 31))["Status"] == "active"
    assert published(contract, today=date(2027, 4, 1))["Status"] == "ended, not yet closed"
    contract.close(on=date(2027, 4, 2))
    assert published(contract, today=date(2027, 4, 2))["Status"] == "closed"


def test_the_register_lists_the_code_fields_in_order_with_the_current_terms() -> None:
    contract = recorded()
    contract.sign(on=date(2026, 4, 1))
    contract.vary(
        Variation(uuid4(), VariationKind.VALUE, "More", "Director", date(2026, 9, 1), 125_050_001),
        committed_pence=0,
    )

    header, row = list(csv.reader(io.StringIO(register_csv([contract], today=IN_TERM))))

    assert header[:12] == [
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
    ]
    assert tuple(header) == COLUMNS
    assert dict(zip(header, row, strict=True)) == {
        "Reference number": "HCC-SI-2026",
        "Title of agreement": "Schools causing concern",
        "Department responsible": "Children's Services",
        "Description of goods and/or services": "Monitoring",
        "Supplier name": "Schools Company Ltd",
        "Supplier registration number": "01234567",
        "Total value (£)": "1250500.01",
        "Estimated annual value (£)": "1250500.01",
        "VAT that cannot be recovered (£)": "0.00",
        "Start date": "2026-04-01",
        "End date": "2027-03-31",
        "Review date": "2026-10-01",
        "Procurement route": "invitation to tender",
        "Supplier is an SME": "Yes",
        "Supplier is a VCSE": "No",
        "Contract manager": "Head of School Effectiveness",
        "Statutory duty": "EIA 2006 Part 4",
        "Funding source": "de-delegated schools' funds",
        "Status": "varied",
    }


def test_what_an_officer_typed_is_published_as_text_a_spreadsheet_will_not_run() -> None:
    typed = recorded(title='=HYPERLINK("https://example.org","Open")', supplier_name="+44 Ltd")

    header, row = list(csv.reader(io.StringIO(register_csv([typed], today=IN_TERM))))

    published = dict(zip(header, row, strict=True))
    assert published["Title of agreement"] == '\'=HYPERLINK("https://example.org","Open")'
    assert published["Supplier name"] == "'+44 Ltd"
    assert published["Total value (£)"] == "1200000.00"


def test_a_contract_never_varied_publishes_the_estimate_entered_at_award() -> None:
    contract = recorded()
    contract.sign(on=date(2026, 4, 1))
    contract.vary(
        variation(VariationKind.SCOPE, scope="Monitoring and attendance"), committed_pence=0
    )

    assert published(contract)["Estimated annual value (£)"] == "1200000.00"


def test_a_variation_of_the_value_or_term_publishes_the_value_over_the_term_as_varied() -> None:
    contract = recorded()
    contract.sign(on=date(2026, 4, 1))
    contract.vary(variation(VariationKind.VALUE, value_pence=125_000_000), committed_pence=0)
    assert published(contract)["Estimated annual value (£)"] == "1250000.00"

    # two years from 1 April 2026 to 31 March 2028, the second with a 29 February
    contract.vary(variation(VariationKind.TERM, end_on=date(2028, 3, 31)), committed_pence=0)
    assert published(contract)["Total value (£)"] == "1250000.00"
    assert published(contract)["Estimated annual value (£)"] == "625000.00"


def test_a_variation_waiting_for_a_second_approval_or_declined_changes_no_estimate() -> None:
    contract = recorded()
    contract.sign(on=date(2026, 4, 1))
    waiting = contract.propose(
        variation(VariationKind.VALUE, value_pence=150_000_000),
        committed_pence=0,
        second_approval_over_pence=5_000_000,
        today=date(2026, 12, 1),
    )
    assert contract.pending == [waiting]
    assert published(contract)["Estimated annual value (£)"] == "1200000.00"

    contract.decline(waiting.id)
    assert published(contract)["Estimated annual value (£)"] == "1200000.00"
