from __future__ import annotations

import os
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from tests.support.databases import DatabaseFactory, PostgresDatabases, postgres_url
from tests.support.nats_server import NatsServer
from tests.support.platform import Platform, start_platform

SPANS = InMemorySpanExporter()
_provider = TracerProvider()
_provider.add_span_processor(SimpleSpanProcessor(SPANS))
trace.set_tracer_provider(_provider)


@pytest.fixture(scope="session")
def nats_url() -> Iterator[str]:
    """NATS_URL if set; otherwise a NATS server of the suite's own on a free port."""
    if os.environ.get("NATS_URL"):
        yield os.environ["NATS_URL"]
        return
    server = NatsServer().start()
    yield server.url
    server.remove()


@pytest.fixture(scope="session")
def postgres() -> Iterator[PostgresDatabases | None]:
    admin_url = postgres_url()
    if admin_url is None:
        yield None
        return
    databases = PostgresDatabases(admin_url)
    yield databases
    databases.drop_all()


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request: pytest.FixtureRequest, postgres: PostgresDatabases | None) -> str:
    if request.param == "postgresql" and postgres is None:
        pytest.skip("no PostgreSQL answers (set TEST_POSTGRES_URL to run these on it)")
    return str(request.param)


@pytest.fixture
def databases(backend: str, tmp_path: Path, postgres: PostgresDatabases | None) -> DatabaseFactory:
    return DatabaseFactory(backend, tmp_path, postgres)


@pytest.fixture
def sqlite_databases(tmp_path: Path) -> DatabaseFactory:
    return DatabaseFactory("sqlite", tmp_path, None)


@pytest.fixture
async def platform(databases: DatabaseFactory, nats_url: str) -> AsyncIterator[Platform]:
    running = await start_platform(databases, nats_url)
    yield running
    await running.close()


@pytest.fixture
def spans() -> InMemorySpanExporter:
    SPANS.clear()
    return SPANS
