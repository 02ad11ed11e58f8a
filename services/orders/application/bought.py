"""What a school has bought already: a subscription bought for a school for an academic year,
by the school itself or by any trust for it, is not sold to anyone for that school and year
again — not added to a basket, not checked out — as the buy-back does not renew it twice (see
`domain.bought`). More of anything else may be bought at any time."""

from __future__ import annotations

from collections.abc import Collection
from uuid import UUID

from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.bought import AlreadyBought, already_bought, year_bought_for
from services.orders.domain.lines import OrderLine
from services.orders.domain.order import Order
from services.orders.domain.parts import parts_for


async def bought_for(
    uow: OrdersUnitOfWork, urns: Collection[int], *, services: Collection[UUID] | None = None
) -> dict[int, list[Order]]:
    """Each school's part of every order with a line for it (of one of `services`, if given),
    newest first, whoever placed it."""
    orders = await uow.orders.find(involving=urns, buying=services)
    return {urn: parts_for(orders, urn) for urn in urns}


async def refuse_bought_already(
    uow: OrdersUnitOfWork, lines: list[OrderLine], *, urn: int, field: str | None = None
) -> None:
    """Refuses the first of `lines` (each for its school: the one a trust's line names, else
    `urn`) that would buy a subscription already bought for that school for its year, naming
    it `lines.<n>.service_id` (or `field`). The caller holds the schools' locks (as their
    baskets are read for a change), so no purchase for them commits meanwhile."""
    subscriptions = [(n, line) for n, line in enumerate(lines) if year_bought_for(line)]
    if not subscriptions:
        return  # nothing to read
    bought = await bought_for(
        uow,
        {line.school_urn or urn for _, line in subscriptions},
        services={line.service_id for _, line in subscriptions},
    )
    for index, line in subscriptions:
        school = line.school_urn or urn
        order = already_bought(line, bought[school])
        if order is not None:
            raise AlreadyBought(
                line,
                order,
                school=(await uow.schools.get(school)).name,
                field=field or f"lines.{index}.service_id",
            )
