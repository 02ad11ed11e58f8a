import time

import jwt
import pytest

from shared import auth
from shared.auth import InvalidToken, Principal, Role, TokenVerifier, issue_token

SECRET = "a-test-signing-key-of-enough-length-0123456789"


def test_a_school_token_carries_its_role_and_urn() -> None:
    token = issue_token(secret=SECRET, subject="sbm", role=Role.SCHOOL, urn=117083)
    assert TokenVerifier(secret=SECRET).verify(token) == Principal("sbm", Role.SCHOOL, 117083)


def test_a_token_signed_with_another_key_is_refused() -> None:
    token = issue_token(
        secret="another-key-entirely-0123456789abcdef", subject="x", role=Role.ADMIN
    )
    with pytest.raises(InvalidToken):
        TokenVerifier(secret=SECRET).verify(token)


def test_an_expired_token_is_refused() -> None:
    token = issue_token(secret=SECRET, subject="x", role=Role.FINANCE, ttl_seconds=-10)
    with pytest.raises(InvalidToken, match="expired"):
        TokenVerifier(secret=SECRET).verify(token)


def test_a_token_verified_before_is_still_refused_once_it_expires() -> None:
    verifier = TokenVerifier(secret=SECRET)
    expires = int(time.time()) + 1
    token = jwt.encode({"sub": "x", "role": "finance", "exp": expires}, SECRET, algorithm="HS256")
    assert verifier.verify(token) == verifier.verify(token) == Principal("x", Role.FINANCE)
    time.sleep(max(0.0, expires - time.time()) + 0.05)
    with pytest.raises(InvalidToken, match="expired"):
        verifier.verify(token)


def test_the_tokens_remembered_are_bounded(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(auth, "VERIFIED_TOKENS_KEPT", 3)
    verifier = TokenVerifier(secret=SECRET)
    for urn in range(117080, 117090):
        token = issue_token(secret=SECRET, subject="sbm", role=Role.SCHOOL, urn=urn)
        assert verifier.verify(token) == Principal("sbm", Role.SCHOOL, urn)
    assert len(verifier._verified) == 3


def test_a_school_token_without_a_urn_or_an_unknown_role_is_refused() -> None:
    no_urn = jwt.encode({"sub": "x", "role": "school", "exp": 2**31}, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken, match="URN"):
        TokenVerifier(secret=SECRET).verify(no_urn)
    odd = jwt.encode({"sub": "x", "role": "headteacher", "exp": 2**31}, SECRET, algorithm="HS256")
    with pytest.raises(InvalidToken):
        TokenVerifier(secret=SECRET).verify(odd)


def test_a_school_may_see_only_itself_and_staff_may_see_every_school() -> None:
    school = Principal("sbm", Role.SCHOOL, 117083)
    assert school.may_see_school(117083)
    assert not school.may_see_school(117084)
    assert Principal("fo", Role.FINANCE).may_see_school(117084)
