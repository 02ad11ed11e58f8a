"""A real OpenID Connect provider for the sign-in tests: oidc-provider-mock's server on a
thread of the test process, on a free port, with a person per role of ours. Its sign-in page
asks for a subject (`sub`) and signs that person in, with the claims given here."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TypedDict

from oidc_provider_mock import User, run_server_in_thread

CLIENT_ID = "schools-company-portal"
CLIENT_SECRET = "a-test-only-client-secret"

# People the provider knows: the claims our mapping reads (role, and a school's URN), or
# none, for a person whose role comes from the portal's own table.
PEOPLE = (
    User(
        sub="ann.officer",
        claims={"email": "ann@herts.example", "name": "Ann Officer", "role": "la_officer"},
    ),
    User(
        sub="bea.bursar",
        claims={
            "email": "bea@abbots.example",
            "name": "Bea Bursar",
            "role": "school",
            "urn": 117083,
        },
    ),
    User(sub="fin.table", claims={"email": "fin@herts.example", "name": "Fin Table"}),
    User(sub="no.role", claims={"email": "nobody@elsewhere.example", "name": "No Role"}),
)
TABLE = {"fin@herts.example": "finance"}


class ProviderSettings(TypedDict):
    """The portal's settings that point it at a provider."""

    oidc_issuer: str
    oidc_client_id: str
    oidc_client_secret: str
    oidc_users: dict[str, str]


@dataclass(frozen=True)
class Provider:
    issuer: str

    def portal_environment(self) -> dict[str, str]:
        """The same, as a portal process reads them."""
        return {
            f"PORTAL_{name.upper()}": json.dumps(value) if isinstance(value, dict) else str(value)
            for name, value in self.portal_settings().items()
        }

    def portal_settings(self) -> ProviderSettings:
        """The portal's settings (PORTAL_ environment, lower-cased) for this provider."""
        return {
            "oidc_issuer": self.issuer,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_users": TABLE,
        }


@contextmanager
def oidc_provider() -> Iterator[Provider]:
    with run_server_in_thread(user_claims=PEOPLE, require_nonce=True) as server:
        # The provider names itself after the host it is asked on: always ask for localhost.
        yield Provider(f"http://localhost:{server.server_port}")
