"""Cross-site request forgery: each session holds a random token that only the portal's own
pages know (a hidden field in every form); a post that does not send it back was not made
from one of them."""

from __future__ import annotations

import hmac
import secrets

FIELD = "csrf_token"


def new_token() -> str:
    return secrets.token_urlsafe(32)


def genuine(expected: str | None, sent: str | None) -> bool:
    """The token sent is the session's own (compared in constant time); no token is no match."""
    if not expected or not sent:
        return False
    return hmac.compare_digest(expected.encode(), sent.encode())
