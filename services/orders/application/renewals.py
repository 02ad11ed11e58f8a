"""The annual buy-back: a school renews last year's subscriptions at next year's prices in one
step, each priced as the shop sells it for that year (a subscription whose price list for the
year is not set yet waits, named, to be renewed once it is); the company sees who has and has
not renewed."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime
from operator import attrgetter
from uuid import UUID

from services.orders.application.bought import refuse_bought_already
from services.orders.application.checkout import (
    CHECKOUT_RACES,
    CheckedOut,
    Checkout,
    checkout,
    earlier_checkout,
)
from services.orders.application.ports import Catalogue, PaymentGateway, Quotes
from services.orders.application.trust_orders import (
    TrustPurchase,
    place_trust_order,
    trust_baskets,
)
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.config import Settings
from services.orders.domain.bought import AlreadyBought
from services.orders.domain.lines import OrderLine, Quote
from services.orders.domain.order import IdempotencyKeyTaken, Order, PaymentMethod
from services.orders.domain.parts import part_for, parts_for, school_of
from services.orders.domain.renewal import (
    Renewal,
    RenewalWindow,
    already_renewed,
    check_year,
    previous_year,
    renewal_of,
    renewed_by_its_trust,
    subscriptions_in,
)
from services.orders.domain.school import School
from shared.api.catalogue import NOT_YET_PRICED
from shared.bus import Command
from shared.clock import business_day
from shared.errors import Conflict, DomainError, Forbidden, Invalid, NotFound, Unavailable


@dataclass(frozen=True)
class RenewalOffer:
    urn: int
    year: str
    quotes: list[Quote]  # last year's subscriptions, priced for next year
    not_offered: list[str]  # last year's subscriptions the catalogue no longer sells
    renewed_by: UUID | None  # the order that renewed them, once renewed
    trust_bought: list[str]  # last year's subscriptions its trust bought for it (the trust renews)
    not_yet_priced: list[str]  # last year's subscriptions with no price list for the year yet
    already_bought: list[str]  # last year's a trust has bought for it for the year: not offered

    def lines(self) -> list[OrderLine]:
        """The renewal order's lines: what renewing charges, as its page says."""
        return [OrderLine.quoted(quote) for quote in self.quotes]


@dataclass(frozen=True)
class RenewalStatus:
    urn: int
    school_name: str
    last_year_net_pence: int
    last_year_gross_pence: int
    renewed_by: UUID | None


@dataclass(frozen=True)
class OfferRenewal(Command["RenewalOffer"]):
    """Last year's subscriptions priced for `year`: asking the catalogue, it goes by the bus."""

    urn: int
    year: str
    token: str  # the school's: the catalogue quotes the prices it would show them


async def offer_renewal(
    command: OfferRenewal, *, uow: OrdersUnitOfWork, catalogue: Catalogue
) -> RenewalOffer:
    quotes = catalogue.asked_by(command.token)
    return await renewal_offer(uow, command.urn, command.year, quotes=quotes)


async def renewal_offer(
    uow: OrdersUnitOfWork, urn: int, year: str, *, quotes: Quotes
) -> RenewalOffer:
    check_year(year)
    async with uow.first_look():  # nothing is held while the catalogue prices each line
        parts = await _parts_for_school(uow, urn)
    renewal = renewal_of(parts.itself, year, bought_for_it=parts.every)
    priced = await priced_for_the_year(quotes, urn, renewal.due, year)
    trust_bought = subscriptions_in(parts.its_trust, previous_year(year)).values()
    return RenewalOffer(
        urn,
        year,
        priced.quotes,
        priced.not_offered,
        renewal.renewed_by_own_order(None),
        [line.title for line in trust_bought],
        priced.not_yet_priced,
        renewal.bought_by_others(None),
    )


