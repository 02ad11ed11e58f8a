"""Production tokens come from an OIDC provider: verified against its published JWKS."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from shared.auth import InvalidToken, Principal, Role, TokenVerifier, issue_token

PROVIDER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
STRANGER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
SHARED_KEY = "the-platforms-own-signing-key-for-the-tests"


@pytest.fixture(scope="module")
def jwks_url() -> Iterator[str]:
    public = json.loads(RSAAlgorithm.to_jwk(PROVIDER_KEY.public_key()))
    body = json.dumps({"keys": [{**public, "kid": "provider-1", "use": "sig", "alg": "RS256"}]})

    class Jwks(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(body.encode())

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Jwks)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/.well-known/jwks.json"
    server.shutdown()


def provider_token(key: rsa.RSAPrivateKey, **claims: object) -> str:
    now = int(time.time())
    body = {"sub": "oidc|finance-officer", "role": "finance", "iat": now, "exp": now + 60, **claims}
    return jwt.encode(body, key, algorithm="RS256", headers={"kid": "provider-1"})


def test_a_token_signed_by_the_identity_provider_is_accepted(jwks_url: str) -> None:
    verifier = TokenVerifier(secret="unused", jwks_url=jwks_url)
    principal = verifier.verify(provider_token(PROVIDER_KEY))
    assert principal == Principal("oidc|finance-officer", Role.FINANCE)


def test_a_token_signed_by_anyone_else_is_refused(jwks_url: str) -> None:
    verifier = TokenVerifier(secret="unused", jwks_url=jwks_url)
    with pytest.raises(InvalidToken):
        verifier.verify(provider_token(STRANGER_KEY))


def test_beside_the_providers_keys_the_platforms_own_tokens_are_accepted(jwks_url: str) -> None:
    """The portal, once a person has signed in with the provider, and orders, renewing a rolling
    subscription on a school's behalf, call the services with tokens signed with the shared key."""
    verifier = TokenVerifier(secret=SHARED_KEY, jwks_url=jwks_url)
    token = issue_token(secret=SHARED_KEY, subject="oidc|bm", role=Role.SCHOOL, urn=117083)
    assert verifier.verify(token) == Principal("oidc|bm", Role.SCHOOL, urn=117083)
    with pytest.raises(InvalidToken):
        verifier.verify(issue_token(secret="a guess", subject="oidc|bm", role=Role.ADMIN))
