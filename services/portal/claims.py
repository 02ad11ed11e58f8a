"""Who a person signed in through the OpenID Connect provider is here: a role (and for a
school, its URN) from their ID token's claims, or else from the portal's own table of people."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from services.portal.users import User
from shared.auth import Role
from shared.limits import URNS


@dataclass(frozen=True)
class ClaimNames:
    role: str = "role"
    urn: str = "urn"


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
    found = _role_and_urn(claims.get(names.role), claims.get(names.urn))
    if found is None and table:
        entry = table.get(email) if isinstance(email, str) else None
        found = _from_table_entry(entry or table.get(subject, ""))
    if found is None:
        return None
    role, urn = found
    name = claims.get("name") or email or subject
    return User(subject, str(name), role, urn)


def _from_table_entry(entry: str) -> tuple[Role, int | None] | None:
    """ "la_officer", or "school:117083" for a school's staff."""
    role, _, urn = entry.partition(":")
    return _role_and_urn(role, urn or None)


def _role_and_urn(role: object, urn: object) -> tuple[Role, int | None] | None:
    try:
        known = Role(str(role))
    except ValueError:
        return None
    if known is not Role.SCHOOL:
        return known, None
    school = _urn(urn)
    return (known, school) if school is not None else None


def _urn(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str) and value.isdigit() and len(value) <= 6:
        value = int(value)
    return value if isinstance(value, int) and value in URNS else None
