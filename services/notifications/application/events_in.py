"""The events that need someone's attention, each turned into messages for the people concerned
(and the facts the calendar's reminders need kept)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from uuid import UUID

from services.notifications.adapters.letters import render_letter
from services.notifications.application.sending import Addressing, send
from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.approvals import approval_key, too_late_to_answer
from services.notifications.domain.dunning import OpenInvoice, reminder_keys
from services.notifications.domain.message import Attachment, Draft
from services.notifications.domain.offers import (
    OpenOffer,
    Reader,
    lapsed,
    offer_key,
    offer_keys,
    offer_text,
)
from services.notifications.domain.programmes import ProgrammeWithoutBaseline, baseline_alert_key
from services.notifications.domain.quality import flagged_text
from services.notifications.domain.recipients import Recipient, SchoolContact, StaffRole
from services.notifications.domain.refusals import (
    Refusal,
    RefusedLine,
    refused_key,
    refused_subject,
    refused_text,
)
from services.notifications.domain.sessions import (
    cancelled_subject,
    cancelled_text,
    unplaced_key,
    unplaced_subject,
    unplaced_text,
)
from services.notifications.domain.trust_bookings import TrustPlaces
from services.notifications.domain.waiting import (
    WaitingLine,
    waiting_key,
    waiting_subject,
    waiting_text,
)
from services.notifications.domain.warning_notices import (
    WarningNotice,
    compliance_alert_key,
    notice_email,
    notice_letter,
)
from shared.bus import Events
from shared.calendar import long_date
from shared.clock import business_day
from shared.events import (
    ApprovalRequestedV1,
    BaselineRecordedV1,
    CaseMovedV1,
    CreditNoteIssuedV1,
    Envelope,
    InvoiceRaisedV1,
    InvoiceSettledV1,
    OrderApprovedV1,
    OrderCancelledV1,
    OrderPaidV1,
    OrderPlacedV1,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    PlaceOfferedV1,
    PlaceOfferLapsedV1,
    PlacesRefusedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    ProgrammeCreatedV1,
    ProviderFlaggedV1,
    RefundIssuedV1,
    SchoolContactChangedV1,
    SchoolRegisteredV1,
    SessionCancelledV1,
    WaitingListClosedV1,
    WarningNoticeIssuedV1,
)
from shared.events.orders import ApprovalReason
from shared.money import format_pounds


async def places_unavailable(
    envelope: Envelope[PlacesUnavailableV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """The school's business manager is told the line waits, and on a trust's order the
    trust's buyer too (naming the school); not once the line waits no more. The news says
    whose order it is, as the order does, which may be applied after it: the trust's booking
    is kept from whichever comes first, for the offers and call-offs that follow."""
    event = envelope.payload
    if not await uow.read_models.still_waiting(event.order_id, event.line_id, event.session_id):
        return
    line = WaitingLine(
        line_id=event.line_id,
        urn=event.urn,
        places=event.places,
        position=event.waiting_list_position,
        title=event.title,
        starts_on=event.starts_on,
    )
    if event.trust_code:
        booked = TrustPlaces(event.line_id, event.session_id, event.urn, event.starts_on)
        await uow.read_models.booked_by_trust(event.order_id, event.trust_code, [booked])
    trust_code = (await uow.read_models.trusts_booking([line.line_id])).get(line.line_id)
    await _tell_of_line(
        uow,
        addressing,
        line.urn,
        trust_code,
        key=waiting_key(line.line_id),
        template="places_unavailable",
        subject=waiting_subject(line),
        text=lambda reader, name: waiting_text(line, reader=reader, school_name=name),
        cause=envelope.event_id,
        now=now,
    )


async def places_refused(
    envelope: Envelope[PlacesRefusedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """The school's business manager is told why the line got no places, and that it is given
    back in full; on a trust's order the trust's buyer too (the news says whose order it is, as
    the order does, whichever comes first). The trust does not book those places."""
    event = envelope.payload
    line = RefusedLine(
        line_id=event.line_id,
        urn=event.urn,
        places=event.places,
        reason=Refusal(event.reason.value),
        academic_year=event.academic_year,
        title=event.title,
        starts_on=event.starts_on,
    )
    booked_by = (await uow.read_models.trusts_booking([line.line_id])).get(line.line_id)
    await uow.read_models.places_given_back(line.line_id)
    await _tell_of_line(
        uow,
        addressing,
        line.urn,
        event.trust_code or booked_by,
        key=refused_key(line.line_id),
        template="places_refused",
        subject=refused_subject(line),
        text=lambda reader, name: refused_text(line, reader=reader, school_name=name),
        cause=envelope.event_id,
        now=now,
    )


async def _tell_of_line(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    urn: int,
    trust_code: str | None,
    *,
    key: str,
    template: str,
    subject: str,
    text: Callable[[Reader, str | None], str],
    cause: UUID,
    now: datetime,
) -> None:
    """News of an order line's places to each who hears of them (`_readers_of_line`): `text`
    given who reads it and the register's name of the school."""
    names = await uow.read_models.school_names([urn])
    await send(
        uow,
        addressing,
        *(
            Draft(
                key=key,
                recipient=recipient,
                template=template,
                subject=subject,
                body=text(reader, names.get(urn)),
                link=addressing.link(page),
                cause_event_id=cause,
            )
            for recipient, reader, page in _readers_of_line(urn, trust_code)
        ),
        now=now,
    )


