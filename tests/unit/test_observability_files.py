"""The telemetry plumbing in the deployment files: the OpenTelemetry Collector that compose and
Kubernetes share, the Prometheus scrape configuration and alerts, and the Grafana dashboard —
each expression checked against the metrics the platform really exposes (no promtool here)."""

from __future__ import annotations

import json
import re
from importlib import import_module
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from prometheus_client.metrics import MetricWrapperBase

from services import registry
from shared import metrics
from tests.support.custom_resources import PROMETHEUS_RULE, RULE_GROUPS, SERVICE_MONITOR
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


# --- metrics, alerts and the dashboard -------------------------------------------------------

PROMETHEUS = REPOSITORY / "deploy" / "prometheus"
DASHBOARD = REPOSITORY / "deploy" / "grafana" / "dashboards" / "money-path.json"
SUFFIXES = {
    "counter": ("_total", "_created"),
    "gauge": ("",),
    "histogram": ("_bucket", "_count", "_sum", "_created"),
}
TARGET_LABELS = {"job", "instance"}  # added by Prometheus to every series it scrapes
PROMQL_WORDS = {
    "sum", "max", "min", "avg", "count", "by", "without", "on", "ignoring", "and", "or",
    "unless", "offset", "rate", "increase", "deriv", "delta", "absent", "histogram_quantile",
    "group_left", "group_right", "bool",
}  # fmt: skip
SELECTOR = re.compile(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{([^}]*)\}")


def exposed() -> dict[str, set[str]]:
    """Every series name the platform's processes expose, with its label names."""
    names: dict[str, set[str]] = {"up": set()}
    for value in vars(metrics).values():
        if isinstance(value, MetricWrapperBase):
            labels = set(value._labelnames)
            for family in value.describe():
                for suffix in SUFFIXES[family.type]:
                    names[family.name + suffix] = labels | (
                        {"le"} if suffix == "_bucket" else set()
                    )
    return names


def metric_names(expression: str) -> set[str]:
    """The metric names a PromQL expression reads (labels, durations and functions set aside)."""
    bare = re.sub(r'"[^"]*"', "", expression)
    bare = re.sub(r"\{[^}]*\}|\[[^\]]*\]", " ", bare)
    bare = re.sub(r"\b(by|without|on|ignoring)\s*\([^)]*\)", " ", bare)
    bare = re.sub(r"\b\d+(\.\d+)?[smhdwy]?\b", " ", bare)  # numbers and durations
    return set(re.findall(r"[a-zA-Z_:][a-zA-Z0-9_:]*", bare)) - PROMQL_WORDS


def assert_reads_only_what_exists(expression: str) -> None:
    known = exposed()
    names = metric_names(expression)
    assert names, expression
    assert names <= set(known), f"{expression} reads {names - set(known)}"
    for name, matchers in SELECTOR.findall(expression):
        used = set(re.findall(r"([a-zA-Z_][a-zA-Z0-9_]*)\s*(?:=~|!~|!=|=)", matchers))
        assert used <= known[name] | TARGET_LABELS, f"{name} has no label {used - known[name]}"


def alert_rules() -> dict[str, Any]:
    rules: dict[str, Any] = yaml.safe_load((PROMETHEUS / "alerts.yml").read_text())
    return rules


def test_the_alert_rules_have_the_shape_prometheus_reads() -> None:
    jsonschema.validate(alert_rules(), RULE_GROUPS)


def test_the_alerts_cover_outbox_lag_parked_events_errors_and_workers() -> None:
    rules = {rule["alert"]: rule for group in alert_rules()["groups"] for rule in group["rules"]}
    assert {
        "OutboxNotDraining",
        "ConsumerFallingBehind",
        "EventParked",
        "HttpErrorRateHigh",
        "WorkerDown",
    } <= set(rules)
    assert rules["OutboxNotDraining"]["expr"].endswith("> 60")
    assert rules["ConsumerFallingBehind"]["for"] == "5m"
    assert "> 0.01" in rules["HttpErrorRateHigh"]["expr"]
    assert 'job="worker"' in rules["WorkerDown"]["expr"]