@dataclass(frozen=True)
class SchoolsParts:
    """The school's part of each order with a line for it, newest first, whoever placed it."""

    school: School
    every: list[Order]

    @property
    def itself(self) -> list[Order]:
        """Of those whose subscriptions it renews itself."""
        return [part for part in self.every if not renewed_by_its_trust(part, self.school)]

    @property
    def its_trust(self) -> list[Order]:
        """Of those whose subscriptions a trust it is still in renews for it."""
        return [part for part in self.every if renewed_by_its_trust(part, self.school)]


async def _parts_for_school(uow: OrdersUnitOfWork, urn: int) -> SchoolsParts:
    school = await uow.schools.get(urn)
    return SchoolsParts(school, parts_for(await uow.orders.find(involving=urn), urn))


def _trusts_renewal(orders: list[Order], school: School, year: str) -> Renewal:
    """Of the subscriptions its trust bought for the school, those still to renew for `year`
    (`orders`: any with a line for the school among them)."""
    parts = SchoolsParts(school, parts_for(orders, school.urn))
    return renewal_of(parts.its_trust, year, bought_for_it=parts.every)


@dataclass(frozen=True)
class Priced:
    """Last year's subscription lines as the catalogue prices them for the year renewed."""

    quotes: list[Quote]  # those sold for the year, at its price list
    not_offered: list[str]  # the titles of those the catalogue no longer sells for it
    not_yet_priced: list[str]  # and of those whose price list for the year is not set yet


async def priced_for_the_year(
    quotes: Quotes, urn: int, lines: Iterable[OrderLine], year: str
) -> Priced:
    """Each line quoted as bought for the academic `year`: the catalogue's quote for that year,
    the one the shop's view of that year and its basket take, so the renewal sells each at the
    price list set for the year (not, while that is still to be set, at this year's)."""
    priced = Priced([], [], [])
    for line in lines:
        try:
            priced.quotes.append(
                await quotes.quote(
                    service_id=line.service_id,
                    urn=urn,
                    quantity=line.quantity,
                    session_id=None,
                    academic_year=year,
                )
            )
        except (Unavailable, Forbidden):
            raise  # the catalogue out of reach, or the asker not allowed: not a line unsold
        except DomainError as refused:
            waits = refused.code == NOT_YET_PRICED
            (priced.not_yet_priced if waits else priced.not_offered).append(line.title)
    return priced


@dataclass(frozen=True)
class Renew(Command["CheckedOut"]):
    urn: int
    year: str
    payment_method: PaymentMethod
    purchase_order: str | None
    idempotency_key: str
    token: str  # the school's: the catalogue quotes next year's prices for it

    handled_again_on = CHECKOUT_RACES


async def renew(
    command: Renew,
    *,
    uow: OrdersUnitOfWork,
    catalogue: Catalogue,
    gateway: PaymentGateway,
    now: datetime,
    settings: Settings,
) -> CheckedOut:
    """Last year's subscriptions, priced now, checked out for `year`. What is read before the
    checkout is read apart from its transaction (the catalogue and Stripe are asked meanwhile),
    so once the checkout holds the school's lock, no other order may renew the year."""
    check_year(command.year)
    async with uow.first_look():
        earlier = await earlier_checkout(uow, command.urn, command.idempotency_key)
    if earlier is not None:
        return earlier  # `checkout.handle` asks Stripe for the payment it awaits
    window = RenewalWindow(settings.renewal_opens_days_before, settings.renewal_closes_days_after)
    window.check_open(command.year, business_day(now))
    quotes = catalogue.asked_by(command.token)
    offer = await renewal_offer(uow, command.urn, command.year, quotes=quotes)
    if offer.renewed_by is not None:
        raise already_renewed(command.year, offer.renewed_by)
    if not offer.quotes:
        raise nothing_to_renew(command.year, offer.not_yet_priced, offer.already_bought)
    renewing = Checkout(
        urn=command.urn,
        payment_method=command.payment_method,
        purchase_order=command.purchase_order,
        idempotency_key=command.idempotency_key,
        lines=offer.lines(),
    )
    with renewed_meanwhile(command.year):
        return await checkout(renewing, uow=uow, gateway=gateway, now=now, settings=settings)


