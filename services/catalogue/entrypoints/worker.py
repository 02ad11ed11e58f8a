"""Catalogue's subscriptions (the schools register, course places and the schools' answers to
offers, ratings and QA flags) and its jobs: calling off the sessions still under their minimum
at their decision date, and passing on the offered places not accepted in time."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial

from sqlalchemy.exc import IntegrityError

from services.catalogue.application import capacity, minimums, offers, providers, schools
from services.catalogue.application.unit_of_work import CatalogueUnitOfWork
from services.catalogue.config import Settings
from shared.clock import Clock
from shared.events import (
    Envelope,
    OrderCancelledV1,
    OrderPlacedV1,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    ProviderFlaggedV1,
    RatingRecordedV1,
    SchoolRegisteredV1,
)
from shared.messaging.consumer import Subscriptions, subscribe
from shared.scheduling import Job

log = logging.getLogger(__name__)


def subscriptions(
    settings: Settings,
) -> Callable[[Subscriptions, Callable[[], CatalogueUnitOfWork]], None]:
    async def on_order_cancelled(
        uow: CatalogueUnitOfWork, envelope: Envelope[OrderCancelledV1]
    ) -> None:
        await capacity.on_order_cancelled(
            uow, envelope, now=datetime.now(UTC), offer_hours=settings.place_offer_hours
        )

    async def on_offer_declined(
        uow: CatalogueUnitOfWork, envelope: Envelope[PlaceOfferDeclinedV1]
    ) -> None:
        await offers.on_offer_declined(
            uow, envelope, now=datetime.now(UTC), offer_hours=settings.place_offer_hours
        )

    def subscribe_all(subscriptions: Subscriptions, uow: Callable[[], CatalogueUnitOfWork]) -> None:
        on = partial(subscribe, subscriptions, consumer="catalogue", uow_factory=uow)
        on(event_type=SchoolRegisteredV1, apply=schools.on_school_registered)
        on(event_type=OrderPlacedV1, apply=capacity.on_order_placed)
        on(event_type=OrderCancelledV1, apply=on_order_cancelled)
        on(event_type=PlaceOfferAcceptedV1, apply=offers.on_offer_accepted)
        on(event_type=PlaceOfferDeclinedV1, apply=on_offer_declined)
        on(event_type=RatingRecordedV1, apply=providers.on_rating_recorded)
        on(event_type=ProviderFlaggedV1, apply=providers.on_provider_flagged)

    return subscribe_all


def jobs(
    settings: Settings, clock: Clock
) -> Callable[[Callable[[], CatalogueUnitOfWork]], tuple[Job, ...]]:
    def catalogue_jobs(uow: Callable[[], CatalogueUnitOfWork]) -> tuple[Job, ...]:
        async def call_off() -> None:
            try:
                await minimums.call_off_short_sessions(uow(), today=clock.today())
            except IntegrityError:  # another worker recorded the same cancellation first
                log.info("sessions already called off by another worker")

        async def lapse() -> None:
            try:
                await offers.lapse_expired_offers(
                    uow(), now=datetime.now(UTC), offer_hours=settings.place_offer_hours
                )
            except IntegrityError:  # another worker lapsed the same offers first
                log.info("offers already lapsed by another worker")

        return (
            Job("session-minimums", settings.session_decision_every_seconds, call_off),
            Job("offer-expiry", settings.offer_expiry_every_seconds, lapse),
        )

    return catalogue_jobs
