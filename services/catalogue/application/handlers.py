"""What the catalogue's bus handles: the commands of its routes and jobs, and the events its
worker subscribes to (see shared/bus.py)."""

from __future__ import annotations

from services.catalogue.application import (
    capacity,
    importing,
    minimums,
    offers,
    providers,
    schools,
    services,
    trust_prices,
    waiting_lists,
)
from shared.bus import Commands, Events
from shared.events import (
    OrderCancelledV1,
    OrderPlacedV1,
    PlaceOfferAcceptedV1,
    PlaceOfferDeclinedV1,
    ProviderFlaggedV1,
    RatingRecordedV1,
    SchoolRegisteredV1,
)

COMMANDS: Commands = {
    services.CreateService: services.create_service,
    services.PublishService: services.publish_service,
    services.RetireService: services.retire_service,
    services.ReviseService: services.revise_service,
    services.RepriceService: services.reprice_service,
    importing.ImportCatalogue: importing.import_catalogue,
    providers.RegisterProvider: providers.register_provider,
    providers.SetQaStatus: providers.set_qa_status,
    capacity.ScheduleSession: capacity.schedule_session,
    trust_prices.SetTrustPriceList: trust_prices.set_trust_price_list,
    schools.RegisterSchools: schools.register_schools,
    minimums.CallOffShortSessions: minimums.call_off_short_sessions,
    offers.LapseExpiredOffers: offers.lapse_expired_offers,
    waiting_lists.CloseWaitingLists: waiting_lists.close_waiting_lists,
}

EVENTS: Events = {
    SchoolRegisteredV1: schools.on_school_registered,
    OrderPlacedV1: capacity.on_order_placed,
    OrderCancelledV1: capacity.on_order_cancelled,
    PlaceOfferAcceptedV1: offers.on_offer_accepted,
    PlaceOfferDeclinedV1: offers.on_offer_declined,
    RatingRecordedV1: providers.on_rating_recorded,
    ProviderFlaggedV1: providers.on_provider_flagged,
}
