"""A small Kustomize renderer: enough of it for deploy/kubernetes (resources, namespace, images,
replicas, and patches — strategic-merge or JSON 6902 — chosen by kind and name), so that the
overlays are rendered and checked in the suite without a `kustomize` binary."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import yaml

Manifest = dict[str, Any]

# Kinds that live outside any namespace: `namespace:` leaves them alone.
CLUSTER_SCOPED = {"Namespace", "ClusterRole", "ClusterRoleBinding", "CustomResourceDefinition"}


def render(directory: Path) -> list[Manifest]:
    """The manifests a `kustomize build directory` would print, in the order of its resources."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    manifests: list[Manifest] = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        if path.is_dir():
            manifests.extend(render(path))
        else:
            manifests.extend(load_documents(path))
    manifests.extend(_generated_config_maps(kustomization, directory))
    for patch in kustomization.get("patches", []):
        _apply_patch(manifests, patch, directory)
    for change in kustomization.get("replicas", []):
        for manifest in _named(manifests, change["name"]):
            manifest["spec"]["replicas"] = change["count"]
    for image in kustomization.get("images", []):
        for container in _containers(manifests):
            if _image_name(container["image"]) == image["name"]:
                name = image.get("newName", image["name"])
                container["image"] = f"{name}:{image['newTag']}" if "newTag" in image else name
    if "namespace" in kustomization:
        for manifest in manifests:
            if manifest["kind"] not in CLUSTER_SCOPED:
                manifest["metadata"]["namespace"] = kustomization["namespace"]
    return manifests


def resource_files(directory: Path) -> list[Path]:
    """Every manifest file a kustomization (and those it includes) names as a resource."""
    kustomization = yaml.safe_load((directory / "kustomization.yaml").read_text())
    found: list[Path] = []
    for resource in kustomization.get("resources", []):
        path = directory / resource
        found.extend(resource_files(path) if path.is_dir() else [path])
    return found


def _generated_config_maps(kustomization: dict[str, Any], directory: Path) -> list[Manifest]:
    generators = kustomization.get("configMapGenerator", [])
    if generators and not kustomization.get("generatorOptions", {}).get("disableNameSuffixHash"):
        raise NotImplementedError("name suffix hashes: set disableNameSuffixHash")
    made = []
    for generator in generators:
        data = {}
        for entry in generator.get("files", []):
            key, _, file = entry.rpartition("=")
            data[key or Path(file).name] = (directory / file).read_text()
        for literal in generator.get("literals", []):
            key, _, value = literal.partition("=")
            data[key] = value
        made.append(
            {
                "apiVersion": "v1",
                "kind": "ConfigMap",
                "metadata": {"name": generator["name"]},
                "data": data,
            }
        )
    return made


def load_documents(path: Path) -> list[Manifest]:
    return [document for document in yaml.safe_load_all(path.read_text()) if document]


def strategic_merge(base: Any, patch: Any) -> Any:
    """Maps merge key by key; lists of named items (containers, env, volumes) merge by name;
    other lists and values are replaced."""
    if isinstance(base, dict) and isinstance(patch, dict):
        merged = dict(base)
        for key, value in patch.items():
            merged[key] = strategic_merge(base[key], value) if key in base else value
        return merged
    if _named_items(base) and _named_items(patch):
        by_name = {item["name"]: item for item in base}
        for item in patch:
            by_name[item["name"]] = strategic_merge(by_name.get(item["name"], {}), item)
        return list(by_name.values())
    return copy.deepcopy(patch)


def _apply_patch(manifests: list[Manifest], patch: dict[str, Any], directory: Path) -> None:
    text = patch["patch"] if "patch" in patch else (directory / patch["path"]).read_text()
    body = yaml.safe_load(text)
    target = patch.get("target") or {"kind": body["kind"], "name": body["metadata"]["name"]}
    chosen = [m for m in manifests if _matches(m, target)]
    assert chosen, f"the patch's target {target} matches nothing"
    for manifest in chosen:
        if isinstance(body, list):
            _json_6902(manifest, body)
        else:
            merged = strategic_merge(manifest, body)
            merged["metadata"]["name"] = manifest["metadata"]["name"]
            manifest.clear()
            manifest.update(merged)


def _json_6902(manifest: Manifest, operations: list[dict[str, Any]]) -> None:
    for operation in operations:
        *parents, last = [_unescape(part) for part in operation["path"].split("/")[1:]]
        node: Any = manifest
        for part in parents:
            node = node[int(part)] if isinstance(node, list) else node[part]
        key: Any = int(last) if isinstance(node, list) and last != "-" else last
        if operation["op"] in {"replace", "add"}:
            if isinstance(node, list) and operation["op"] == "add":
                node.insert(len(node) if key == "-" else key, operation["value"])
            else:
                node[key] = operation["value"]
        elif operation["op"] == "remove":
            del node[key]
        else:
            raise NotImplementedError(operation["op"])


def _unescape(part: str) -> str:
    return part.replace("~1", "/").replace("~0", "~")


def _matches(manifest: Manifest, target: dict[str, str]) -> bool:
    if "kind" in target and manifest["kind"] != target["kind"]:
        return False
    return (
        "name" not in target
        or re.fullmatch(target["name"], manifest["metadata"]["name"]) is not None
    )


def _named(manifests: list[Manifest], name: str) -> list[Manifest]:
    return [m for m in manifests if m["metadata"]["name"] == name and "replicas" in m["spec"]]


def _containers(manifests: list[Manifest]) -> list[dict[str, Any]]:
    return [container for manifest in manifests for container in pod_containers(manifest)]


def pod_containers(manifest: Manifest) -> list[dict[str, Any]]:
    """The containers of a workload's pod (Deployment, Job, …), or none for other kinds."""
    template = manifest.get("spec", {}).get("template", {}).get("spec", {})
    return [*template.get("initContainers", []), *template.get("containers", [])]


def _image_name(image: str) -> str:
    return image.rsplit(":", 1)[0] if ":" in image.rsplit("/", 1)[-1] else image


def _named_items(value: Any) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(item, dict) and "name" in item for item in value)
    )
