"""The portal's settings (env prefix PORTAL_): where it listens, how it signs its session
cookie, and where each service's HTTP API answers."""

from __future__ import annotations

from importlib import import_module
from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import SettingsConfigDict

from shared.settings import DEVELOPMENT_JWT_SECRET, PlatformSettings
from shared.telemetry import Exporter

DEVELOPMENT_SESSION_SECRET = "development-only-session-secret-change-me"

APIS = ("catalogue", "orders", "commissioning", "evaluation", "ledger", "notifications")


class Settings(PlatformSettings):
    """Unlike the other services the portal has no database and no NATS: it owns only sessions."""

    model_config = SettingsConfigDict(env_prefix="PORTAL_", extra="ignore")

    environment: Literal["development", "test", "production"] = "development"
    http_host: str = "127.0.0.1"
    http_port: int = 8000
    # The platform's token key: the portal mints each signed-in user's bearer token with it.
    jwt_secret: str = DEVELOPMENT_JWT_SECRET
    session_secret: str = DEVELOPMENT_SESSION_SECRET
    # A session ends this long after signing in, however busy it has been.
    session_max_age_seconds: int = Field(default=8 * 3600, ge=60, le=7 * 24 * 3600)
    # The session cookie goes over HTTPS only: on unless set, except off production (plain
    # http://127.0.0.1 local runs). HSTS likewise: on in production unless set.
    session_cookie_secure: bool | None = None
    hsts: bool | None = None
    sign_in_requests_per_minute: int = Field(default=30, ge=1, le=10_000)
    # Signing in through the organisation's OpenID Connect provider (blank issuer: not offered).
    oidc_issuer: str = ""
    oidc_client_id: str = ""
    oidc_client_secret: str = ""
    oidc_scopes: str = "openid profile email"
    # Blank: the portal's /sign-in/callback at the address the browser used.
    oidc_redirect_url: str = ""
    # Where a person's role and school come from: these claims of the provider's ID token, or
    # failing that this table kept by the portal (email or subject → "role" or "school:URN").
    oidc_role_claim: str = "role"
    oidc_urn_claim: str = "urn"
    oidc_users: dict[str, str] = {}
    api_timeout_seconds: float = 10.0
    # How long /readyz waits for the APIs' /healthz, all asked at once, before it names those
    # that have not answered: within the readiness probe's own timeout (3 s).
    readiness_timeout_seconds: float = Field(default=2.0, gt=0, le=60)
    otel_exporter: Exporter = "none"  # PLATFORM_OTEL_EXPORTER, as for every service
    # Blank means "where that service's own settings say it listens" (e.g. ORDERS_HTTP_PORT).
    catalogue_url: str = ""
    orders_url: str = ""
    commissioning_url: str = ""
    evaluation_url: str = ""
    ledger_url: str = ""
    notifications_url: str = ""
    # Local and test runs only: localstripe's address, where the portal confirms a card payment
    # on the server (Stripe's Payment Element needs real Stripe). Blank: where the orders
    # service's localstripe listens when its stripe_mode is local.
    localstripe_url: str = ""
    # Signing in as a demo user, with no password: on unless in production, where it lets
    # anyone be anyone; PORTAL_DEMO_SIGN_IN=true turns it on there for a demonstration.
    demo_sign_in: bool | None = None

    @model_validator(mode="after")
    def _fill_defaults_and_refuse_unsafe(self) -> Settings:
        for name in APIS:
            if not getattr(self, f"{name}_url"):
                setattr(self, f"{name}_url", _where_it_listens(name))
        if not self.localstripe_url and self.environment != "production":
            self.localstripe_url = _orders_localstripe()
        production = self.environment == "production"
        if self.demo_sign_in is None:
            self.demo_sign_in = not production
        for name in ("session_cookie_secure", "hsts"):  # on in production, unless set
            if getattr(self, name) is None:
                setattr(self, name, production)
        if self.oidc_issuer and not self.oidc_client_id:
            raise ValueError("oidc_client_id: the provider knows the portal by a client id")
        if self.environment == "production":
            if self.localstripe_url:
                raise ValueError("localstripe_url: production takes card payments through Stripe")
            if self.jwt_secret == DEVELOPMENT_JWT_SECRET:
                raise ValueError("jwt_secret: set the platform's real signing key in production")
            if self.session_secret == DEVELOPMENT_SESSION_SECRET:
                raise ValueError("session_secret: set a real session key in production")
        return self

    def api_url(self, name: str) -> str:
        return str(getattr(self, f"{name}_url"))


def _where_it_listens(name: str) -> str:
    own = import_module(f"services.{name}.config").Settings()
    return f"http://{own.http_host}:{own.http_port}"


def _orders_localstripe() -> str:
    from services.orders.config import Settings as OrdersSettings

    return OrdersSettings().stripe_api_base or ""
