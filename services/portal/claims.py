"""Who a person signed in through the OpenID Connect provider is here: a role (and for a
school, its URN; for a trust buyer, its trust's code) from their ID token's claims, or else from
the portal's own table of people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.portal.users import User
from shared.auth import Role
from shared.limits import URNS

TRUST_CODE_LENGTH = 20  # as a token's trust claim (shared/auth.py)


@dataclass(frozen=True)
class ClaimNames:
    role: str = "role"
    urn: str = "urn"
    trust: str = "trust"


def user_from_claims(
    claims: Mapping[str, object],
    *,
    names: ClaimNames = ClaimNames(),
    table: Mapping[str, str] | None = None,
) -> User | None:
    """None when neither the claims nor the table give this person a role (or give a school
    user no school): they may not use the portal."""
    subject = str(claims["sub"])
    email = claims.get("email")
    found = _role_and_scope(
        claims.get(names.role), urn=claims.get(names.urn), trust=claims.get(names.trust)
    )
    if found is None and table:
        entry = table.get(email) if isinstance(email, str) else None
        found = _from_table_entry(entry or table.get(subject, ""))
    if found is None:
        return None
    role, urn, trust = found
    name = claims.get("name") or email or subject
    return User(subject, str(name), role, urn, trust)


def _from_table_entry(entry: str) -> Scope | None:
    """ "la_officer", "school:117083" for a school's staff, "trust_buyer:4209" for a trust's."""
    role, _, which = entry.partition(":")
    return _role_and_scope(role, urn=which or None, trust=which or None)


Scope = tuple[Role, int | None, str | None]  # the role, a school's URN, a trust buyer's trust


def _role_and_scope(role: object, *, urn: object, trust: object) -> Scope | None:
    try:
        known = Role(str(role))
    except ValueError:
        return None
    if known is Role.TRUST_BUYER:
        has_trust = isinstance(trust, str) and 0 < len(trust) <= TRUST_CODE_LENGTH
        return (known, None, str(trust)) if has_trust else None
    if known is not Role.SCHOOL:
        return known, None, None
    school = _urn(urn)
    return (known, school, None) if school is not None else None


def _urn(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 6:
        value = int(value)
    return value if isinstance(value, int) and value in URNS else None
