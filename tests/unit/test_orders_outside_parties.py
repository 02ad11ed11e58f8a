"""Orders builds its outside parties (Stripe, and its HTTP client of the catalogue) once, for
its bus, and closes them when its API stops."""

from __future__ import annotations

from pathlib import Path

from services.orders import bootstrap
from services.orders.adapters.catalogue_client import CatalogueClient
from services.orders.config import Settings
from tests.support.nats_server import free_port


async def test_the_api_closes_its_client_of_the_catalogue_when_it_stops(tmp_path: Path) -> None:
    service = bootstrap.service(
        Settings(
            database_url=f"sqlite+aiosqlite:///{tmp_path / 'orders.db'}",
            nats_url=f"nats://127.0.0.1:{free_port()}",  # nothing listens: the relay waits
            environment="test",
        )
    )
    app = service.api()
    catalogue = service.parties["catalogue"]
    assert isinstance(catalogue, CatalogueClient)

    async with app.router.lifespan_context(app):
        assert not catalogue.client.is_closed

    assert catalogue.client.is_closed
    await service.engine.dispose()
