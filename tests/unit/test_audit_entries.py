"""The audit entry an event makes: the aggregate and verb from its subject, and which one from
its own id, its school's URN, or else its first id."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from shared.audit import entry_for
from shared.events import Event, SchoolRegisteredV1, TransactionPostedV1
from shared.money import Strand

TRANSACTION = UUID("00000000-0000-4000-8000-0000000000aa")
SOURCE = UUID("00000000-0000-4000-8000-0000000000bb")


def test_an_event_is_audited_under_its_aggregates_own_id() -> None:
    posted = TransactionPostedV1(
        transaction_id=TRANSACTION,
        source_event_id=SOURCE,
        source_subject="orders.invoice.raised.v1",
        strand=Strand.TRADED,
        description="Invoice INV-1 to school 117083",
        posted_on=date(2026, 5, 1),
        financial_year="2026-27",
        postings=(),
    )

    entry = entry_for(posted, "Invoice INV-1")

    assert (entry.action, entry.object_type, entry.object_id, entry.summary) == (
        "transaction.posted",
        "transaction",
        str(TRANSACTION),
        "Invoice INV-1",
    )


def test_a_school_is_audited_under_its_urn() -> None:
    school = SchoolRegisteredV1(
        urn=117083,
        name="Abbots Langley School",
        la_code="919",
        la_name="Hertfordshire",
        establishment_type="Community school",
        type_group="Local authority maintained schools",
        phase="Primary",
        pupils=None,
        postcode="WD5 0AP",
        town="Abbots Langley",
    )

    assert entry_for(school).object_id == "117083"


class PlaceHeldV1(Event):
    subject = "catalogue.place.held.v1"

    session_id: UUID | None = None
    booking_id: UUID


def test_an_event_without_its_aggregates_id_is_audited_under_its_first_id_given() -> None:
    held = PlaceHeldV1(booking_id=SOURCE)

    entry = entry_for(held)

    assert (entry.action, entry.object_id) == ("place.held", str(SOURCE))
