"""The organisation's OpenID Connect provider, through Authlib: the authorization code flow
with PKCE (S256), the state, nonce and code verifier kept in the session between the two
legs, and the ID token checked against the provider's published keys."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from authlib.integrations.starlette_client import OAuth, OAuthError
from starlette.requests import Request
from starlette.responses import RedirectResponse

from services.portal.config import Settings

__all__ = ["OAuthError", "OpenIdProvider", "provider_of"]

NAME = "provider"


class OpenIdProvider:
    def __init__(self, settings: Settings) -> None:
        oauth = OAuth()
        oauth.register(
            NAME,
            client_id=settings.oidc_client_id,
            client_secret=settings.oidc_client_secret or None,
            server_metadata_url=(
                f"{settings.oidc_issuer.rstrip('/')}/.well-known/openid-configuration"
            ),
            client_kwargs={"scope": settings.oidc_scopes, "code_challenge_method": "S256"},
        )
        self._client: Any = oauth.create_client(NAME)

    async def send_to_sign_in(self, request: Request, *, callback: str) -> RedirectResponse:
        redirect: RedirectResponse = await self._client.authorize_redirect(request, callback)
        return redirect

    async def claims_on_return(self, request: Request) -> Mapping[str, object]:
        """The verified ID token's claims; OAuthError if the person did not sign in, or the
        answer does not belong to the sign-in this session started."""
        token = await self._client.authorize_access_token(request)
        if "userinfo" not in token:
            raise OAuthError(error="no_id_token", description="the provider sent no ID token")
        claims: Mapping[str, object] = token["userinfo"]
        return claims


def provider_of(request: Request) -> OpenIdProvider | None:
    """Built on first use from the app's settings; None when no provider is configured."""
    state = request.app.state
    settings: Settings = state.settings
    if not settings.oidc_issuer:
        return None
    if getattr(state, "oidc", None) is None:
        state.oidc = OpenIdProvider(settings)
    provider: OpenIdProvider = state.oidc
    return provider
