"""Orders takes card payments from localstripe locally, and only from Stripe in production."""

import pytest
from pydantic import ValidationError

from services.orders.config import Settings

PRODUCTION = {
    "PLATFORM_ENVIRONMENT": "production",
    "PLATFORM_JWT_SECRET": "a-real-production-signing-key-0123456789",
    "ORDERS_DATABASE_URL": "postgresql+asyncpg://db/orders",
}


def test_locally_the_sdk_talks_to_localstripe_on_the_loopback_interface(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ORDERS_LOCALSTRIPE_PORT", "18420")
    monkeypatch.setenv("ORDERS_HTTP_PORT", "18002")
    settings = Settings()
    assert settings.stripe_api_base == "http://127.0.0.1:18420"
    assert settings.webhook_url == "http://127.0.0.1:18002/stripe/webhook"


def test_production_refuses_localstripe_and_the_development_keys(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name, value in PRODUCTION.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ValidationError, match="stripe_mode"):
        Settings()
    monkeypatch.setenv("ORDERS_STRIPE_MODE", "stripe")
    with pytest.raises(ValidationError, match="stripe_secret_key"):
        Settings()
    monkeypatch.setenv("ORDERS_STRIPE_SECRET_KEY", "sk_live_from_the_vault")
    with pytest.raises(ValidationError, match="stripe_webhook_secret"):
        Settings()
    monkeypatch.setenv("ORDERS_STRIPE_WEBHOOK_SECRET", "whsec_from_the_vault")
    settings = Settings()
    assert settings.stripe_api_base is None  # Stripe's own address, from the SDK