@contextmanager
def renewed_meanwhile(year: str) -> Iterator[None]:
    """A renewal's subscription bought for the year by another order while the renewal was
    priced (found under the schools' locks) is the year renewed already."""
    try:
        yield
    except AlreadyBought as bought:
        raise already_renewed(year, bought.order_id) from None


@dataclass(frozen=True)
class SchoolToRenew:
    school: School
    quotes: list[Quote]  # what the trust bought for it last year, priced for next year
    not_offered: list[str]
    not_yet_priced: list[str]  # with no price list for next year yet: renewed once it has
    already_bought: list[str]  # bought for the year by the school itself or another trust


@dataclass(frozen=True)
class TrustRenewalOffer:
    trust_code: str
    trust_name: str
    year: str
    # the schools the trust bought subscriptions for last year with any of them left to renew,
    # or bought for the year by another
    schools: list[SchoolToRenew]
    renewed_by: UUID | None

    def lines(self) -> list[OrderLine]:
        """The trust's order's lines, each naming its school: what the renewal charges."""
        return [
            replace(OrderLine.quoted(quote), school_urn=found.school.urn)
            for found in self.schools
            for quote in found.quotes
        ]


@dataclass(frozen=True)
class OfferTrustRenewal(Command["TrustRenewalOffer"]):
    trust_code: str
    year: str
    token: str  # the trust buyer's: the catalogue quotes each school's price, the trust's off


async def offer_trust_renewal(
    command: OfferTrustRenewal, *, uow: OrdersUnitOfWork, catalogue: Catalogue
) -> TrustRenewalOffer:
    quotes = catalogue.asked_by(command.token)
    return await trust_renewal_offer(uow, command.trust_code, command.year, quotes=quotes)


async def trust_renewal_offer(
    uow: OrdersUnitOfWork, trust_code: str, year: str, *, quotes: Quotes
) -> TrustRenewalOffer:
    """The subscriptions the trust bought for its schools last year (not those a school bought
    itself: the school renews its own), priced for next year, school by school; not those
    bought for the year already (by the school itself, or another trust)."""
    check_year(year)
    async with uow.first_look():
        schools = await uow.schools.of_trust(trust_code)
        orders = await uow.orders.find(involving=[school.urn for school in schools])
    if not schools:
        raise NotFound(f"no school on the register is in trust {trust_code}", field="trust_code")
    renewals = {school.urn: _trusts_renewal(orders, school, year) for school in schools}
    found = []
    for school in schools:
        renewal = renewals[school.urn]
        bought = renewal.bought_by_others(trust_code)
        if renewal.due or bought:
            priced = await priced_for_the_year(quotes, school.urn, renewal.due, year)
            found.append(
                SchoolToRenew(
                    school, priced.quotes, priced.not_offered, priced.not_yet_priced, bought
                )
            )
    still_due = any(renewal.due for renewal in renewals.values())
    renewed = [renewal.renewed_by_own_order(trust_code) for renewal in renewals.values()]
    renewed_by = None if still_due else next((by for by in renewed if by), None)
    return TrustRenewalOffer(
        trust_code, schools[0].trust_name or trust_code, year, found, renewed_by
    )


@dataclass(frozen=True)
class RenewTrust(Command["Order"]):
    trust_code: str
    year: str
    purchase_order: str | None
    idempotency_key: str
    token: str  # the trust buyer's

    handled_again_on = (IdempotencyKeyTaken,)  # a racing retry won: it finds that order


