"""The deployment files, checked offline: there is no Docker engine on the dev machines."""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import import_module
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.engine import make_url

from services import registry

REPOSITORY = Path(__file__).resolve().parents[2]
COMPOSE_FILE = REPOSITORY / "docker-compose.yml"
INIT_SCRIPT = REPOSITORY / "deploy" / "postgres" / "init-databases.sql"
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"
# The event services: each has its own database (and migrations); the portal has neither.
SERVICES = sorted(path.parent.name for path in (REPOSITORY / "services").glob("*/migrations"))


def load_yaml(path: Path) -> Any:
    try:
        import yaml
    except ImportError:  # check-jsonschema brings ruamel.yaml, PyYAML comes with uvicorn[standard]
        from ruamel.yaml import YAML

        return YAML(typ="safe").load(path)
    return yaml.safe_load(path.read_text())


@pytest.fixture(scope="module")
def containers() -> dict[str, dict[str, Any]]:
    return dict(load_yaml(COMPOSE_FILE)["services"])


def environment(container: dict[str, Any]) -> dict[str, str]:
    variables = container.get("environment") or {}
    if isinstance(variables, list):
        variables = dict(item.split("=", 1) for item in variables)
    return {name: str(value) for name, value in variables.items()}


def database_urls(container: dict[str, Any]) -> dict[str, str]:
    """Each `<SERVICE>_DATABASE_URL` the container is given, by service name."""
    return {
        name.removesuffix("_DATABASE_URL").lower(): url
        for name, url in environment(container).items()
        if name.endswith("_DATABASE_URL")
    }


def test_every_service_package_is_a_registered_service() -> None:
    assert sorted(registry.NAMES) == SERVICES


def test_compose_file_matches_the_compose_specification() -> None:
    result = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.compose-spec", str(COMPOSE_FILE)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("service", SERVICES)
def test_every_service_has_an_api_and_a_worker_container(
    containers: dict[str, dict[str, Any]], service: str
) -> None:
    assert containers[f"{service}-api"]["command"] == ["schools-platform", "api", service]
    assert containers[f"{service}-worker"]["command"] == ["schools-platform", "worker", service]


@pytest.mark.parametrize("service", SERVICES)
def test_each_api_and_worker_reads_only_its_own_postgresql_database(
    containers: dict[str, dict[str, Any]], service: str
) -> None:
    for role in ("api", "worker"):
        urls = database_urls(containers[f"{service}-{role}"])
        assert list(urls) == [service], f"{service}-{role} is given {sorted(urls)}"
        url = make_url(urls[service])
        assert (url.drivername, url.host, url.database) == (
            "postgresql+asyncpg",
            "postgres",
            service,
        )


def test_every_database_url_in_the_compose_file_names_its_own_service(
    containers: dict[str, dict[str, Any]],
) -> None:
    for name, container in containers.items():
        for service, url in database_urls(container).items():
            assert make_url(url).database == service, f"{name}: {service} reads {url}"


def test_migrate_runs_once_against_every_service_database(
    containers: dict[str, dict[str, Any]],
) -> None:
    migrate = containers["migrate"]
    assert migrate["command"] == ["schools-platform", "migrate"]
    assert sorted(database_urls(migrate)) == SERVICES
    assert migrate["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_the_init_script_creates_one_database_per_service() -> None:
    created = re.findall(r"^CREATE DATABASE (\w+);", INIT_SCRIPT.read_text(), re.MULTILINE)
    assert sorted(created) == SERVICES


@pytest.mark.parametrize("service", SERVICES)
def test_each_api_publishes_its_default_port_and_is_checked_for_readiness(
    containers: dict[str, dict[str, Any]], service: str
) -> None:
    api = containers[f"{service}-api"]
    port = import_module(f"services.{service}.config").Settings.default_port
    variables = environment(api)
    assert variables[f"{service.upper()}_HTTP_HOST"] == "0.0.0.0"
    assert variables[f"{service.upper()}_HTTP_PORT"] == str(port)
    assert api["ports"] == [f"{port}:{port}"]
    assert f"http://127.0.0.1:{port}/readyz" in " ".join(api["healthcheck"]["test"])


@pytest.mark.parametrize("role", ["api", "worker"])
@pytest.mark.parametrize("service", SERVICES)
def test_services_start_after_migrations_against_healthy_postgresql_and_the_nats_cluster(
    containers: dict[str, dict[str, Any]], service: str, role: str
) -> None:
    depends_on = containers[f"{service}-{role}"]["depends_on"]
    assert depends_on["postgres"]["condition"] == "service_healthy"
    assert depends_on["migrate"]["condition"] == "service_completed_successfully"
    assert {"nats-1", "nats-2", "nats-3"} <= set(depends_on)


def test_every_platform_container_runs_in_production_with_a_required_signing_key(
    containers: dict[str, dict[str, Any]],
) -> None:
    platform = {
        name: c
        for name, c in containers.items()
        if c.get("command", [])[:1] == ["schools-platform"]
    }
    assert len(platform) == 2 * len(SERVICES) + 2  # + migrate and the portal
    for name, container in platform.items():
        variables = environment(container)
        assert variables["PLATFORM_ENVIRONMENT"] == "production", name
        assert variables["PLATFORM_JWT_SECRET"].startswith("${PLATFORM_JWT_SECRET:?"), name
        if name == "portal":
            continue  # it speaks only HTTP
        seeds = variables["NATS_URL"].split(",")
        assert seeds == [f"nats://nats-{node}:4222" for node in (1, 2, 3)], name
        assert variables["PLATFORM_STREAM_REPLICAS"] == "3", name


def test_nats_runs_as_a_three_node_jetstream_cluster_each_with_its_own_volume(
    containers: dict[str, dict[str, Any]],
) -> None:
    nodes = {name: c for name, c in containers.items() if c.get("image") == "nats:2.10"}
    assert sorted(nodes) == ["nats-1", "nats-2", "nats-3"]
    volumes: set[str] = set()
    for name, node in nodes.items():
        command = node["command"]
        assert "-js" in command
        assert f"--server_name={name}" in command
        assert "--routes=nats://nats-1:6222,nats://nats-2:6222,nats://nats-3:6222" in command
        volumes.update(volume.split(":")[0] for volume in node["volumes"])
    assert volumes == {"nats-1-data", "nats-2-data", "nats-3-data"}


def test_the_portal_calls_each_api_on_the_compose_network_once_they_are_healthy(
    containers: dict[str, dict[str, Any]],
) -> None:
    portal = containers["portal"]
    variables = environment(portal)
    assert portal["command"] == ["schools-platform", "portal"]
    assert not database_urls(portal)
    assert variables["PORTAL_SESSION_SECRET"].startswith("${PORTAL_SESSION_SECRET:?")
    for service in SERVICES:
        port = import_module(f"services.{service}.config").Settings.default_port
        assert variables[f"PORTAL_{service.upper()}_URL"] == f"http://{service}-api:{port}"
        assert portal["depends_on"][f"{service}-api"]["condition"] == "service_healthy"
    assert portal["ports"] == ["8000:8000"]
    assert "http://127.0.0.1:8000/readyz" in " ".join(portal["healthcheck"]["test"])
