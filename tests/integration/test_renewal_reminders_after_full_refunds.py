"""A subscription's order refunded in full bought nothing, as orders counts it: the renewal
reminders tell a school of what orders' Renew page offers it, no more and no less. Orders,
the catalogue and notifications run on their own databases with NATS JetStream, card payments
and refunds through localstripe, and the reminders go to a real SMTP server."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any
from uuid import uuid4

import pytest
from sqlalchemy import select

from services.notifications import mail_server
from services.notifications.adapters.tables import messaging as notifications_messaging
from services.notifications.adapters.tables import renewals_told
from services.notifications.application.handlers import EVENTS as NOTIFICATIONS_EVENTS
from services.notifications.application.reminders import SendDueReminders
from services.notifications.config import Settings as NotificationsSettings
from services.orders.adapters.tables import messaging as orders_messaging
from shared.events import (
    Envelope,
    InvoiceRaisedV1,
    OrderPaidV1,
    OrderPlacedV1,
    RefundIssuedV1,
)
from tests.integration.test_notifications import (
    ASHWELL,
    applied,
    apply_in_turn,
    notifications,
    reminders_on,
    subscription_invoiced,
    subscription_ordered,
)
from tests.support.notifications import QUIET_DAY, Notifications, smtp_server
from tests.support.orders_shop import FINANCE, SCHOOL, Shop, localstripe, shop
from tests.support.platform import ABBOTS_LANGLEY, eventually, settings_of

__all__ = ["localstripe", "notifications", "shop"]  # the fixtures

LAST_AUTUMN = date(2026, 10, 1)  # in 2026/27, renewed into 2027/28
WINDOW_OPENS = date(2027, 3, 2)  # 183 days before 1 September 2027
A_WEEK_BEFORE_IT_CLOSES = date(2027, 9, 24)
BUSINESS_MANAGER = "business_manager.117083@schools.example"


@pytest.fixture
async def told(shop: Shop, tmp_path: Path) -> AsyncIterator[Path]:
    """The platform's notifications worker, mailing the SMTP test server's folder; its day
    quiet until a test runs the reminders on a day of its own."""
    folder = tmp_path / "mail"
    notifications = shop.platform.services["notifications"]
    settings = settings_of(notifications, NotificationsSettings)
    settings.deliver_every_seconds = 0.05
    settings.portal_url = "http://portal.test"
    notifications.clock.set(QUIET_DAY)
    with smtp_server(folder) as smtp:
        settings.smtp_port = smtp.port
        await shop.platform.start_worker("notifications")
        yield folder


async def subscription(shop: Shop, title: str) -> dict[str, Any]:
    """A subscription sold by the academic year, with next year's prices set already."""
    service = await shop.service(title=title, service_type="subscription", category="Data")
    await shop.keep_prices_from(service["id"], "2027-09-01")
    return service


async def refunded_in_full(shop: Shop, order: dict[str, Any]) -> None:
    """Finance refunds everything paid, and Stripe makes the refund."""
    refund = await shop.orders.post(
        f"/orders/{order['id']}/refunds",
        json={"amount_pence": order["gross_pence"], "reason": "not wanted after all"},
        headers=FINANCE,
    )
    assert refund.status_code == 201, refund.text
    assert refund.json()["payment_status"] == "refunded"
    assert [found["status"] for found in await shop.refunds_settled(order["id"])] == ["done"]


async def all_applied(shop: Shop) -> bool:
    """Whether notifications applied every event orders recorded of the kinds it follows."""
    followed = {kind.subject for kind in NOTIFICATIONS_EVENTS}
    outbox = orders_messaging.outbox.c
    async with shop.platform.services["orders"].sessions() as session:
        sent = await session.execute(select(outbox.event_id, outbox.subject))
        wanted = {event_id for event_id, subject in sent if subject in followed}
    async with shop.platform.services["notifications"].unit_of_work() as uow:
        seen = set(await uow.session.scalars(select(notifications_messaging.inbox.c.event_id)))
    return wanted <= seen


