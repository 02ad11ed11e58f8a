"""The telemetry plumbing in the deployment files: the OpenTelemetry Collector that compose and
Kubernetes share, and where each process is told to send its spans."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tests.support.kustomize import load_documents

REPOSITORY = Path(__file__).resolve().parents[2]
BASE = REPOSITORY / "deploy" / "kubernetes" / "base"
COLLECTOR_CONFIG = BASE / "otel-collector-config.yaml"


def compose() -> dict[str, Any]:
    services: dict[str, Any] = yaml.safe_load((REPOSITORY / "docker-compose.yml").read_text())[
        "services"
    ]
    return services


def test_the_collector_receives_otlp_and_sends_traces_on_through_declared_parts() -> None:
    config = yaml.safe_load(COLLECTOR_CONFIG.read_text())
    assert config["receivers"]["otlp"]["protocols"]["http"]["endpoint"].endswith(":4318")
    traces = config["service"]["pipelines"]["traces"]
    for part in ("receivers", "processors", "exporters"):
        assert traces[part] and set(traces[part]) <= set(config[part]), part
    assert config["exporters"]["otlp"]["endpoint"] == "${env:TRACES_ENDPOINT}"
    assert set(config["service"]["extensions"]) <= set(config["extensions"])


def test_compose_sends_every_platform_process_s_spans_to_the_collector_and_on_to_jaeger() -> None:
    services = compose()
    platform = [c for c in services.values() if c.get("command", [])[:1] == ["schools-platform"]]
    assert platform
    for container in platform:
        environment = container["environment"]
        assert environment["PLATFORM_OTEL_EXPORTER"] == "otlp"
        assert environment["OTEL_EXPORTER_OTLP_ENDPOINT"] == "http://otel-collector:4318"
    collector = services["otel-collector"]
    assert collector["volumes"] == [
        f"./{COLLECTOR_CONFIG.relative_to(REPOSITORY)}:/etc/otelcol/config.yaml:ro"
    ]
    assert collector["environment"]["TRACES_ENDPOINT"] == "jaeger:4317"
    assert "16686:16686" in services["jaeger"]["ports"]


def test_kubernetes_sends_spans_to_the_collector_service() -> None:
    [settings] = load_documents(BASE / "platform-config.yaml")
    assert settings["data"]["PLATFORM_OTEL_EXPORTER"] == "otlp"
    service = next(
        m for m in load_documents(BASE / "otel-collector.yaml") if m["kind"] == "Service"
    )
    port = next(p["port"] for p in service["spec"]["ports"] if p["name"] == "otlp-http")
    endpoint = f"http://{service['metadata']['name']}:{port}"
    assert settings["data"]["OTEL_EXPORTER_OTLP_ENDPOINT"] == endpoint
