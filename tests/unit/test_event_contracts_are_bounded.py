"""Every field of every event contract is bounded, as every HTTP input is: a consumer's columns
hold whatever a contract accepts, so a consumer never parks an event its producer may send (a
school's name past 200 characters, a CFR code past 4, pence past 2^63, a NUL, a year 9999)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from uuid import uuid4

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from shared.bounds import MAX_TOTAL_PENCE, AcademicYear, FinancialYear
from shared.calendar import academic_year, financial_year
from shared.events import (
    ALL_EVENTS,
    Envelope,
    Event,
    PlaceOfferedV1,
    SchoolContactChangedV1,
    SchoolRegisteredV1,
)
from shared.events.money_fields import MoneyTotals
from shared.events.orders import MAX_TERM, OptionalMoney, OrderLineV1
from shared.limits import FIRST_YEAR, LAST_YEAR
from shared.money import VatRate
from shared.uow import MAX_EVENT_BYTES
from tests.support.largest_events import End, largest_envelope
from tests.support.schools import ABBOTS_LANGLEY_AS_REGISTERED
from tests.unit.test_every_input_is_bounded import unbounded


@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda event: event.__name__)
def test_every_field_of_the_event_is_bounded(event: type[Event]) -> None:
    schema = event.model_json_schema()
    definitions = {"components": {"schemas": schema.get("$defs", {})}}
    assert list(unbounded(definitions, schema, event.__name__)) == []


@pytest.mark.parametrize("end", ["first", "last"])
@pytest.mark.parametrize("event", ALL_EVENTS, ids=lambda event: event.__name__)
def test_every_event_at_its_largest_is_one_and_can_be_sent(event: type[Event], end: End) -> None:
    """What tests/integration/test_events_at_their_largest.py sends every consumer."""
    envelope = largest_envelope(event, end=end)
    assert len(envelope.model_dump_json().encode()) < MAX_EVENT_BYTES


@pytest.mark.parametrize("day", [date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)])
def test_the_financial_and_academic_year_of_every_day_is_a_year_an_event_may_name(
    day: date,
) -> None:
    """1 January 1990 is in the financial year 1989-90: the ledger's event of a posting that
    day named it, and was refused (the posting parked, never made)."""
    assert TypeAdapter(FinancialYear).validate_python(financial_year(day))
    assert TypeAdapter(AcademicYear).validate_python(academic_year(day))


def line(**changes: Any) -> dict[str, Any]:
    return {
        "service_id": str(uuid4()),
        "title": "Annual HR subscription",
        "service_type": "subscription",
        "category": "HR",
        "price_version": 1,
        "quantity": 1,
        "unit_price_pence": 120_000,
        "vat_rate": VatRate.STANDARD,
        "net_pence": 120_000,
        "vat_pence": 24_000,
        "gross_pence": 144_000,
        "term_start": "2026-09-01",
        "term_end": "2027-08-31",
        "cfr_code": "E25",
    } | changes


def refused_field(model: Any, data: dict[str, Any]) -> str:
    with pytest.raises(ValidationError) as refused:
        model.model_validate(data)
    return ".".join(str(part) for part in refused.value.errors()[0]["loc"])


def test_a_line_the_producer_could_send_is_accepted_at_its_largest() -> None:
    largest = 1000 * 10_000_000_000  # a thousand of the dearest unit the catalogue can price
    OrderLineV1.model_validate(
        line(quantity=1000, net_pence=largest, vat_pence=largest // 5, gross_pence=largest * 6 // 5)
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("title", "x" * 201),  # the ledger's and evaluation's columns hold 200
        ("cfr_code", "E25X1"),  # the ledger's column holds 4
        ("net_pence", 2**63),  # past PostgreSQL's BIGINT
        ("vat_pence", -1),
        ("category", "HR\x00"),  # PostgreSQL keeps no NUL
        ("urn", 2**31),  # past an INTEGER
        ("term_end", "9999-12-31"),  # the month after overflows a date
    ],
)
def test_a_line_past_what_its_consumers_hold_is_refused_naming_the_field(
    field: str, value: object
) -> None:
    assert refused_field(OrderLineV1, line(**{field: value})) == field


def test_a_term_longer_than_any_we_sell_is_refused_so_its_schedule_stays_short() -> None:
    start = date(2026, 9, 1)
    OrderLineV1.model_validate(line(term_start=start, term_end=start + MAX_TERM))
    with pytest.raises(ValidationError, match=f"a term covers at most {MAX_TERM.days} days"):
        OrderLineV1.model_validate(line(term_start=start, term_end=date(2096, 8, 31)))


def test_a_term_given_back_after_it_ended_is_still_a_line() -> None:
    """A subscription cancelled in its last month gives back from the month after its end."""
    OrderLineV1.model_validate(line(term_start="2027-09-01", term_end="2027-08-31"))


def test_a_school_whose_name_no_consumer_could_hold_is_refused() -> None:
    registered = ABBOTS_LANGLEY_AS_REGISTERED | {"pupils": 415}
    SchoolRegisteredV1.model_validate(registered | {"name": "x" * 200})
    assert refused_field(SchoolRegisteredV1, registered | {"name": "x" * 201}) == "name"
    assert refused_field(SchoolRegisteredV1, registered | {"la_code": "x" * 11}) == "la_code"


def test_a_total_past_any_events_lines_is_refused() -> None:
    assert MAX_TOTAL_PENCE < 2**63
    totals = {"strand": "traded", "vat_pence": 0, "financial_year": "2026-27"}
    for pence in (MAX_TOTAL_PENCE + 1, 2**63):
        data = totals | {"net_pence": pence, "gross_pence": pence}
        assert refused_field(MoneyTotals, data) == "net_pence"


def test_an_offer_expiring_in_year_one_is_refused_when_read() -> None:
    offered = {
        "order_id": uuid4(),
        "line_id": uuid4(),
        "service_id": uuid4(),
        "session_id": uuid4(),
        "urn": 117_433,
        "places": 2,
    }
    PlaceOfferedV1.model_validate(offered | {"offer_expires_at": datetime.now(UTC)})
    year_one = "0001-01-01T00:00:00+00:00"  # moved to England's clock, it is before year one
    assert refused_field(PlaceOfferedV1, offered | {"offer_expires_at": year_one}) == (
        "offer_expires_at"
    )


def test_the_envelope_is_bounded_too() -> None:
    """A consumer takes on an envelope's correlation id for every event it records in answer:
    an envelope no event of ours could carry on is not an event (it is parked)."""
    school = SchoolRegisteredV1.model_validate(ABBOTS_LANGLEY_AS_REGISTERED | {"pupils": 415})
    envelope = Envelope.of(school).model_dump(mode="json")
    model = type(Envelope.of(school))
    for field, too_long in [
        ("correlation_id", "x" * 201),
        ("type", "orders." * 40),
        ("producer", "p" * 61),
        ("traceparent", "00-" + "f" * 62),
    ]:
        assert refused_field(model, envelope | {field: too_long}) == field
    model.model_validate(envelope | {"correlation_id": "x" * 200})


def test_an_offer_names_its_course_and_day_within_bounds_or_not_at_all() -> None:
    """Offers from before they named their course are still read."""
    offered = {
        "order_id": uuid4(),
        "line_id": uuid4(),
        "service_id": uuid4(),
        "session_id": uuid4(),
        "urn": 117_433,
        "places": 1,
        "offer_expires_at": datetime.now(UTC),
    }
    assert PlaceOfferedV1.model_validate(offered).title is None
    named = PlaceOfferedV1.model_validate(
        offered | {"title": "Phonics for new teachers", "starts_on": "2027-03-17"}
    )
    assert (named.title, named.starts_on) == ("Phonics for new teachers", date(2027, 3, 17))
    assert refused_field(PlaceOfferedV1, offered | {"title": "x" * 201}) == "title"
    assert refused_field(PlaceOfferedV1, offered | {"starts_on": "9999-12-31"}) == "starts_on"


@pytest.mark.parametrize(
    ("model", "data"),
    [
        (MoneyTotals, {"strand": "statutory", "financial_year": "2026-27"}),
        (OrderLineV1, line()),
        (OptionalMoney, {}),
    ],
    ids=lambda value: getattr(value, "__name__", ""),
)
def test_money_whose_gross_is_not_its_net_and_vat_is_refused(
    model: type[BaseModel], data: dict[str, Any]
) -> None:
    """The ledger debits the gross and credits the net and the VAT: an LA invoice whose gross
    was a penny more could not balance, and was parked instead of booked."""
    adds_up = data | {"net_pence": 10_000, "vat_pence": 2_000, "gross_pence": 12_000}
    model.model_validate(adds_up)
    with pytest.raises(ValidationError, match="gross_pence must be net_pence plus vat_pence"):
        model.model_validate(adds_up | {"gross_pence": 12_001})


def test_money_events_that_name_only_some_amounts_are_not_asked_to_add_up() -> None:
    """An event from before the amounts were carried names none, or the gross alone."""
    OptionalMoney.model_validate({})
    OptionalMoney.model_validate({"gross_pence": 12_000})


def test_a_contact_named_with_what_is_not_one_email_address_is_refused_as_the_api_refuses_it() -> (
    None
):
    """The orders API takes one plain address; the event took any line of text, so notifications
    kept what no message could be sent to."""
    named = {"urn": 117_192, "contact": "finance", "name": "Sam Patel"}
    SchoolContactChangedV1.model_validate(named | {"email": "sam.patel@abbotslangley.example"})
    for email in ("Sam Patel", "a@b.example, c@d.example"):
        assert refused_field(SchoolContactChangedV1, named | {"email": email}) == "email"