async def renew_trust(
    command: RenewTrust,
    *,
    uow: OrdersUnitOfWork,
    catalogue: Catalogue,
    now: datetime,
    settings: Settings,
) -> Order:
    """What the trust bought for its schools last year, priced now, as the trust's order for
    `year` on one invoice to the trust. Same trust and key: the same order."""
    purchase = TrustPurchase(command.trust_code, command.purchase_order, command.idempotency_key)
    async with uow.first_look():
        earlier = await _trust_order_keyed(uow, purchase)
    if earlier is not None:
        return earlier
    window = RenewalWindow(settings.renewal_opens_days_before, settings.renewal_closes_days_after)
    window.check_open(command.year, business_day(now))
    offer = await trust_renewal_offer(
        uow, command.trust_code, command.year, quotes=catalogue.asked_by(command.token)
    )
    if offer.renewed_by is not None:
        raise already_renewed(command.year, offer.renewed_by)
    lines = offer.lines()
    if not lines:
        raise nothing_to_renew(
            command.year,
            _school_by_school(offer.schools, attrgetter("not_yet_priced")),
            _school_by_school(offer.schools, attrgetter("already_bought")),
        )
    # The trust's baskets are locked as its checkout locks them: a renewal or checkout of the
    # trust that committed while this one was priced is seen now.
    await trust_baskets(uow, command.trust_code)
    earlier = await _trust_order_keyed(uow, purchase)
    if earlier is not None:
        return earlier
    first = next(found.school for found in offer.schools if found.quotes)
    with renewed_meanwhile(command.year):
        await refuse_bought_already(uow, lines, urn=first.urn)
    return await place_trust_order(
        uow, purchase, first=first, lines=lines, now=now, settings=settings
    )


def _school_by_school(
    schools: list[SchoolToRenew], titles_of: Callable[[SchoolToRenew], list[str]]
) -> list[str]:
    return [f"{title} for {found.school.name}" for found in schools for title in titles_of(found)]


async def _trust_order_keyed(uow: OrdersUnitOfWork, purchase: TrustPurchase) -> Order | None:
    found = await uow.orders.find(
        trust_code=purchase.trust_code, idempotency_key=purchase.idempotency_key
    )
    return found[0] if found else None


def nothing_to_renew(
    year: str, not_yet_priced: list[str], already_bought: list[str]
) -> DomainError:
    """A renewal with no line priced for `year`: last year's subscriptions still to renew, if
    any, wait for their price lists for it, and are named; so are those already bought for it."""
    if not not_yet_priced and already_bought:
        return Conflict(
            f"nothing to renew for {year}: {', '.join(already_bought)} already bought for it",
            field="year",
        )
    if not not_yet_priced:
        return Invalid(f"no subscriptions to renew from {previous_year(year)}", field="year")
    one = len(not_yet_priced) == 1
    return Invalid(
        f"nothing to renew for {year} yet: {', '.join(not_yet_priced)} "
        f"{'has' if one else 'have'} no price for {year} yet; renew "
        f"{'it when its price is' if one else 'them when their prices are'} published",
        field="year",
    )


async def renewal_statuses(uow: OrdersUnitOfWork, year: str) -> list[RenewalStatus]:
    """Every school that subscribed last year, and whether it has renewed for `year`: each
    school by its own lines, those its trust bought for it included."""
    check_year(year)
    last_year = previous_year(year)
    by_school: dict[int, list[Order]] = {}
    for order in await uow.orders.find():
        for urn in {school_of(order, line) for line in order.lines}:
            by_school.setdefault(urn, []).append(part_for(order, urn))
    register = await uow.schools.all()
    found = []
    for urn, orders in sorted(by_school.items()):
        lines = subscriptions_in(orders, last_year)
        if lines:
            found.append(
                RenewalStatus(
                    urn=urn,
                    school_name=register[urn].name,
                    last_year_net_pence=sum(line.amounts.net for line in lines.values()),
                    last_year_gross_pence=sum(line.amounts.gross for line in lines.values()),
                    renewed_by=renewal_of(orders, year, bought_for_it=orders).renewed_by,
                )
            )
    return found
