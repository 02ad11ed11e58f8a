"""Schemathesis over every operation of every service: no server errors, no answer that breaks
its documented schema (issue 14), and every event the requests made published to NATS (none
refused as too large or unroutable). A fixed seed and a few examples per operation keep it
quick; bench/fuzz_apis.py runs the long version."""

from __future__ import annotations

import asyncio

import pytest
from fastapi import FastAPI

from services import registry
from tests.support.api_fuzzing import (
    fuzz,
    operations,
    platform_apps,
    refused_events,
    sqlite_files,
)

EXAMPLES_PER_OPERATION = 3
SEED = 14


@pytest.fixture(scope="module")
def apps(tmp_path_factory: pytest.TempPathFactory, nats_url: str) -> dict[str, FastAPI]:
    return platform_apps(sqlite_files(tmp_path_factory.mktemp("fuzzing")), nats_url=nats_url)


@pytest.mark.parametrize("name", registry.NAMES)
def test_no_generated_request_gets_a_server_error_or_an_undocumented_answer(
    apps: dict[str, FastAPI], nats_url: str, name: str
) -> None:
    failures = [
        failure
        for operation in operations(apps[name])
        for failure in fuzz(operation, examples=EXAMPLES_PER_OPERATION, seed=SEED)
    ]
    assert not failures, "\n".join(str(failure) for failure in failures)
    assert asyncio.run(refused_events(apps[name], nats_url)) == []
