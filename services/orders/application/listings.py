"""Orders' read model of the catalogue: the services published, at their latest prices."""

from __future__ import annotations

from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.orders.domain.listing import Listing
from shared.events import Envelope, ServicePublishedV1, ServiceRetiredV1, ServiceUpdatedV1


async def record_published_service(
    envelope: Envelope[ServicePublishedV1] | Envelope[ServiceUpdatedV1], *, uow: OrdersUnitOfWork
) -> None:
    """A service published or updated (`ServiceUpdatedV1` carries the same full state); an
    older revision of it never replaces a newer one (`ListingRepository.put`)."""
    event = envelope.payload
    await uow.listings.put(
        Listing(
            service_id=event.service_id,
            code=event.code,
            title=event.title,
            service_type=event.service_type,
            category=event.category,
            unit_price_pence=event.unit_price_pence,
            vat_rate=event.vat_rate,
            price_version=event.price_version,
            revision=event.revision,
            academic_years=event.academic_years,
        )
    )


async def delist_retired_service(
    envelope: Envelope[ServiceRetiredV1], *, uow: OrdersUnitOfWork
) -> None:
    """The service is delisted for good: an update of it delivered after this changes nothing."""
    event = envelope.payload
    await uow.listings.retire(event.service_id, code=event.code, retired_on=event.retired_on)