async def renew_page_and_reminder(shop: Shop, day: date, folder: Path) -> tuple[set[str], set[str]]:
    """On the day: the services orders' Renew page offers Abbots Langley for 2027/28, and those
    the renewal reminder run that day tells its business manager of (once it is mailed)."""
    await eventually(lambda: all_applied(shop))
    shop.set_day(day)
    offer = await shop.orders.get(
        f"/renewals/{ABBOTS_LANGLEY}", params={"year": "2027/28"}, headers=SCHOOL
    )
    assert offer.status_code == 200, offer.text
    offered = {line["service_id"] for line in offer.json()["lines"]}
    notifications = shop.platform.services["notifications"]
    notifications.clock.set(day)  # its delivery's day too
    await notifications.bus.handle(SendDueReminders())
    async with notifications.unit_of_work() as uow:
        lines = await uow.session.execute(
            select(renewals_told.c.service_id).where(
                renewals_told.c.recipient == f"school:{ABBOTS_LANGLEY}:business_manager"
            )
        )
        reminded = {str(service_id) for (service_id,) in lines}
    if reminded:
        await eventually(lambda: mailed_to(folder, BUSINESS_MANAGER))
    return offered, reminded


async def mailed_to(folder: Path, address: str) -> bool:
    return any(message["To"] == address for message in mail_server.read_folder(folder))


async def test_a_subscription_refunded_in_full_last_year_is_not_reminded_of_as_one_to_renew(
    shop: Shop, told: Path
) -> None:
    """Orders' Renew page does not offer it: the order bought nothing."""
    shop.set_day(LAST_AUTUMN)
    refunded, kept = await subscription(shop, "Data support"), await subscription(shop, "HR")
    await refunded_in_full(shop, await shop.paid_by_card(refunded["id"], academic_year="2026/27"))
    await shop.buy(kept["id"], "invoice", academic_year="2026/27")

    offered, reminded = await renew_page_and_reminder(shop, WINDOW_OPENS, told)
    assert offered == reminded == {kept["id"]}


async def test_a_subscription_bought_for_next_year_and_refunded_in_full_is_reminded_of(
    shop: Shop, told: Path
) -> None:
    """Orders counts it as not bought for next year, and its Renew page offers it again."""
    shop.set_day(LAST_AUTUMN)
    service = await subscription(shop, "Data support")
    await shop.buy(service["id"], "invoice", academic_year="2026/27")
    shop.set_day(WINDOW_OPENS)
    await refunded_in_full(shop, await shop.paid_by_card(service["id"], academic_year="2027/28"))

    offered, reminded = await renew_page_and_reminder(shop, A_WEEK_BEFORE_IT_CLOSES, told)
    assert offered == reminded == {service["id"]}


def renewal_after_last_year(
    notifications: Notifications,
) -> tuple[Envelope[OrderPlacedV1], Envelope[InvoiceRaisedV1]]:
    """Ashwell's renewal for next year, ordered (to pay by card) on the notifications' day, 1
    February 2027; and its subscription invoiced last year."""
    notifications.service.clock.set(date(2027, 2, 1))
    renewing = subscription_ordered(ASHWELL, date(2027, 9, 1))
    return renewing, subscription_invoiced(ASHWELL, date(2026, 9, 1))


def card_refund(
    placed: Envelope[Any], *, in_full: bool, pence: int | None = None
) -> Envelope[RefundIssuedV1]:
    """Orders' refund of this order's card payment, saying whether it leaves the payment
    refunded in full (one from before it said so reads False): of the order's total, or of
    `pence` of it (all net, for short)."""
    order = placed.payload
    fields = {
        name: getattr(order, name) for name in RefundIssuedV1.model_fields if hasattr(order, name)
    }
    if pence is not None:
        fields |= {"net_pence": pence, "vat_pence": 0, "gross_pence": pence}
    return Envelope.of(
        RefundIssuedV1(
            **fields,
            refund_id=uuid4(),
            payment_reference="pi_refunded",
            refunded_on=date(2027, 2, 3),
            reason="not wanted after all",
            order_refunded_in_full=in_full,
        )
    )


