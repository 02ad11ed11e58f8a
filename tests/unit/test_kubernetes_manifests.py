"""The Kubernetes manifests, checked offline: every file against the Kubernetes schemas of the
version we run on, the overlays rendered, and the habits every workload must keep."""

from __future__ import annotations

import re
import shutil
import subprocess
from importlib import import_module
from pathlib import Path
from typing import Any

import jsonschema
import kubernetes_validate
import pytest
import yaml

from services import registry
from tests.support.custom_resources import SCHEMAS
from tests.support.kustomize import (
    Manifest,
    load_documents,
    pod_containers,
    render,
    resource_files,
)

KUBERNETES_VERSION = "1.33.0"
KUBERNETES = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
BASE = KUBERNETES / "base"
OVERLAYS = {path.name: path for path in (KUBERNETES / "overlays").iterdir() if path.is_dir()}
MANIFEST_FILES = sorted({path for overlay in OVERLAYS.values() for path in resource_files(overlay)})
SECRET_NAMES = {"platform-secrets", "platform-db-app"}
VARIABLE = re.compile(r"\$\(([A-Z_][A-Z0-9_]*)\)")


def validate(manifest: Manifest) -> None:
    schema = SCHEMAS.get((manifest["apiVersion"], manifest["kind"]))
    if schema is not None:
        jsonschema.validate(manifest, schema)
    else:
        kubernetes_validate.validate(manifest, KUBERNETES_VERSION, strict=True)


def by_kind_and_name(manifests: list[Manifest]) -> dict[tuple[str, str], Manifest]:
    return {(m["kind"], m["metadata"]["name"]): m for m in manifests}


def workloads(manifests: list[Manifest]) -> list[Manifest]:
    return [m for m in manifests if pod_containers(m)]


@pytest.fixture(scope="module", params=sorted(OVERLAYS))
def rendered(request: pytest.FixtureRequest) -> list[Manifest]:
    return render(OVERLAYS[request.param])


def test_there_are_a_local_and_a_production_overlay() -> None:
    assert sorted(OVERLAYS) == ["local", "production"]


@pytest.mark.parametrize("path", MANIFEST_FILES, ids=lambda p: str(p.relative_to(KUBERNETES)))
def test_every_manifest_file_is_valid_for_our_kubernetes_version(path: Path) -> None:
    for manifest in load_documents(path):
        validate(manifest)


def test_every_rendered_manifest_is_valid(rendered: list[Manifest]) -> None:
    for manifest in rendered:
        validate(manifest)


def test_a_manifest_with_a_mistake_is_refused() -> None:
    deployment = by_kind_and_name(load_documents(BASE / "catalogue.yaml"))[
        ("Deployment", "catalogue-api")
    ]
    deployment["spec"]["template"]["spec"]["containers"][0]["readinessProbe"]["httpGet"]["paht"] = (
        "/readyz"
    )
    with pytest.raises(kubernetes_validate.ValidationError):
        validate(deployment)


