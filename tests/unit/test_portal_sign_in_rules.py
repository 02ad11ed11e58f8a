"""The pure rules of signing in: who a provider's person is here, and the CSRF token check."""

from __future__ import annotations

import pytest

from services.portal.claims import ClaimNames, user_from_claims
from services.portal.domain.csrf import genuine, new_token
from services.portal.users import User
from shared.auth import Role


def test_role_and_school_come_from_the_claims() -> None:
    claims = {"sub": "b1", "email": "bea@abbots.example", "name": "Bea", "role": "school"}
    assert user_from_claims({**claims, "urn": 117083}) == User("b1", "Bea", Role.SCHOOL, 117083)
    assert user_from_claims({**claims, "urn": "117083"}) == User("b1", "Bea", Role.SCHOOL, 117083)


def test_a_staff_role_carries_no_school_even_if_the_provider_sends_one() -> None:
    user = user_from_claims({"sub": "a1", "role": "finance", "urn": 117083})
    assert user == User("a1", "a1", Role.FINANCE, None)


@pytest.mark.parametrize(
    "urn",
    [
        None,
        99_999,
        1_000_000,
        "11708x",
        True,
        117083.0,
        "\u00b2",  # a digit to isdigit(), not to int()
        "\u0661\u0661\u0667\u0660\u0668\u0663",  # 117083 in Arabic-Indic digits
    ],
)
def test_a_school_role_without_a_real_urn_is_no_role_at_all(urn: object) -> None:
    assert user_from_claims({"sub": "b1", "role": "school", "urn": urn}) is None


def test_a_trust_buyer_comes_with_its_trust_from_the_claims_or_the_table() -> None:
    claims = {"sub": "t1", "name": "Tess", "role": "trust_buyer", "trust": "4209"}
    assert user_from_claims(claims) == User("t1", "Tess", Role.TRUST_BUYER, None, "4209")
    by_table = user_from_claims({"sub": "t2"}, table={"t2": "trust_buyer:DEMO-1"})
    assert by_table == User("t2", "t2", Role.TRUST_BUYER, None, "DEMO-1")


@pytest.mark.parametrize("trust", [None, "", 4209, "x" * 21])
def test_a_trust_buyer_without_a_trust_code_is_no_role_at_all(trust: object) -> None:
    assert user_from_claims({"sub": "t1", "role": "trust_buyer", "trust": trust}) is None


def test_the_claim_names_are_the_providers_own() -> None:
    names = ClaimNames(role="herts_role", urn="herts_school")
    claims = {"sub": "b1", "herts_role": "school", "herts_school": 136609, "role": "admin"}
    assert user_from_claims(claims, names=names) == User("b1", "b1", Role.SCHOOL, 136609)


def test_without_role_claims_the_portals_table_decides_by_email_then_subject() -> None:
    table = {"fin@herts.example": "finance", "b2": "school:117646", "x@y.example": "overlord"}
    by_email = user_from_claims({"sub": "f1", "email": "fin@herts.example"}, table=table)
    assert by_email == User("f1", "fin@herts.example", Role.FINANCE, None)
    by_subject = user_from_claims({"sub": "b2", "name": "Bo"}, table=table)
    assert by_subject == User("b2", "Bo", Role.SCHOOL, 117646)
    assert user_from_claims({"sub": "x", "email": "x@y.example"}, table=table) is None
    assert user_from_claims({"sub": "nobody"}, table=table) is None


def test_an_unknown_role_claim_falls_back_to_the_table() -> None:
    table = {"a@herts.example": "evaluator"}
    claims = {"sub": "a", "email": "a@herts.example", "role": "superuser"}
    assert user_from_claims(claims, table=table) == User("a", "a@herts.example", Role.EVALUATOR)


def test_only_the_sessions_own_token_is_genuine() -> None:
    token = new_token()
    assert genuine(token, token)
    assert not genuine(token, new_token())
    assert not genuine(token, token[:-1])
    assert not genuine(token, None) and not genuine(token, "")
    assert not genuine(None, token) and not genuine("", "")  # a session with no token yet


def test_tokens_are_unguessable_and_fresh_each_time() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(len(token) >= 43 for token in tokens)  # 32 random bytes
