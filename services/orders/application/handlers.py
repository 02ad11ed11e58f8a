"""What orders' bus handles: the commands of its routes and jobs, and the events its worker
subscribes to (see shared/bus.py)."""

from __future__ import annotations

from services.orders.application import (
    approvals,
    baskets,
    checkout,
    contacts,
    listings,
    payments,
    payments_to_cancel,
    places,
    renewals,
    rolling,
    schools,
    trust_orders,
)
from shared.bus import Commands, Events
from shared.events import (
    PlaceOfferedV1,
    PlaceOfferLapsedV1,
    PlacesRefusedV1,
    PlacesReservedV1,
    PlacesUnavailableV1,
    ServicePublishedV1,
    ServiceRetiredV1,
    ServiceUpdatedV1,
    SessionCancelledV1,
    WaitingListClosedV1,
)

COMMANDS: Commands = {
    schools.ImportSchools: schools.import_schools,
    baskets.AddLine: baskets.add_line,
    baskets.ChangeLine: baskets.change_line,
    baskets.RemoveLine: baskets.remove_line,
    checkout.Checkout: checkout.checkout,
    checkout.PlaceOrder: checkout.place_order,
    checkout.FetchPayment: checkout.fetch_payment,
    trust_orders.CheckoutTrust: trust_orders.checkout_trust,
    approvals.SetPolicy: approvals.set_policy,
    approvals.Decide: approvals.decide,
    approvals.LapseUnapproved: approvals.lapse_unapproved,
    payments.ApplyWebhook: payments.apply_webhook,
    payments.RecordRemittance: payments.record_remittance,
    payments.CancelOrder: payments.cancel_order,
    payments.RefundOrder: payments.refund_order,
    payments.FinishRefund: payments.finish_refund,
    payments.AskAgain: payments.ask_again,
    payments.RecordPaidByTransfer: payments.record_paid_by_transfer,
    payments.FulfilOrder: payments.fulfil_order,
    payments_to_cancel.CancelVoidedPayment: payments_to_cancel.cancel_voided_payment,
    places.AcceptOffer: places.accept_offer,
    places.DeclineOffer: places.decline_offer,
    renewals.OfferRenewal: renewals.offer_renewal,
    renewals.Renew: renewals.renew,
    renewals.OfferTrustRenewal: renewals.offer_trust_renewal,
    renewals.RenewTrust: renewals.renew_trust,
    rolling.RenewRolling: rolling.renew_rolling,
    rolling.EndRolling: rolling.end_rolling,
    rolling.CancelRolling: rolling.cancel_rolling,
    contacts.NameContact: contacts.name_contact,
}

EVENTS: Events = {
    ServicePublishedV1: listings.record_published_service,
    ServiceUpdatedV1: listings.record_published_service,
    ServiceRetiredV1: listings.delist_retired_service,
    PlacesReservedV1: places.on_places_reserved,
    PlacesUnavailableV1: places.on_places_unavailable,
    PlacesRefusedV1: places.on_places_refused,
    PlaceOfferedV1: places.on_place_offered,
    SessionCancelledV1: payments.on_session_cancelled,
    PlaceOfferLapsedV1: places.on_offer_lapsed,
    WaitingListClosedV1: places.on_waiting_list_closed,
}
