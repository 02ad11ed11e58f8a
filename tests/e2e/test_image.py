"""The image builds and an API starts from it against SQLite (deploy/build-image.sh).

Opt-in (PLATFORM_IMAGE_TEST=1): building downloads and builds a wheel of every dependency, for
several minutes. Skipped where podman, buildah or debootstrap is missing. The container is run
with buildah's chroot isolation: on these machines no OCI runtime can start one (see
deploy/README.md)."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.support.nats_server import free_port

REPOSITORY = Path(__file__).resolve().parents[2]
IMAGE = "localhost/schools-company-platform:test"

pytestmark = [
    pytest.mark.e2e,
    pytest.mark.skipif(
        os.environ.get("PLATFORM_IMAGE_TEST") != "1", reason="set PLATFORM_IMAGE_TEST=1 to build"
    ),
    pytest.mark.skipif(
        not all(shutil.which(tool) for tool in ("podman", "buildah", "debootstrap")),
        reason="no daemonless image builder here",
    ),
]


@pytest.fixture(scope="module")
def image() -> str:
    subprocess.run(
        [str(REPOSITORY / "deploy" / "build-image.sh")],
        env={**os.environ, "IMAGE": IMAGE},
        check=True,
        timeout=1800,
    )
    return IMAGE


@pytest.fixture
def container(image: str) -> Iterator[str]:
    name = subprocess.run(
        ["buildah", "from", image], capture_output=True, text=True, check=True
    ).stdout.strip()
    yield name
    subprocess.run(["buildah", "rm", name], capture_output=True, check=False)


def test_an_api_started_from_the_image_answers_its_health_check(container: str) -> None:
    port = free_port()
    api = subprocess.Popen(
        [
            "buildah", "run", "--isolation=chroot", "--network=host", "--user", "10001:10001",
            "-e", "PLATFORM_ENVIRONMENT=development",  # production refuses SQLite
            "-e", "PLATFORM_DATA_DIR=/tmp/data",
            "-e", f"CATALOGUE_HTTP_PORT={port}",
            container, "--", "schools-platform", "api", "catalogue",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2)
                break
            except httpx.TransportError:
                assert api.poll() is None, api.communicate()[0]
                assert time.monotonic() < deadline, "the API did not answer within a minute"
                time.sleep(0.5)
        assert answer.json() == {"status": "ok"}
        assert httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).status_code == 200
    finally:
        api.terminate()
        api.wait(timeout=30)
