import re
from datetime import UTC, date, datetime
from uuid import uuid4

import pytest
from pydantic import ValidationError

from shared.events import (
    ALL_EVENTS,
    Envelope,
    LaInvoiceRaisedV1,
    PlacesRefusedV1,
    ServicePublishedV1,
    TransactionPostedV1,
    caused_event_id,
    published_by,
    stream_of,
)
from shared.events.catalogue import PlacesRefusal
from shared.money import Strand, VatRate

SUBJECT = re.compile(
    r"^(catalogue|orders|commissioning|evaluation|ledger)\.[a-z_]+\.[a-z_]+\.v\d+$"
)


def test_every_subject_names_its_producer_aggregate_verb_and_version_once() -> None:
    subjects = [event.subject for event in ALL_EVENTS]
    assert len(subjects) == len(set(subjects))
    assert all(SUBJECT.match(subject) for subject in subjects), subjects


def test_each_event_is_published_by_the_service_its_subject_names() -> None:
    producers = ("catalogue", "orders", "commissioning", "evaluation", "ledger")
    published = [event for producer in producers for event in published_by(producer)]
    assert sorted(published, key=str) == sorted(ALL_EVENTS, key=str)
    assert published_by("ledger") == (TransactionPostedV1,)


def test_an_event_lives_in_its_producers_stream() -> None:
    assert stream_of("orders.invoice.raised.v1") == "ORDERS"


def test_an_envelope_round_trips_through_json_and_ignores_fields_added_later() -> None:
    event = ServicePublishedV1(
        service_id=uuid4(),
        code="ML-PROG",
        title="Middle leadership programme",
        service_type="course",
        category="CPD and leadership",
        unit_price_pence=59_500,
        vat_rate=VatRate.EXEMPT,
        price_version=1,
    )
    envelope = Envelope[ServicePublishedV1](
        event_id=uuid4(),
        type=event.subject,
        occurred_at=datetime.now(UTC),
        producer="catalogue",
        correlation_id="c-1",
        payload=event,
    )
    body = envelope.model_dump(mode="json")
    body["payload"]["a_field_added_in_a_later_minor_change"] = "ignored"
    assert Envelope[ServicePublishedV1].model_validate(body) == envelope


def test_places_refused_before_refusals_gave_a_reason_were_refused_for_the_year() -> None:
    ids = {key: uuid4() for key in ("order_id", "line_id", "service_id", "session_id")}
    older = {**ids, "urn": 117_100, "places": 1, "academic_year": "2027/28"}
    assert PlacesRefusedV1.model_validate(older).reason is PlacesRefusal.YEAR_NOT_SOLD


def test_an_answer_to_the_same_cause_has_the_same_id_and_each_answer_its_own() -> None:
    cause = uuid4()
    subject = TransactionPostedV1.subject
    assert caused_event_id(cause, subject) == caused_event_id(str(cause), subject)
    assert caused_event_id(cause, subject, "line 1") != caused_event_id(cause, subject, "line 2")
    assert caused_event_id(cause, subject) != caused_event_id(cause, "catalogue.places.reserved.v1")
    assert caused_event_id(cause, subject) != caused_event_id(uuid4(), subject)


def test_a_money_event_is_traded_or_statutory_never_the_companys_core_money() -> None:
    fields = {
        "invoice_id": uuid4(),
        "invoice_number": "LA-2026-0001",
        "contract_id": uuid4(),
        "contract_reference": "HCC-SI-2026",
        "milestone_id": uuid4(),
        "funding_source": "council_budget",
        "issued_on": date(2026, 12, 4),
        "due_on": date(2027, 1, 3),
        "net_pence": 100_000,
        "vat_pence": 0,
        "gross_pence": 100_000,
        "financial_year": "2026-27",
    }
    assert (
        LaInvoiceRaisedV1.model_validate({**fields, "strand": "statutory"}).strand
        == Strand.STATUTORY
    )
    with pytest.raises(ValidationError, match="strand"):
        LaInvoiceRaisedV1.model_validate({**fields, "strand": "core"})