def card_paid(placed: Envelope[OrderPlacedV1]) -> Envelope[OrderPaidV1]:
    """The card payment of the order's total."""
    order = placed.payload
    fields = {
        name: getattr(order, name) for name in OrderPaidV1.model_fields if hasattr(order, name)
    }
    return Envelope.of(
        OrderPaidV1(**fields, payment_reference="pi_refunded", paid_on=date(2027, 2, 1))
    )


def halves_refunded(placed: Envelope[OrderPlacedV1]) -> list[Envelope[RefundIssuedV1]]:
    """Two refunds from before refunds said whether they left the payment refunded in full:
    half of the order's total each, all of it together."""
    gross = placed.payload.gross_pence
    return [
        card_refund(placed, in_full=False, pence=pence)
        for pence in (gross // 2, gross - gross // 2)
    ]


@pytest.mark.parametrize("paid_at", [0, 1, 2], ids=["paid-first", "paid-between", "paid-last"])
async def test_refunds_from_before_they_said_so_that_give_back_all_that_was_paid_unrenew_it(
    notifications: Notifications, paid_at: int
) -> None:
    """Each read as a part refund, and the order renewed on: orders counts it as having bought
    nothing, and so do the reminders, whichever of the payment and the refunds comes first."""
    renewing, last_year = renewal_after_last_year(notifications)
    money: list[Envelope[Any]] = list(halves_refunded(renewing))
    money.insert(paid_at, card_paid(renewing))
    await apply_in_turn(notifications, last_year, renewing, *money)
    assert await reminders_on(notifications, WINDOW_OPENS) == 1


async def test_last_years_subscription_refunded_in_full_by_refunds_from_before_they_said_so(
    notifications: Notifications,
) -> None:
    """The school bought nothing last year, as orders counts it: not reminded to renew it."""
    bought = subscription_ordered(ASHWELL, date(2026, 9, 1))
    await apply_in_turn(notifications, bought, card_paid(bought), *halves_refunded(bought))
    assert await reminders_on(notifications, WINDOW_OPENS) == 0


async def test_a_part_refund_delivered_again_is_not_counted_twice(
    notifications: Notifications,
) -> None:
    """Half the payment refunded, its event delivered again and replayed: half is refunded."""
    renewing, last_year = renewal_after_last_year(notifications)
    half, _ = halves_refunded(renewing)
    await apply_in_turn(notifications, last_year, renewing, card_paid(renewing), half)
    await notifications.publish(half, msg_id="delivered again")
    await notifications.forget_applied()
    await apply_in_turn(notifications, half)
    assert await reminders_on(notifications, WINDOW_OPENS) == 0


async def test_a_full_refund_applied_before_the_order_it_refunds_still_unrenews_it(
    notifications: Notifications,
) -> None:
    """Each subject has its own consumer: the refund may be applied before the order is seen
    placed, paid or invoiced, and twice. A part refund leaves the order renewing."""
    renewing, last_year = renewal_after_last_year(notifications)
    part = card_refund(renewing, in_full=False)
    await apply_in_turn(notifications, last_year, part, renewing)
    assert await reminders_on(notifications, WINDOW_OPENS) == 0

    refund = card_refund(renewing, in_full=True)
    await apply_in_turn(notifications, refund)
    await notifications.publish(refund, msg_id="delivered again")
    await applied(notifications, refund)
    assert await reminders_on(notifications, WINDOW_OPENS) == 1


async def test_a_full_refund_applied_first_keeps_the_order_from_counting_when_it_arrives(
    notifications: Notifications,
) -> None:
    renewing, last_year = renewal_after_last_year(notifications)
    await apply_in_turn(notifications, last_year, card_refund(renewing, in_full=True), renewing)
    assert await reminders_on(notifications, WINDOW_OPENS) == 1
