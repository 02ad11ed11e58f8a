"""The whole platform as `schools-platform up` runs it: separate processes on free ports, a nats-server of
its own, SQLite files in a temporary folder. Used by the end-to-end tests and the benchmarks."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping
from pathlib import Path

import httpx

from services import registry
from tests.support.nats_server import free_port

PLATFORM_COMMAND = Path(sys.executable).parent / "schools-platform"


class LocalPlatform:
    def __init__(
        self, *, seed: bool = True, env: Mapping[str, str] | None = None, cluster: bool = False
    ) -> None:
        self.data_dir = Path(tempfile.mkdtemp(prefix="schools-platform-e2e-"))
        self.ports = {name: free_port() for name in (*registry.NAMES, "portal")}
        self.metrics_ports = {name: free_port() for name in registry.NAMES}  # the workers'
        self.nats_url = ""
        self._seed = seed
        self._env = dict(env or {})  # settings of its own, e.g. the portal's OIDC provider
        self._cluster = cluster
        self._process: subprocess.Popen[str] | None = None
        self._log = self.data_dir / "schools-platform-up.log"

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    def start(self, timeout: float = 180.0) -> LocalPlatform:
        env = {key: value for key, value in os.environ.items() if key != "NATS_URL"}
        env["PLATFORM_DATA_DIR"] = str(self.data_dir)
        env.update({f"{name.upper()}_HTTP_PORT": str(port) for name, port in self.ports.items()})
        env.update(
            {f"{name.upper()}_METRICS_PORT": str(port) for name, port in self.metrics_ports.items()}
        )
        env.update(self._env)
        command = [str(PLATFORM_COMMAND), "up"] + ([] if self._seed else ["--no-seed"])
        command += ["--cluster"] if self._cluster else []
        with self._log.open("w") as log:
            self._process = subprocess.Popen(
                command,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                text=True,
                start_new_session=True,
            )
        self._wait_until_ready(timeout)
        return self

    def log(self) -> str:
        return self._log.read_text() if self._log.exists() else ""

    def interrupt(self, timeout: float = 30.0) -> int:
        """Ctrl-C, as a person at the terminal would; returns the exit code."""
        assert self._process
        self._process.send_signal(signal.SIGINT)
        return self._process.wait(timeout=timeout)

    def processes_left(self) -> list[str]:
        """Every process still in the platform's process group (honcho, NATS, services)."""
        assert self._process
        found = subprocess.run(
            ["pgrep", "-g", str(self._process.pid)], capture_output=True, text=True, check=False
        )
        return found.stdout.split()

    def stop(self) -> None:
        if self._process and self._process.poll() is None:
            try:
                self.interrupt()
            except subprocess.TimeoutExpired:
                os.killpg(self._process.pid, signal.SIGKILL)
                self._process.wait()
        shutil.rmtree(self.data_dir, ignore_errors=True)

    def _wait_until_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        pending = set(self.ports)
        while pending and time.monotonic() < deadline:
            assert self._process
            if self._process.poll() is not None:
                raise RuntimeError(f"schools-platform up exited early:\n{self.log()}")
            for name in list(pending):
                try:
                    if httpx.get(f"{self.url(name)}/readyz", timeout=1).status_code == 200:
                        pending.discard(name)
                except httpx.HTTPError:
                    pass
            time.sleep(0.2)
        if pending:
            raise RuntimeError(f"not ready in {timeout}s: {sorted(pending)}\n{self.log()}")
        match = re.search(r"NATS\s+(nats://\S+)", self.log())
        self.nats_url = match.group(1) if match else ""