def test_every_alert_reads_only_metrics_the_platform_exposes() -> None:
    for group in alert_rules()["groups"]:
        for rule in group["rules"]:
            assert_reads_only_what_exists(rule["expr"])


def test_the_checker_notices_a_misspelt_metric_or_label() -> None:
    with pytest.raises(AssertionError):
        assert_reads_only_what_exists("max(outbox_oldest_age_seconds) > 60")
    with pytest.raises(AssertionError):
        assert_reads_only_what_exists('sum(rate(http_requests_total{code="500"}[5m]))')


def test_kubernetes_carries_the_same_alerts() -> None:
    [rule] = load_documents(BASE / "prometheus-rules.yaml")
    jsonschema.validate(rule, PROMETHEUS_RULE)
    assert rule["spec"] == alert_rules()


def test_prometheus_scrapes_every_api_the_portal_and_every_worker_in_compose() -> None:
    config = yaml.safe_load((PROMETHEUS / "prometheus.yml").read_text())
    assert config["rule_files"] == ["/etc/prometheus/alerts.yml"]
    targets = {
        job["job_name"]: {t for static in job["static_configs"] for t in static["targets"]}
        for job in config["scrape_configs"]
    }
    services = compose()
    expected_apis = {"portal:8000"}
    expected_workers = set()
    for name in registry.NAMES:
        settings = import_module(f"services.{name}.config").Settings()
        expected_apis.add(f"{name}-api:{settings.default_port}")
        worker = services[f"{name}-worker"]
        port = worker["environment"][f"{name.upper()}_METRICS_PORT"]
        assert worker["environment"][f"{name.upper()}_HTTP_HOST"] == "0.0.0.0"
        assert int(port) == settings.metrics_port  # the default, named in compose as well
        expected_workers.add(f"{name}-worker:{port}")
    assert targets == {"api": expected_apis, "worker": expected_workers}
    volumes = services["prometheus"]["volumes"]
    assert "./deploy/prometheus/alerts.yml:/etc/prometheus/alerts.yml:ro" in volumes


def test_kubernetes_scrapes_apis_and_workers_under_the_job_names_the_alerts_use() -> None:
    monitors = load_documents(BASE / "service-monitors.yaml")
    jobs = set()
    for monitor in monitors:
        jsonschema.validate(monitor, SERVICE_MONITOR)
        label = monitor["spec"]["jobLabel"]
        jobs.add(monitor["spec"]["selector"]["matchLabels"][label])
    assert jobs == {"api", "worker"}


def test_the_money_path_dashboard_reads_only_metrics_the_platform_exposes() -> None:
    dashboard = json.loads(DASHBOARD.read_text())
    assert dashboard["uid"] and dashboard["title"]
    panels = dashboard["panels"]
    assert len({panel["id"] for panel in panels}) == len(panels)
    read = set()
    for panel in panels:
        assert panel["targets"], panel["title"]
        for target in panel["targets"]:
            assert_reads_only_what_exists(target["expr"])
            read |= metric_names(target["expr"])
    # The money path, end to end: orders' events, the outbox, the consumers, the ledger.
    assert {
        "events_published_total",
        "outbox_oldest_waiting_age_seconds",
        "jetstream_consumer_pending_messages",
        "ledger_postings_total",
        "http_request_duration_seconds_bucket",
    } <= read


def test_grafana_in_compose_loads_the_dashboard_from_prometheus() -> None:
    grafana = compose()["grafana"]
    assert "./deploy/grafana/dashboards:/var/lib/grafana/dashboards:ro" in grafana["volumes"]
    provider = yaml.safe_load(
        (REPOSITORY / "deploy/grafana/provisioning/dashboards/dashboards.yml").read_text()
    )
    assert provider["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"
    source = yaml.safe_load(
        (REPOSITORY / "deploy/grafana/provisioning/datasources/prometheus.yml").read_text()
    )
    assert source["datasources"][0]["url"] == "http://prometheus:9090"
