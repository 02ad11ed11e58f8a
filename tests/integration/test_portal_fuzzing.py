"""Every form and every page address each role reaches in the portal, sent generated values: no
answer is a server error, no exception escapes, and every event the posts made reaches every
consumer (none refused by NATS, none parked by a consumer that could not apply it). The
portal runs against the real services, in this process; what some pages need (an order
delivered, a refund refused, a variation awaiting a second officer) is made first. A fixed
seed and a few examples per form keep it quick; bench/fuzz_portal.py runs the long version."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
import pytest_asyncio

from services.portal.users import DEMO_USERS
from tests.support.databases import DatabaseFactory
from tests.support.event_delivery import QUICK_TO_PARK
from tests.support.orders_shop import LocalStripe, localstripe
from tests.support.platform import Platform
from tests.support.portal_fuzzing import Tried, fuzz_user
from tests.support.portal_pages import seeded_platform

pytestmark = pytest.mark.asyncio(loop_scope="module")
__all__ = ["localstripe"]  # the session's localstripe process

EXAMPLES_PER_FORM = 3
SEED = 14
PAGES_PER_USER = 100
FIRST_USER_OF_EACH_ROLE = [
    user.id for user in DEMO_USERS if user == next(u for u in DEMO_USERS if u.role is user.role)
]


@pytest_asyncio.fixture(scope="module", loop_scope="module")
async def seeded(
    tmp_path_factory: pytest.TempPathFactory, nats_url: str, localstripe: LocalStripe
) -> AsyncIterator[Platform]:
    databases = DatabaseFactory("sqlite", tmp_path_factory.mktemp("portal-fuzzing"), None)
    async with seeded_platform(
        databases, nats_url, localstripe_url=localstripe.url, settings=QUICK_TO_PARK
    ) as platform:
        yield platform


@pytest.fixture(scope="module")
def tried() -> Tried:
    """A form that several roles reach is fuzzed once, by the first of them."""
    return Tried()


@pytest.mark.parametrize("user", FIRST_USER_OF_EACH_ROLE)
async def test_no_generated_form_or_address_gets_a_server_error_or_loses_an_event(
    seeded: Platform, localstripe: LocalStripe, tried: Tried, user: str
) -> None:
    failures, _ = await fuzz_user(
        seeded,
        user,
        localstripe=localstripe,
        examples=EXAMPLES_PER_FORM,
        seed=SEED,
        pages=PAGES_PER_USER,
        tried=tried,
    )
    assert not failures, "\n".join(str(failure) for failure in failures)
