"""Every input every service's OpenAPI accepts is bounded (issue 14): a string has a maximum
length and refuses control characters, a number has a minimum and a maximum, a list a maximum
number of items, a date or a moment a first and a last. A new field without bounds fails here,
naming the operation and the field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

import pytest

from services import registry

OPAQUE_FORMATS = {"uuid", "binary"}
DATE_FORMATS = {"date", "date-time"}  # bounded by `formatMinimum` and `formatMaximum`


@cache
def openapi(name: str) -> dict[str, Any]:
    service = registry.service(name, database_url="sqlite+aiosqlite:///:memory:")
    return service.api().openapi()


def unbounded(spec: dict[str, Any], schema: dict[str, Any], where: str) -> Iterator[str]:
    while "$ref" in schema:
        schema = spec["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    for alternatives in ("anyOf", "oneOf", "allOf"):
        for alternative in schema.get(alternatives, []):
            yield from unbounded(spec, alternative, where)
    kind = schema.get("type")
    if "enum" in schema or "const" in schema:
        return
    if kind == "string" and schema.get("format") in DATE_FORMATS:
        if not {"formatMinimum", "formatMaximum"} <= schema.keys():
            yield f"{where}: a {schema['format']} without formatMinimum and formatMaximum"
        return
    if kind == "string" and schema.get("format") not in OPAQUE_FORMATS:
        pattern = schema.get("pattern", "")
        fixed_length = pattern and "*" not in pattern and "+" not in pattern
        if "maxLength" not in schema and not fixed_length:
            yield f"{where}: a string without maxLength"
        if not pattern:
            yield f"{where}: a string that admits control characters (no pattern)"
        elif any("\x00" not in inside and "\\x00" not in inside for inside in negated(pattern)):
            yield f"{where}: a string whose pattern admits control characters ({pattern})"
    if kind in ("integer", "number") and not ({"minimum", "exclusiveMinimum"} & schema.keys()):
        yield f"{where}: a number without a minimum"
    if kind in ("integer", "number") and not ({"maximum", "exclusiveMaximum"} & schema.keys()):
        yield f"{where}: a number without a maximum"
    if kind == "array":
        if "maxItems" not in schema:
            yield f"{where}: a list without maxItems"
        for index, item in enumerate(schema.get("prefixItems", [])):
            yield from unbounded(spec, item, f"{where}[{index}]")
        if isinstance(schema.get("items"), dict):
            yield from unbounded(spec, schema["items"], f"{where}[]")
    for name, property_schema in schema.get("properties", {}).items():
        yield from unbounded(spec, property_schema, f"{where}.{name}")


def negated(pattern: str) -> list[str]:
    """What each negated class of the pattern (`[^...]`) leaves out: it must name the control
    characters too, or a NUL gets through (PostgreSQL then refuses the insert with a 500)."""
    return re.findall(r"\[\^((?:\\.|[^\]])*)\]", pattern)


def inputs(spec: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            label = f"{method.upper()} {path}"
            for parameter in operation.get("parameters", []):
                yield f"{label} {parameter['in']} {parameter['name']}", parameter["schema"]
            for media_type, content in operation.get("requestBody", {}).get("content", {}).items():
                yield f"{label} body ({media_type})", content.get("schema", {})


@pytest.mark.parametrize("name", registry.NAMES)
def test_every_input_of_the_service_is_bounded(name: str) -> None:
    spec = openapi(name)
    problems = [
        problem for where, schema in inputs(spec) for problem in unbounded(spec, schema, where)
    ]
    assert problems == []


@pytest.mark.parametrize("name", registry.NAMES)
def test_every_operation_documents_its_refusals_with_the_error_body(name: str) -> None:
    spec = openapi(name)
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            if "security" not in operation:
                continue
            for status in ("401", "403", "404", "409", "422"):
                documented = operation["responses"].get(status, {})
                schema = documented.get("content", {}).get("application/json", {}).get("schema")
                assert schema == {"$ref": "#/components/schemas/Problem"}, (method, path, status)
