"""Academy trusts at their edges: the token of a trust buyer, what it may see, the register's
trust fields, the trust's price list and an order for the trust's schools."""

from __future__ import annotations

from datetime import date
from uuid import uuid4

import jwt
import pytest

from services.catalogue.domain.quote import Quote
from services.catalogue.domain.tariff import Priced
from services.catalogue.domain.trust_prices import TrustPriceList, trust_quote
from services.orders.adapters.register_csv import parse_register
from services.orders.domain.order import Order, PaymentMethod
from shared.auth import InvalidToken, Principal, Role, TokenVerifier, issue_token
from shared.clock import start_of
from shared.errors import Invalid
from shared.money import VatRate
from tests.unit.test_orders_lifecycle import SCHOOL, TODAY, order

SECRET = "a-test-signing-key-of-enough-length-0123456789"
GIAS_HEADER = (
    "URN,EstablishmentName,LA (code),LA (name),TypeOfEstablishment (name),"
    "EstablishmentTypeGroup (name),PhaseOfEducation (name),NumberOfPupils,Postcode,Town,"
    "EstablishmentStatus (name),Trusts (code),Trusts (name)"
)


def test_a_trust_buyer_s_token_carries_its_trust() -> None:
    token = issue_token(secret=SECRET, subject="cfo", role=Role.TRUST_BUYER, trust="4209")
    assert TokenVerifier(secret=SECRET).verify(token) == Principal(
        "cfo", Role.TRUST_BUYER, trust="4209"
    )


@pytest.mark.parametrize("trust", [None, "", 4209, "x" * 21])
def test_a_trust_buyer_s_token_without_a_trust_code_is_refused(trust: object) -> None:
    claims = {"sub": "x", "role": "trust_buyer", "exp": 2**31, "trust": trust}
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken, match="trust"):
        TokenVerifier(secret=SECRET).verify(token)


def test_a_trust_buyer_sees_the_schools_of_its_trust_and_no_other() -> None:
    buyer = Principal("cfo", Role.TRUST_BUYER, trust="4209")
    assert buyer.may_see_school(136609, trust="4209")
    assert not buyer.may_see_school(136609, trust="5000")
    assert not buyer.may_see_school(117083)  # a school in no trust
    assert not Principal("sbm", Role.SCHOOL, 136609).may_see_school(138205, trust="4209")


def test_the_register_reads_a_school_s_trust_from_the_gias_columns() -> None:
    rows = [
        "136609,Sandringham School,919,Hertfordshire,Academy converter,Academies,Secondary,"
        "1817,AL4 9NX,St Albans,Open,4209,Alban Learning Trust",
        "117083,Abbots Langley School,919,Hertfordshire,Community school,Local authority "
        "maintained schools,Primary,415,WD5 0BQ,Abbots Langley,Open,,",
    ]
    in_trust, alone = parse_register("\n".join([GIAS_HEADER, *rows]))
    assert (in_trust.trust_code, in_trust.trust_name) == ("4209", "Alban Learning Trust")
    assert (alone.trust_code, alone.trust_name) == (None, None)


def quoted(unit_pence: int, quantity: int = 1) -> Quote:
    return Quote(
        service_id=uuid4(),
        price_version=1,
        urn=136609,
        quantity=quantity,
        unit_price_pence=unit_pence,
        net_pence=unit_pence * quantity,
        vat_pence=unit_pence * quantity // 5,
        gross_pence=unit_pence * quantity * 6 // 5,
        vat_rate=VatRate.STANDARD,
        rule="£650.00 for everyone",
        half_days=False,
        title="Governance review",
        category="Governance",
        cfr_code="E28a",
        service_type="consultancy",
        provider_id=None,
        session_id=None,
        starts_on=date(2026, 9, 1),
        price_year="2026/27",
    )


def test_a_trust_discount_comes_off_the_tariff_price_to_the_penny_and_says_so() -> None:
    prices = TrustPriceList("4209", "Alban Learning Trust", 7)
    found = trust_quote(quoted(65_005, quantity=3), prices)
    # £650.05 less 7% = £604.5465 → £604.55 a unit; VAT on £1,813.65 rounds half-up
    assert (found.unit_price_pence, found.net_pence, found.vat_pence) == (60_455, 181_365, 36_273)
    assert found.rule == "£650.00 for everyone; less 7% on Alban Learning Trust's price list"
    assert prices.applied_to(Priced(65_005, "r")).unit_pence == 60_455


def test_no_price_list_or_no_discount_leaves_the_quote_as_the_tariff_gave_it() -> None:
    original = quoted(65_000)
    assert trust_quote(original, None) == original
    assert trust_quote(original, TrustPriceList("4209", "Trust", 0)) == original


@pytest.mark.parametrize("percent", [-1, 100])
def test_a_trust_discount_outside_0_to_99_percent_is_refused(percent: int) -> None:
    with pytest.raises(Invalid) as refused:
        TrustPriceList("4209", "Trust", percent)
    assert refused.value.field == "discount_percent"


def test_a_trust_s_order_is_paid_by_invoice_only() -> None:
    lines = order().lines
    with pytest.raises(Invalid) as refused:
        Order.place(
            school=SCHOOL,
            lines=lines,
            payment_method=PaymentMethod.CARD,
            purchase_order=None,
            now=start_of(TODAY),
            trust_code="4209",
        )
    assert refused.value.field == "payment_method"