@pytest.mark.skipif(shutil.which("kubectl") is None, reason="no kubectl to compare with")
@pytest.mark.parametrize("overlay", sorted(OVERLAYS))
def test_the_renderer_agrees_with_kustomize_itself(overlay: str) -> None:
    printed = subprocess.run(
        ["kubectl", "kustomize", str(OVERLAYS[overlay])],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    theirs = by_kind_and_name([m for m in yaml.safe_load_all(printed) if m])
    ours = by_kind_and_name(render(OVERLAYS[overlay]))
    assert sorted(ours) == sorted(theirs)
    for key, manifest in ours.items():
        assert manifest == theirs[key], key


@pytest.mark.parametrize("service", registry.NAMES)
def test_every_service_has_an_api_with_its_service_budget_and_autoscaler_and_a_worker(
    rendered: list[Manifest], service: str
) -> None:
    found = by_kind_and_name(rendered)
    api = found[("Deployment", f"{service}-api")]
    worker = found[("Deployment", f"{service}-worker")]
    assert pod_containers(api)[0]["args"] == ["schools-platform", "api", service]
    assert pod_containers(worker)[0]["args"] == ["schools-platform", "worker", service]
    port = import_module(f"services.{service}.config").Settings.default_port
    assert pod_containers(api)[0]["ports"] == [{"name": "http", "containerPort": port}]
    assert found[("Service", f"{service}-api")]["spec"]["ports"][0]["port"] == port
    assert (
        found[("HorizontalPodAutoscaler", f"{service}-api")]["spec"]["scaleTargetRef"]["name"]
        == f"{service}-api"
    )
    for name in (f"{service}-api", f"{service}-worker"):
        budget = found[("PodDisruptionBudget", name)]
        assert budget["spec"]["selector"]["matchLabels"] == {"app.kubernetes.io/name": name}


def test_every_long_running_container_has_a_probe_limits_and_runs_as_no_one_special(
    rendered: list[Manifest],
) -> None:
    for manifest in workloads(rendered):
        pod = manifest["spec"]["template"]["spec"]
        name = manifest["metadata"]["name"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        assert pod["securityContext"]["runAsUser"] > 0, name
        for container in pod_containers(manifest):
            if manifest["kind"] != "Job":  # a Job runs to its end: there is nothing to probe
                assert "livenessProbe" in container or "readinessProbe" in container, name
            assert {"cpu", "memory"} <= set(container["resources"]["limits"]), name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            security = container["securityContext"]
            assert security["readOnlyRootFilesystem"] is True, name
            assert security["allowPrivilegeEscalation"] is False, name
            assert security["capabilities"]["drop"] == ["ALL"], name


def test_apis_are_ready_on_readyz_and_alive_on_healthz(rendered: list[Manifest]) -> None:
    apis = [
        m
        for m in rendered
        if m["kind"] == "Deployment"
        and m["metadata"]["labels"].get("app.kubernetes.io/component") == "api"
    ]
    assert len(apis) == len(registry.NAMES) + 1  # and the portal
    for api in apis:
        container = pod_containers(api)[0]
        assert container["readinessProbe"]["httpGet"] == {"path": "/readyz", "port": "http"}
        assert container["livenessProbe"]["httpGet"] == {"path": "/healthz", "port": "http"}


def test_each_process_reads_only_its_own_database_and_the_migration_reads_all(
    rendered: list[Manifest],
) -> None:
    for manifest in workloads(rendered):
        for container in pod_containers(manifest):
            urls = {
                item["name"].removesuffix("_DATABASE_URL").lower(): item["value"]
                for item in container.get("env", [])
                if item["name"].endswith("_DATABASE_URL")
            }
            for service, url in urls.items():
                assert url.startswith("postgresql+asyncpg://") and url.endswith(f"/{service}")
            if manifest["kind"] == "Job":
                assert sorted(urls) == sorted(registry.NAMES)
            elif service := manifest["metadata"]["labels"].get("schools-platform/service"):
                assert list(urls) == ([] if service == "portal" else [service])


def test_every_variable_a_setting_refers_to_is_defined_before_it(rendered: list[Manifest]) -> None:
    config_maps = {m["metadata"]["name"]: m["data"] for m in rendered if m["kind"] == "ConfigMap"}
    for manifest in workloads(rendered):
        for container in pod_containers(manifest):
            defined = {
                key
                for source in container.get("envFrom", [])
                for key in config_maps[source["configMapRef"]["name"]]
            }
            for item in container.get("env", []):
                missing = set(VARIABLE.findall(item.get("value", ""))) - defined
                assert not missing, (
                    f"{manifest['metadata']['name']}: {item['name']} needs {missing}"
                )
                defined.add(item["name"])


def test_no_secret_is_kept_in_the_repository(rendered: list[Manifest]) -> None:
    assert not [m for m in rendered if m["kind"] == "Secret"]
    for manifest in workloads(rendered):
        for container in pod_containers(manifest):
            for item in container.get("env", []):
                if re.search(r"SECRET|PASSWORD|KEY", item["name"]):
                    reference = item["valueFrom"]["secretKeyRef"]
                    assert reference["name"] in SECRET_NAMES, item["name"]


def test_the_database_cluster_creates_every_service_database_where_the_settings_look(
    rendered: list[Manifest],
) -> None:
    found = by_kind_and_name(rendered)
    cluster = found[("Cluster", "platform-db")]
    statements = cluster["spec"]["bootstrap"]["initdb"]["postInitSQL"]
    created = [re.fullmatch(r"CREATE DATABASE (\w+) OWNER app;", s).group(1) for s in statements]  # type: ignore[union-attr]
    assert sorted(created) == sorted(registry.NAMES)
    # The operator keeps the owner's credentials in `<cluster>-app`, behind `<cluster>-rw`.
    assert found[("ConfigMap", "platform")]["data"]["DATABASE_HOST"] == "platform-db-rw"
    assert "platform-db-app" in SECRET_NAMES


def test_the_ingress_sends_pages_to_the_portal_and_stripe_webhooks_to_orders(
    rendered: list[Manifest],
) -> None:
    ingress = by_kind_and_name(rendered)[("Ingress", "portal")]
    paths = {
        path["path"]: path["backend"]["service"]["name"]
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    }
    assert paths == {"/": "portal", "/stripe/webhook": "orders-api"}


def test_every_service_port_a_service_names_is_a_port_of_its_pods(rendered: list[Manifest]) -> None:
    pods = {
        m["metadata"]["name"]: {p["name"] for c in pod_containers(m) for p in c.get("ports", [])}
        for m in workloads(rendered)
    }
    for service in (m for m in rendered if m["kind"] == "Service"):
        selected = service["spec"]["selector"]["app.kubernetes.io/name"]
        for port in service["spec"]["ports"]:
            assert port["targetPort"] in pods[selected], service["metadata"]["name"]


def test_the_overlays_differ_where_they_should() -> None:
    local = by_kind_and_name(render(OVERLAYS["local"]))
    production = by_kind_and_name(render(OVERLAYS["production"]))
    assert local[("Cluster", "platform-db")]["spec"]["instances"] == 1
    assert production[("Cluster", "platform-db")]["spec"]["instances"] == 3
    assert pod_containers(production[("Deployment", "orders-api")])[0]["image"].endswith(":0.1.0")
    assert production[("Ingress", "portal")]["spec"]["tls"]
    assert ("Deployment", "jaeger") in local and ("Deployment", "jaeger") not in production
    namespaces = {m["metadata"]["namespace"] for m in production.values()}
    assert namespaces == {"schools-platform"}


def test_nats_runs_as_a_three_node_jetstream_cluster_on_files() -> None:
    values: dict[str, Any] = yaml.safe_load((KUBERNETES / "nats" / "values.yaml").read_text())
    config = values["config"]
    assert config["cluster"] == {"enabled": True, "replicas": 3}
    assert config["jetstream"]["enabled"] is True
    assert config["jetstream"]["fileStore"]["enabled"] is True
    assert config["jetstream"]["fileStore"]["pvc"]["enabled"] is True
    assert config["jetstream"]["memoryStore"]["enabled"] is False
    platform = by_kind_and_name(load_documents(BASE / "platform-config.yaml"))
    settings = platform[("ConfigMap", "platform")]["data"]
    assert settings["PLATFORM_STREAM_REPLICAS"] == str(config["cluster"]["replicas"])
    assert settings["NATS_URL"] == "nats://nats:4222"  # the chart's Service for release `nats`