def _readers_of_line(urn: int, trust_code: str | None) -> list[tuple[Recipient, Reader, str]]:
    """Who hears of an order line's places, as whom, and the bookings page that shows them:
    the school's business manager; on a trust's order (`trust_code`) the trust's buyer too, who
    booked the places and pays for them."""
    school = Recipient.school(urn, SchoolContact.BUSINESS_MANAGER)
    readers = [(school, Reader.TRUSTS_SCHOOL if trust_code else Reader.SCHOOL, "/bookings")]
    if trust_code:
        readers.append((Recipient.trust(trust_code), Reader.TRUST, "/trust/bookings"))
    return readers


async def _waiting_over(
    uow: NotificationsUnitOfWork, line_ids: Iterable[UUID], *, why: str
) -> None:
    """These order lines wait for places no more: the message saying they wait, not sent yet,
    is withdrawn (`still_waiting` keeps it from being drafted again)."""
    keys = [waiting_key(line_id) for line_id in line_ids]
    await uow.messages.withdraw(keys, why=f"withdrawn: {why}")


async def place_offered(
    envelope: Envelope[PlaceOfferedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    await _waiting_over(uow, [event.line_id], why="places were offered to the line")
    offer = OpenOffer(
        order_id=event.order_id,
        line_id=event.line_id,
        urn=event.urn,
        places=event.places,
        expires_at=event.offer_expires_at,
        session_id=event.session_id,
        title=event.title,
        starts_on=event.starts_on,
    )
    if lapsed(offer, now):  # applied late: no answer is taken now, and its lapse follows
        return
    if await uow.read_models.open_offer(offer):  # not taken, declined or cancelled already
        drafts = await offers_drafted(uow, addressing, [offer], reminder=False, cause=envelope)
        await send(uow, addressing, *drafts, now=now)


async def offers_drafted(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    offers: Sequence[OpenOffer],
    *,
    reminder: bool,
    cause: Envelope[Any] | None = None,
) -> list[Draft]:
    """The messages of these offers, each to whoever booked its places (`_offer_drafts`)."""
    trusts = await uow.read_models.trusts_booking([offer.line_id for offer in offers])
    names = await uow.read_models.school_names([offer.urn for offer in offers])
    return [
        draft
        for offer in offers
        for draft in _offer_drafts(
            offer,
            addressing,
            trust_code=trusts.get(offer.line_id),
            school_name=names.get(offer.urn),
            reminder=reminder,
            cause=cause,
        )
    ]


def _offer_drafts(
    offer: OpenOffer,
    addressing: Addressing,
    *,
    trust_code: str | None,
    school_name: str | None,
    reminder: bool,
    cause: Envelope[Any] | None = None,
) -> list[Draft]:
    """To whoever hears of the line's places (`_readers_of_line`; the trust's buyer reads the
    school by its name on the register, `school_name`): either may answer."""
    drafts = []
    for recipient, reader, page in _readers_of_line(offer.urn, trust_code):
        subject, body = offer_text(offer, reminder=reminder, reader=reader, school_name=school_name)
        answer = addressing.link(f"{page}?offer={offer.line_id}")
        whose = "the trust's" if reader is Reader.TRUST else "your"
        drafts.append(
            Draft(
                key=offer_key(offer.line_id, reminder=reminder),
                recipient=recipient,
                template="place_offer_reminder" if reminder else "place_offered",
                subject=subject,
                body=f"{body}\n\nAnswer on {whose} bookings page: {answer}",
                link=answer,
                cause_event_id=cause.event_id if cause else None,
            )
        )
    return drafts


async def offer_closed(
    envelope: Envelope[PlacesReservedV1] | Envelope[PlaceOfferAcceptedV1],
    *,
    uow: NotificationsUnitOfWork,
) -> None:
    """Nothing is on offer to this order line any more: its places were taken (its order's
    other lines may still wait for theirs)."""
    await _offers_closed(uow, [envelope.payload.line_id], why="its places were taken")


async def offer_given_back(
    envelope: Envelope[PlaceOfferDeclinedV1] | Envelope[PlaceOfferLapsedV1],
    *,
    uow: NotificationsUnitOfWork,
) -> None:
    """The offer was declined or passed on: nothing is on offer to the line, nor booked by it."""
    await _offers_closed(uow, [envelope.payload.line_id], why="the offer was declined or lapsed")
    await uow.read_models.places_given_back(envelope.payload.line_id)


async def _offers_closed(
    uow: NotificationsUnitOfWork, line_ids: Iterable[UUID], *, why: str
) -> None:
    """Nothing is on offer to these order lines, nor do they wait: an offer's message, or one
    saying they wait, not sent yet is withdrawn."""
    line_ids = list(line_ids)
    for line_id in line_ids:
        await uow.read_models.close_offer(line_id)
        await uow.messages.withdraw(offer_keys(line_id), why=f"withdrawn: {why}")
    await _waiting_over(uow, line_ids, why=why)


async def order_cancelled(
    envelope: Envelope[OrderCancelledV1], *, uow: NotificationsUnitOfWork
) -> None:
    """Its approval is asked for no more, nor its places offered or waited for; a message of
    any of them not sent yet is withdrawn."""
    event = envelope.payload
    await uow.read_models.order_cancelled(event.order_id, on=event.cancelled_on)
    lines = [line.line_id for line in event.lines if line.line_id]
    offers = [key for line_id in lines for key in offer_keys(line_id)]
    await uow.messages.withdraw(
        [approval_key(event.order_id), *offers, *(waiting_key(line_id) for line_id in lines)],
        why="withdrawn: the order was cancelled",
    )


async def order_placed(envelope: Envelope[OrderPlacedV1], *, uow: NotificationsUnitOfWork) -> None:
    """An order renews what it buys from when it is placed, as orders counts it (and refuses to
    renew again): awaiting its approver or its card payment too, until it is cancelled. A
    trust's order's course places are kept, for the trust to hear if a session is called off."""
    event = envelope.payload
    await _remember_subscriptions(uow, event)
    if event.trust_code:
        places = [
            TrustPlaces(line.line_id, line.session_id, line.urn or event.urn, line.delivery_on)
            for line in event.lines
            if line.line_id and line.session_id
        ]
        await uow.read_models.booked_by_trust(event.order_id, event.trust_code, places)


async def order_paid(envelope: Envelope[OrderPaidV1], *, uow: NotificationsUnitOfWork) -> None:
    event = envelope.payload
    await _remember_subscriptions(uow, event)  # one placed before it was counted
    payment = await uow.read_models.card_paid(event.order_id, event.gross_pence)
    if payment.refunded_in_full:  # by refunds applied before it
        await uow.read_models.refunded_in_full(event.order_id)


async def order_refunded(
    envelope: Envelope[RefundIssuedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """An order refunded in full bought nothing, as orders counts it: what it subscribed to is
    not renewed by it, and is the school's (or trust's) to renew again if bought last year. A
    part refund changes nothing. In full as the refund says, or as the order's refunds heard
    of add up to its payment (one from before refunds said so reads as a part refund)."""
    event = envelope.payload
    payment = await uow.read_models.card_refunded(
        event.order_id, event.refund_id, event.gross_pence
    )
    if event.order_refunded_in_full or payment.refunded_in_full:
        await uow.read_models.refunded_in_full(event.order_id)


RENEWED_YEARLY = ("subscription", "bundle")  # the buy-back renews them


async def _remember_subscriptions(
    uow: NotificationsUnitOfWork, event: OrderPlacedV1 | OrderPaidV1 | InvoiceRaisedV1
) -> None:
    """Each subscription line's term (a bundle of subscriptions has one too), for its own school
    (a trust's order names one per line), and the trust that bought it, if one did; kept until
    the order is cancelled (paid, then invoiced: each keeps the same terms once)."""
    terms: dict[int, set[tuple[date, UUID]]] = defaultdict(set)
    for line in event.lines:
        if line.service_type in RENEWED_YEARLY and line.term_start is not None:
            terms[line.urn or event.urn].add((line.term_start, line.service_id))
    for urn, bought in terms.items():
        await uow.read_models.subscribed(event.order_id, urn, bought, trust_code=event.trust_code)


async def session_cancelled(
    envelope: Envelope[SessionCancelledV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """Each booked school's business manager is told; so is each trust whose order booked it
    for some of them (the trust booked, and pays)."""
    event = envelope.payload
    offered = await uow.read_models.offers_on(event.session_id)
    await _offers_closed(uow, offered, why="the session was called off")
    await uow.read_models.close_offers_on(event.session_id)  # one kept later is not opened
    trusts = await uow.read_models.trusts_booked_on(
        event.session_id, event.booked_urns, called_off_on=business_day(envelope.occurred_at)
    )

    def text(reader: Reader, booked_for: tuple[int, ...], names: Mapping[int, str]) -> str:
        return cancelled_text(
            event.title,
            event.starts_on,
            minimum_places=event.minimum_places,
            places_booked=event.places_booked,
            reader=reader,
            trust_booked_for=booked_for,
            school_names=names,
        )

    await _tell_booked(
        uow,
        addressing,
        event.booked_urns,
        trusts,
        key=lambda _: f"session-cancelled:{event.session_id}",
        template="session_cancelled",
        subject=cancelled_subject(event.title, event.starts_on),
        text=text,
        cause=envelope.event_id,
        now=now,
    )


async def waiting_list_closed(
    envelope: Envelope[WaitingListClosedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    """Each school still waiting is told no place came, and its money comes back; so is each
    trust whose order booked it for some of them. The trust no longer books those places. Each
    is told once of each of its lines: a list may close in parts, and again for a line that
    joined it late."""
    event = envelope.payload
    by_trust = await uow.read_models.trusts_booking(line.line_id for line in event.lines)
    trusts: dict[str, set[int]] = defaultdict(set)
    lines_of: dict[Recipient, list[UUID]] = defaultdict(list)
    for line in event.lines:
        lines_of[Recipient.school(line.urn, SchoolContact.BUSINESS_MANAGER)].append(line.line_id)
        if line.line_id in by_trust:
            trusts[by_trust[line.line_id]].add(line.urn)
            lines_of[Recipient.trust(by_trust[line.line_id])].append(line.line_id)
        await uow.read_models.places_given_back(line.line_id)
    await _waiting_over(uow, [line.line_id for line in event.lines], why="the waiting list closed")

    def text(reader: Reader, booked_for: tuple[int, ...], names: Mapping[int, str]) -> str:
        return unplaced_text(
            event.title,
            event.starts_on,
            reader=reader,
            trust_booked_for=booked_for,
            school_names=names,
        )

    await _tell_booked(
        uow,
        addressing,
        [line.urn for line in event.lines],
        trusts,
        key=lambda recipient: unplaced_key(event.session_id, lines_of[recipient]),
        template="waiting_list_closed",
        subject=unplaced_subject(event.title, event.starts_on),
        text=text,
        cause=envelope.event_id,
        now=now,
    )


async def _tell_booked(
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    urns: Iterable[int],
    trusts: Mapping[str, set[int]],
    *,
    key: Callable[[Recipient], str],
    template: str,
    subject: str,
    text: Callable[[Reader, tuple[int, ...], Mapping[int, str]], str],
    cause: UUID,
    now: datetime,
) -> None:
    """News of a session to each of these schools' business managers, and to each trust that
    booked it for some of them (`text` given who reads it, the schools a trust booked for, and
    their names; `key` the occasion of each one's message). A school a trust booked for reads
    as its trust's school, whether or not it booked on its own order too."""
    for_trusts = {urn for booked in trusts.values() for urn in booked}
    told: list[tuple[Recipient, Reader, str, tuple[int, ...]]] = [
        (
            Recipient.school(urn, SchoolContact.BUSINESS_MANAGER),
            Reader.TRUSTS_SCHOOL if urn in for_trusts else Reader.SCHOOL,
            "/bookings",
            (),
        )
        for urn in sorted(set(urns))
    ]
    told += [
        (Recipient.trust(code), Reader.TRUST, "/trust/bookings", tuple(sorted(booked)))
        for code, booked in sorted(trusts.items())
    ]
    names = await uow.read_models.school_names(for_trusts)
    await send(
        uow,
        addressing,
        *(
            Draft(
                key=key(recipient),
                recipient=recipient,
                template=template,
                subject=subject,
                body=text(reader, booked_for, names),
                link=addressing.link(page),
                cause_event_id=cause,
            )
            for recipient, reader, page, booked_for in told
        ),
        now=now,
    )


async def invoice_raised(
    envelope: Envelope[InvoiceRaisedV1], *, uow: NotificationsUnitOfWork
) -> None:
    event = envelope.payload
    await uow.read_models.open_invoice(
        OpenInvoice(
            invoice_id=event.invoice_id,
            number=event.invoice_number,
            urn=event.urn,
            school_name=event.school_name,
            due_on=event.due_on,
            outstanding_pence=event.gross_pence,
            trust_name=event.trust_name,
            trust_code=event.trust_code,
            gross_pence=event.gross_pence,
        )
    )
    await _remember_subscriptions(uow, event)


async def invoice_settled(
    envelope: Envelope[InvoiceSettledV1], *, uow: NotificationsUnitOfWork
) -> None:
    event = envelope.payload
    await uow.read_models.invoice_owes(event.invoice_id, event.outstanding_pence)
    await _reminders_outdated(uow, event.invoice_id)


async def invoice_credited(
    envelope: Envelope[CreditNoteIssuedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """A credit note reduces the invoice: a part credit (half a course, one line, the unused
    months of a subscription) leaves the rest owed, and reminded of."""
    event = envelope.payload
    if event.outstanding_pence is None:  # a credit note from before it said what is left
        await uow.read_models.invoice_less(event.invoice_id, event.gross_pence)
    else:
        await uow.read_models.invoice_owes(event.invoice_id, event.outstanding_pence)
    await _reminders_outdated(uow, event.invoice_id)


async def _reminders_outdated(uow: NotificationsUnitOfWork, invoice_id: UUID) -> None:
    """A reminder not sent yet says what was owed before: withdrawn, for the calendar's next
    run to send it again with what is owed now (or nothing, once nothing is)."""
    await uow.messages.withdraw(
        reminder_keys(invoice_id), why="withdrawn: a payment or credit changed what is owed"
    )


async def provider_flagged(
    envelope: Envelope[ProviderFlaggedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    subject, body = flagged_text(
        average=event.average, ratings=event.ratings, threshold=event.threshold
    )
    await send(
        uow,
        addressing,
        Draft(
            key=f"provider-flagged:{event.provider_id}:{event.flagged_on}",
            recipient=Recipient.staff(StaffRole.CATALOGUE_ADMIN),
            template="provider_flagged",
            subject=subject,
            body=body,
            link=addressing.link(f"/providers/{event.provider_id}"),
            cause_event_id=envelope.event_id,
        ),
        now=now,
    )


async def contact_named(
    envelope: Envelope[SchoolContactChangedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """The person a school named for a contact: what waits to go to the contact goes to them."""
    event = envelope.payload
    if await uow.read_models.set_contact(
        event.urn,
        event.contact,
        name=event.name,
        email=event.email,
        changed_at=envelope.occurred_at,
    ):
        await uow.messages.readdress(Recipient.school(event.urn, event.contact), event.email)


async def school_registered(
    envelope: Envelope[SchoolRegisteredV1], *, uow: NotificationsUnitOfWork
) -> None:
    """The register's trust for the school (one it has left no longer renews for it), and its
    name, which its trust's buyer reads it by."""
    event = envelope.payload
    await uow.read_models.school_registered(
        event.urn,
        name=event.name,
        trust_code=event.trust_code,
        version=event.version,
        announced_at=envelope.occurred_at,
    )


async def warning_notice_issued(
    envelope: Envelope[WarningNoticeIssuedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    notice = WarningNotice(**event.model_dump(include=set(WarningNotice.__dataclass_fields__)))
    await uow.read_models.open_notice(notice)
    letter = Attachment(f"warning-notice-{notice.urn}.pdf", render_letter(notice_letter(notice)))
    body = notice_email(notice, business_day(now))
    await send(
        uow,
        addressing,
        *(
            Draft(
                key=f"warning-notice:{notice.case_id}:{notice.issued_on}",
                recipient=Recipient.school(notice.urn, contact),
                template="warning_notice",
                subject=f"Warning notice to {notice.school_name}",
                body=body,
                link=addressing.link("/messages"),
                cause_event_id=envelope.event_id,
                attachments=(letter,),
            )
            for contact in (SchoolContact.HEADTEACHER, SchoolContact.CHAIR_OF_GOVERNORS)
        ),
        now=now,
    )


async def case_moved(envelope: Envelope[CaseMovedV1], *, uow: NotificationsUnitOfWork) -> None:
    """A case moved on from its warning notice (or closed): the officer's alert that it stayed
    put, not sent yet, is withdrawn."""
    if envelope.payload.stage == "warning_notice":
        return
    notice = await uow.read_models.notice(envelope.payload.case_id)
    await uow.read_models.close_notice(envelope.payload.case_id)
    if notice is not None:
        await uow.messages.withdraw(
            [compliance_alert_key(notice)], why="withdrawn: the case moved on"
        )


async def programme_created(
    envelope: Envelope[ProgrammeCreatedV1], *, uow: NotificationsUnitOfWork
) -> None:
    event = envelope.payload
    await uow.read_models.await_baseline(
        ProgrammeWithoutBaseline(event.programme_id, event.title, event.starts_on)
    )


async def baseline_recorded(
    envelope: Envelope[BaselineRecordedV1], *, uow: NotificationsUnitOfWork
) -> None:
    """The evaluator's alert that the programme has none, not sent yet, is withdrawn."""
    programme = await uow.read_models.programme_without_baseline(envelope.payload.programme_id)
    await uow.read_models.baseline_recorded(envelope.payload.programme_id)
    if programme is not None:
        await uow.messages.withdraw(
            [baseline_alert_key(programme)], why="withdrawn: a baseline was recorded"
        )


async def approval_requested(
    envelope: Envelope[ApprovalRequestedV1],
    *,
    uow: NotificationsUnitOfWork,
    addressing: Addressing,
    now: datetime,
) -> None:
    event = envelope.payload
    if too_late_to_answer(event.approve_by, business_day(now)):  # applied late: it lapses
        return
    if not await uow.read_models.approval_awaited(event.order_id):  # approved or cancelled first
        return
    bought = "; ".join(event.titles)
    await send(
        uow,
        addressing,
        Draft(
            key=approval_key(event.order_id),
            recipient=Recipient.school(event.urn, SchoolContact.APPROVER),
            template="approval_requested",
            subject=f"An order of {format_pounds(event.gross_pence)} awaits your approval",
            body=(
                f"{event.school_name} ordered {bought} for {format_pounds(event.gross_pence)} "
                f"(including any VAT) on {long_date(event.placed_on)}{_why_approval(event)}. "
                "Nothing is charged or invoiced until you approve it; approve or decline it by "
                f"{long_date(event.approve_by)}, or it lapses and its places are released."
            ),
            link=addressing.link(f"/orders/{event.order_id}/approval"),
            cause_event_id=envelope.event_id,
        ),
        now=now,
    )


async def approval_answered(
    envelope: Envelope[OrderApprovedV1], *, uow: NotificationsUnitOfWork
) -> None:
    order_id = envelope.payload.order_id
    await uow.read_models.approval_answered(order_id)
    await uow.messages.withdraw([approval_key(order_id)], why="withdrawn: the order was approved")


def _why_approval(event: ApprovalRequestedV1) -> str:
    if event.reason is ApprovalReason.EVERY_ORDER:
        return "; your school asks for every order to be approved"
    if event.reason is ApprovalReason.SPENDING_LIMIT and event.spending_limit_pence is not None:
        limit = format_pounds(event.spending_limit_pence)
        return f", over the school's spending limit of {limit} (counted with VAT)"
    return ", and it needs your approval"  # an event from before it said why


# Beside the handlers, so that each event type is named once: the bus's EVENTS table.
EVENTS: Events = {
    PlacesUnavailableV1: places_unavailable,
    PlacesRefusedV1: places_refused,
    PlaceOfferedV1: place_offered,
    PlacesReservedV1: offer_closed,
    PlaceOfferAcceptedV1: offer_closed,
    PlaceOfferDeclinedV1: offer_given_back,
    PlaceOfferLapsedV1: offer_given_back,
    OrderPlacedV1: order_placed,
    OrderCancelledV1: order_cancelled,
    OrderPaidV1: order_paid,
    RefundIssuedV1: order_refunded,
    SessionCancelledV1: session_cancelled,
    WaitingListClosedV1: waiting_list_closed,
    InvoiceRaisedV1: invoice_raised,
    InvoiceSettledV1: invoice_settled,
    CreditNoteIssuedV1: invoice_credited,
    ProviderFlaggedV1: provider_flagged,
    SchoolContactChangedV1: contact_named,
    SchoolRegisteredV1: school_registered,
    WarningNoticeIssuedV1: warning_notice_issued,
    CaseMovedV1: case_moved,
    ApprovalRequestedV1: approval_requested,
    OrderApprovedV1: approval_answered,
    ProgrammeCreatedV1: programme_created,
    BaselineRecordedV1: baseline_recorded,
}
