from pathlib import Path

import pytest
from pydantic import ValidationError

from services import registry
from services.ledger.config import Settings as LedgerSettings
from services.notifications.config import Settings as NotificationsSettings
from services.orders.config import Settings as OrdersSettings
from shared.messaging.batches import DeliveryPolicy


def test_each_service_defaults_to_its_own_sqlite_file_and_port(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLATFORM_DATA_DIR", "/tmp/schools-platform")
    orders = OrdersSettings()
    assert orders.database_url == "sqlite+aiosqlite:////tmp/schools-platform/orders.db"
    assert orders.http_port == 8002
    assert LedgerSettings().http_port == 8005


def test_a_service_setting_overrides_the_platform_wide_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NATS_URL", "nats://cluster:4222")
    monkeypatch.setenv("LEDGER_NATS_URL", "nats://ledger-only:4222")
    assert OrdersSettings().nats_url == "nats://cluster:4222"
    assert LedgerSettings().nats_url == "nats://ledger-only:4222"


def test_production_refuses_the_development_key_and_sqlite(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "production")
    monkeypatch.setenv("ORDERS_DATABASE_URL", "postgresql+asyncpg://db/orders")
    monkeypatch.setenv("ORDERS_STRIPE_MODE", "stripe")
    monkeypatch.setenv("ORDERS_STRIPE_SECRET_KEY", "sk_live_from_the_vault")
    monkeypatch.setenv("ORDERS_STRIPE_WEBHOOK_SECRET", "whsec_from_the_vault")
    with pytest.raises(ValidationError, match="jwt_secret"):
        OrdersSettings()
    monkeypatch.setenv("PLATFORM_JWT_SECRET", "a-real-production-signing-key-0123456789")
    assert OrdersSettings().environment == "production"
    monkeypatch.delenv("ORDERS_DATABASE_URL")
    with pytest.raises(ValidationError, match="database_url"):
        OrdersSettings()


def test_delivery_settings_and_pool_sizes_come_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", "postgresql+asyncpg://db/ledger")
    monkeypatch.setenv("LEDGER_DATABASE_POOL_SIZE", "3")
    monkeypatch.setenv("LEDGER_CONSUMER_BATCH_SIZE", "64")
    monkeypatch.setenv("LEDGER_CONSUMER_MAX_DELIVERIES", "7")
    monkeypatch.setenv("LEDGER_CONSUMER_BACKOFF_SECONDS", "[2, 4]")
    ledger = registry.service("ledger")

    policies = {consumer.policy for consumer in ledger.consumers()}
    assert policies == {DeliveryPolicy(batch_size=64, max_deliveries=7, backoff_seconds=(2.0, 4.0))}
    assert ledger.engine.pool.size() == 3  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        # nats-py refuses a fetch of none, or one with no time to wait: every fetch would fail
        # and be retried for ever, the worker healthy and no event applied
        ("CONSUMER_BATCH_SIZE", "0"),
        ("CONSUMER_IDLE_FETCH_SECONDS", "0"),
        ("CONSUMER_MAX_DELIVERIES", "0"),  # parked before it was ever delivered
        ("CONSUMER_ACK_WAIT_SECONDS", "0"),
        ("CONSUMER_BACKOFF_SECONDS", "[]"),  # no delay to wait before a redelivery
        ("CONSUMER_BACKOFF_SECONDS", "[1, -5]"),
        ("CONSUMER_MAX_ACK_PENDING", "0"),
        ("OUTBOX_POLL_SECONDS", "0"),
        ("DATABASE_POOL_SIZE", "0"),
        ("DATABASE_MAX_OVERFLOW", "-1"),
        ("METRICS_PORT", "70000"),
    ],
)
def test_a_delivery_setting_no_consumer_or_relay_could_run_by_is_refused_by_name(
    variable: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(f"LEDGER_{variable}", value)
    with pytest.raises(ValidationError, match=variable.lower()):
        LedgerSettings()


def test_the_workers_metrics_port_is_its_apis_port_and_a_thousand(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert OrdersSettings().metrics_port == 9002
    monkeypatch.setenv("ORDERS_HTTP_PORT", "8102")
    assert OrdersSettings().metrics_port == 9102
    monkeypatch.setenv("ORDERS_METRICS_PORT", "9500")
    assert OrdersSettings().metrics_port == 9500
    monkeypatch.delenv("ORDERS_METRICS_PORT")
    monkeypatch.setenv("ORDERS_HTTP_PORT", "65000")
    with pytest.raises(ValidationError, match="metrics_port"):
        OrdersSettings()


def test_consumers_off_the_money_path_let_their_batches_gather(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("PLATFORM_DATA_DIR", str(tmp_path))
    gathering = {
        name: registry.service(name).settings.consumer_gather_seconds for name in registry.NAMES
    }
    assert gathering == {
        "catalogue": 0.2,
        "orders": 0.0,
        "commissioning": 0.0,
        "evaluation": 0.2,
        "ledger": 0.0,
        "notifications": 0.2,
    }
    monkeypatch.setenv("NOTIFICATIONS_CONSUMER_GATHER_SECONDS", "0")
    monkeypatch.setenv("LEDGER_CONSUMER_GATHER_SECONDS", "0.01")
    ledger = registry.service("ledger")
    assert {consumer.policy.gather_seconds for consumer in ledger.consumers()} == {0.01}
    assert registry.service("notifications").settings.consumer_gather_seconds == 0.0
    monkeypatch.setenv("LEDGER_CONSUMER_GATHER_SECONDS", "61")
    with pytest.raises(
        SystemExit, match=r"LEDGER_CONSUMER_GATHER_SECONDS: .* less than or equal to 60"
    ):
        registry.service("ledger")


def test_the_renewal_window_schools_are_told_is_the_one_orders_enforces(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PLATFORM_RENEWAL_OPENS_DAYS_BEFORE", "150")
    monkeypatch.setenv("PLATFORM_RENEWAL_CLOSES_DAYS_AFTER", "45")
    for settings in (OrdersSettings(), NotificationsSettings()):
        assert (settings.renewal_opens_days_before, settings.renewal_closes_days_after) == (150, 45)


def test_a_renewal_window_longer_than_a_year_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLATFORM_RENEWAL_CLOSES_DAYS_AFTER", "400")
    with pytest.raises(ValidationError, match="renewal_closes_days_after"):
        OrdersSettings()


def test_renewal_windows_of_two_years_may_not_overlap(monkeypatch: pytest.MonkeyPatch) -> None:
    """Opening 300 days before 1 September and closing 100 after, the 2027/28 window would
    open before the 2026/27 one closed."""
    monkeypatch.setenv("PLATFORM_RENEWAL_OPENS_DAYS_BEFORE", "300")
    monkeypatch.setenv("PLATFORM_RENEWAL_CLOSES_DAYS_AFTER", "100")
    for settings in (OrdersSettings, NotificationsSettings):
        with pytest.raises(ValidationError, match="renewal_opens_days_before \\+ renewal_clo"):
            settings()
    monkeypatch.setenv("PLATFORM_RENEWAL_CLOSES_DAYS_AFTER", "64")  # 364 days: one at a time
    assert OrdersSettings().renewal_closes_days_after == 64
