"""Bearer-token auth: who is asking (role, and a school's URN) and whether they may."""

from __future__ import annotations

import time
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import jwt


class Role(StrEnum):
    SCHOOL = "school"
    SCHOOL_APPROVER = "school_approver"  # a school's headteacher or budget holder
    LA_OFFICER = "la_officer"
    FINANCE = "finance"
    CATALOGUE_ADMIN = "catalogue_admin"
    EVALUATOR = "evaluator"
    ADMIN = "admin"


ANY_ROLE = tuple(Role)
SCHOOL_ROLES = frozenset({Role.SCHOOL, Role.SCHOOL_APPROVER})


@dataclass(frozen=True)
class Principal:
    subject: str
    role: Role
    urn: int | None = None

    @property
    def is_school(self) -> bool:
        """Someone of one school (its business manager or its approver): sees that school only."""
        return self.role in SCHOOL_ROLES

    def may_see_school(self, urn: int | None) -> bool:
        """A school sees only itself; staff roles that reach a school's data see every school."""
        return not self.is_school or (urn is not None and self.urn == urn)


class InvalidToken(Exception):
    pass


ALGORITHMS = ["HS256", "RS256", "ES256"]


class TokenVerifier:
    """Checks a token's signature with a shared key, or with an OIDC provider's JWKS."""

    def __init__(self, *, secret: str, jwks_url: str | None = None) -> None:
        self._secret = secret
        self._jwks = jwt.PyJWKClient(jwks_url) if jwks_url else None

    def verify(self, token: str) -> Principal:
        try:
            key: Any = (
                self._jwks.get_signing_key_from_jwt(token).key if self._jwks else self._secret
            )
            claims = jwt.decode(
                token, key, algorithms=ALGORITHMS, options={"require": ["sub", "exp", "role"]}
            )
            role = Role(claims["role"])
        except (jwt.PyJWTError, ValueError) as error:
            raise InvalidToken(str(error)) from error
        urn = claims.get("urn")
        if role in SCHOOL_ROLES and not isinstance(urn, int):
            raise InvalidToken("a school token must carry the school's URN in 'urn'")
        return Principal(subject=str(claims["sub"]), role=role, urn=urn)


def issue_token(
    *, secret: str, subject: str, role: Role, urn: int | None = None, ttl_seconds: int = 86400
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
    return jwt.encode(claims, secret, algorithm="HS256")
