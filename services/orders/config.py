from typing import Literal

from pydantic import Field, model_validator

from shared.settings import RenewalWindowSettings, service_settings_config
from shared.supplier import InvoicingSettings

LOCAL_STRIPE_KEY = "sk_test_localstripe"
LOCAL_WEBHOOK_SECRET = "whsec_localstripe_development_only"


class Settings(InvoicingSettings, RenewalWindowSettings):
    service_name = "orders"
    default_port = 8002
    model_config = service_settings_config(service_name)

    catalogue_url: str = "http://127.0.0.1:8001"
    # local: the SDK talks to localstripe on 127.0.0.1 (started by `schools-platform up` and the tests);
    # stripe: to Stripe itself, with the keys below
    stripe_mode: Literal["local", "stripe"] = "local"
    stripe_secret_key: str = LOCAL_STRIPE_KEY
    stripe_webhook_secret: str = LOCAL_WEBHOOK_SECRET
    localstripe_port: int = 8420
    # How long one request to Stripe may take before it is given up (the SDK's own default is
    # 80 s, tried three times): a request that asks Stripe waits that long, though it holds no
    # row meanwhile (a card refund is asked once its transaction has committed).
    stripe_timeout_seconds: float = Field(default=10.0, gt=0, le=80)
    # Stripe's webhook, per sending address: Stripe sends from a handful of addresses, so this
    # bounds a flood of forged posts (each costs a signature check) without slowing real ones.
    webhook_requests_per_minute: int = Field(default=600, ge=1, le=100_000)
    rolling_renewal_every_seconds: float = 3600.0  # how often the worker renews rolling services
    approval_lapse_every_seconds: float = 3600.0  # how often the worker lapses late approvals
    # A card refund still asked of Stripe this long after it was recorded (Stripe was out of
    # reach, the process stopped, or an event's change recorded it) is asked again by the worker,
    # which looks for such refunds (and for card payments still to cancel) this often.
    refund_asked_again_after_seconds: float = Field(default=5.0, ge=0, le=3600)
    refund_retry_every_seconds: float = Field(default=10.0, gt=0, le=3600)
    # Stripe forgets an idempotency key 24 hours after its first use, and would then make a
    # refund asked again under it anew: a refund still asked this long after it was asked (under
    # its present key) is first looked for among the payment's refunds at Stripe by its id.
    refund_key_kept_seconds: float = Field(default=23 * 3600, gt=0, le=24 * 3600)

    @property
    def stripe_api_base(self) -> str | None:
        return f"http://127.0.0.1:{self.localstripe_port}" if self.stripe_mode == "local" else None

    @property
    def webhook_url(self) -> str:
        return f"http://{self.http_host}:{self.http_port}/stripe/webhook"

    @model_validator(mode="after")
    def _real_stripe_in_production(self) -> "Settings":
        if self.environment == "production":
            if self.stripe_mode != "stripe":
                raise ValueError("stripe_mode: production takes card payments through Stripe")
            if self.stripe_secret_key == LOCAL_STRIPE_KEY:
                raise ValueError("stripe_secret_key: set the Stripe secret key in production")
            if self.stripe_webhook_secret == LOCAL_WEBHOOK_SECRET:
                raise ValueError("stripe_webhook_secret: set the webhook signing secret")
        return self
