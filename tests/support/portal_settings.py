"""Groups of the portal's settings that tests pass together, as typed dicts: `Settings(**group)`
is then checked field by field, as a call with the keywords written out would be."""

from __future__ import annotations

from typing import TypedDict, cast

from services.portal.config import APIS


class ApiUrls(TypedDict):
    """Where the portal calls each service's HTTP API (one field per name in APIS)."""

    catalogue_url: str
    orders_url: str
    commissioning_url: str
    evaluation_url: str
    ledger_url: str
    notifications_url: str


class SigningKeys(TypedDict):
    """The keys production will not start without: its own in place of the development ones."""

    jwt_secret: str
    session_secret: str


def api_urls(url: str = "http://api") -> ApiUrls:
    """Every service's API at the one address."""
    # Built from APIS, so that a service added there is set here too: its keys are known only
    # when this runs.
    return cast(ApiUrls, {f"{name}_url": url for name in APIS})
