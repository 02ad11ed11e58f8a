"""Bearer-token auth: who is asking (role, and a school's URN or a trust's code) and whether
they may."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt

from shared.errors import Forbidden


class Role(StrEnum):
    SCHOOL = "school"
    TRUST_BUYER = "trust_buyer"  # buys for any school of one academy trust
    SCHOOL_APPROVER = "school_approver"  # a school's headteacher or budget holder
    LA_OFFICER = "la_officer"
    FINANCE = "finance"
    CATALOGUE_ADMIN = "catalogue_admin"
    EVALUATOR = "evaluator"
    ADMIN = "admin"


ANY_ROLE = tuple(Role)
SCHOOL_ROLES = frozenset({Role.SCHOOL, Role.SCHOOL_APPROVER})
MAX_TRUST_CODE = 20  # characters of a trust's code (GIAS "Trusts (code)")


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    urn: int | None = None
    trust: str | None = None  # a trust buyer's trust (GIAS "Trusts (code)")

    @property
    def is_school(self) -> bool:
        """Someone of one school (its business manager or its approver): sees that school only."""
        return self.role in SCHOOL_ROLES

    @property
    def is_trust_buyer(self) -> bool:
        return self.role is Role.TRUST_BUYER

    def may_see_school(self, urn: int | None, *, trust: str | None = None) -> bool:
        """A school sees only itself; a trust buyer only the schools of its trust (`trust` is
        the school's, from the register); staff roles that reach a school's data see every
        school."""
        if self.is_trust_buyer:
            return trust is not None and trust == self.trust
        return not self.is_school or (urn is not None and self.urn == urn)


def check_reaches_school(
    user: Principal, urn: int, *, trust: str | None, refusal: str = "a school acts only for itself"
) -> None:
    """Refuse, naming the field, a user who may not act for this school (`trust`: the
    school's trust, from the register; a trust buyer is told the URN is not its trust's)."""
    if user.may_see_school(urn, trust=trust):
        return
    if user.is_trust_buyer:
        raise Forbidden(f"URN {urn} is not a school of your trust", field="urn")
    raise Forbidden(refusal, field="urn")


class InvalidToken(Exception):
    pass


SHARED_KEY_ALGORITHM = "HS256"
PROVIDER_ALGORITHMS = ["RS256", "ES256"]
# A token verified is known again by its text, without checking its signature anew, until it
# expires or for this long at most (as long as PyJWKClient keeps a provider's keys).
VERIFIED_TOKEN_SECONDS = 300
VERIFIED_TOKENS_KEPT = 1024


class TokenVerifier:
    """Checks a token's signature. The platform's own tokens (the portal's, once a person has
    signed in; orders' on a school's behalf when it renews a rolling subscription) are signed
    with the shared key; with `jwks_url`, a token an OIDC provider signed is checked against
    its published keys as well. Each key only with its own algorithms, so that the provider's
    public key can never pass as the shared one."""

    def __init__(self, *, secret: str, jwks_url: str | None = None) -> None:
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url) if jwks_url else None
        self._verified: dict[str, tuple[Principal, float]] = {}  # token -> who, until when

    def verify(self, token: str) -> Principal:
        """Who the token speaks for. Each request carries its caller's token: checking the
        same signature on every one of them showed in the order path, so a token verified
        is remembered (see VERIFIED_TOKEN_SECONDS)."""
        known = self._verified.pop(token, None)
        if known is None or time.time() >= known[1]:
            known = self._verified_now(token)
            if len(self._verified) >= VERIFIED_TOKENS_KEPT:
                del self._verified[next(iter(self._verified))]  # the least recently used
        self._verified[token] = known
        return known[0]

    def _verified_now(self, token: str) -> tuple[Principal, float]:
        """Who the token speaks for, and until when that may be remembered."""
        try:
            key: Any = self._secret
            algorithms = [SHARED_KEY_ALGORITHM]
            if self._jwks and jwt.get_unverified_header(token).get("alg") != SHARED_KEY_ALGORITHM:
                key = self._jwks.get_signing_key_from_jwt(token).key
                algorithms = PROVIDER_ALGORITHMS
            claims = jwt.decode(
                token, key, algorithms=algorithms, options={"require": ["sub", "exp", "role"]}
            )
            role = Role(claims["role"])
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(str(error)) from error
        urn = claims.get("urn")
        if role in SCHOOL_ROLES and not isinstance(urn, int):
            raise InvalidToken("a school token must carry the school's URN in 'urn'")
        trust = claims.get("trust")
        if role is Role.TRUST_BUYER and not (
            isinstance(trust, str) and 0 < len(trust) <= MAX_TRUST_CODE
        ):
            raise InvalidToken("a trust buyer's token must carry the trust's code in 'trust'")
        principal = Principal(
            subject=str(claims["sub"]),
            role=role,
            urn=urn,
            trust=trust if role is Role.TRUST_BUYER else None,
        )
        return principal, min(float(claims["exp"]), time.time() + VERIFIED_TOKEN_SECONDS)


def issue_token(
    *,
    secret: str,
    subject: str,
    role: Role,
    urn: int | None = None,
    trust: str | None = None,
    ttl_seconds: int = 86400,
) -> str:
    """A development token signed with the shared key (production tokens come from the IdP)."""
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": subject,
        "role": role.value,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if urn is not None:
        claims["urn"] = urn
    if trust is not None:
        claims["trust"] = trust
    return jwt.encode(claims, secret, algorithm="HS256")
