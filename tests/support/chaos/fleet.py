"""The platform as separate processes the chaos run can kill one by one: each service's API and
worker, localstripe, and NATS (one server, or a three-node cluster), on free ports, with one
database per service (SQLite files in a temporary folder, or PostgreSQL databases)."""

from __future__ import annotations

import functools
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import httpx

from services import registry
from services.orders.config import LOCAL_WEBHOOK_SECRET
from tests.support.nats_server import free_port

REPOSITORY = Path(__file__).resolve().parents[3]


class Nats(Protocol):
    url: str

    def targets(self) -> list[str]: ...
    def kill(self, target: str) -> None: ...
    def start(self, target: str) -> None: ...
    def remove(self) -> None: ...


@dataclass
class Process:
    name: str
    command: list[str]
    ready: Callable[[], bool]
    popen: subprocess.Popen[bytes] | None = None


@dataclass
class Fleet:
    """Start with `start_all()`; `kill(name)` and `start(name)` play a crash and a restart,
    returning how long the process took to be back."""

    nats: Nats
    database_urls: dict[str, str]
    root: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="chaos-")))
    ack_wait_seconds: float = 10.0
    stream_replicas: int = 1
    # PostgreSQL connections per process (twelve processes share a server other work uses too)
    database_pool: tuple[int, int] = (3, 3)  # pool size, overflow
    ports: dict[str, int] = field(default_factory=dict)
    processes: dict[str, Process] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for name in registry.NAMES:  # a SQLite file for each service not given a database
            self.database_urls.setdefault(name, f"sqlite+aiosqlite:///{self.root / name}.db")
        for name in registry.NAMES:
            self.ports[name] = self._new_port()
            self.ports[f"{name}-metrics"] = self._new_port()
        self.ports["localstripe"] = self._new_port()
        python = [sys.executable, "-m"]
        self.processes["localstripe"] = Process(
            "localstripe",
            [
                *python,
                "services.orders.localstripe",
                "--port",
                str(self.ports["localstripe"]),
                "--webhook-url",
                f"{self.url('orders')}/stripe/webhook",
                "--webhook-secret",
                LOCAL_WEBHOOK_SECRET,
            ],
            ready=lambda: _answers(f"http://127.0.0.1:{self.ports['localstripe']}/v1/customers"),
        )
        for name in registry.NAMES:
            self.processes[f"{name}-api"] = Process(
                f"{name}-api",
                [*python, "services.cli", "api", name],
                ready=functools.partial(self._api_answers, name),
            )
            self.processes[f"{name}-worker"] = Process(
                f"{name}-worker",
                [*python, "services.cli", "worker", name],
                ready=functools.partial(self._worker_running, name),
            )

    def _api_answers(self, service: str) -> bool:
        return _answers(f"{self.url(service)}/healthz")

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.ports[service]}"

    @property
    def stripe_url(self) -> str:
        return f"http://127.0.0.1:{self.ports['localstripe']}"

    def environment(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("NATS_", "PLATFORM_"))}
        env |= {
            "PLATFORM_DATA_DIR": str(self.root),
            "NATS_URL": self.nats.url,
            "PLATFORM_STREAM_REPLICAS": str(self.stream_replicas),
            "ORDERS_CATALOGUE_URL": self.url("catalogue"),
            "ORDERS_LOCALSTRIPE_PORT": str(self.ports["localstripe"]),
        }
        for name in registry.NAMES:
            prefix = name.upper()
            env[f"{prefix}_DATABASE_URL"] = self.database_urls[name]
            env[f"{prefix}_HTTP_PORT"] = str(self.ports[name])
            env[f"{prefix}_METRICS_PORT"] = str(self.ports[f"{name}-metrics"])
            env[f"{prefix}_DATABASE_POOL_SIZE"] = str(self.database_pool[0])
            env[f"{prefix}_DATABASE_MAX_OVERFLOW"] = str(self.database_pool[1])
            # A worker killed mid-batch leaves it unacknowledged: it comes back this soon.
            env[f"{prefix}_CONSUMER_ACK_WAIT_SECONDS"] = str(self.ack_wait_seconds)
        return env

    def run(self, *arguments: str) -> None:
        """A one-off command of the platform's CLI (migrate, seed) with the fleet's settings."""
        subprocess.run(
            [sys.executable, "-m", "services.cli", *arguments],
            env=self.environment(),
            cwd=REPOSITORY,
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=(self.root / f"{arguments[0]}.log").open("ab"),
        )

    def start_all(self, timeout: float = 180.0) -> None:
        for name in self.processes:
            self._spawn(name)
        deadline = time.monotonic() + timeout
        for name in self.processes:
            self._wait_ready(name, deadline)

    def kill(self, name: str) -> None:
        if name in self.processes:
            popen = self.processes[name].popen
            if popen and popen.poll() is None:
                os.killpg(popen.pid, signal.SIGKILL)
                popen.wait()
        else:
            self.nats.kill(name)

    def start(self, name: str, timeout: float = 120.0) -> float:
        """Start a killed process again; returns the seconds until it was back at work."""
        began = time.monotonic()
        if name not in self.processes:
            self.nats.start(name)
            return time.monotonic() - began
        self._spawn(name)
        self._wait_ready(name, began + timeout)
        return time.monotonic() - began

    def targets(self) -> list[str]:
        """Everything the chaos run may kill."""
        return [name for name in self.processes if name != "localstripe"] + self.nats.targets()

    def stop_all(self) -> None:
        for process in self.processes.values():
            if process.popen and process.popen.poll() is None:
                os.killpg(process.popen.pid, signal.SIGTERM)
        for process in self.processes.values():
            if process.popen:
                try:
                    process.popen.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    os.killpg(process.popen.pid, signal.SIGKILL)
                    process.popen.wait()

    def remove(self, *, keep_logs: bool = False) -> None:
        self.stop_all()
        self.nats.remove()
        if keep_logs:
            print(f"the processes' logs are kept in {self.root}")
        else:
            shutil.rmtree(self.root, ignore_errors=True)

    def log_tail(self, name: str, lines: int = 40) -> str:
        path = self.root / f"{name}.log"
        return (
            "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
            if path.exists()
            else ""
        )

    def _wait_ready(self, name: str, deadline: float) -> None:
        """Until the process is at work; one that died on its way is started again, as a
        supervisor would (a port another test took meanwhile gets the worker a new one)."""
        process = self.processes[name]
        while not process.ready():
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name} not ready in time:\n{self.log_tail(name)}")
            if process.popen and process.popen.poll() is not None:
                if name.endswith("-worker") and "address already in use" in self.log_tail(name):
                    self.ports[f"{name.removesuffix('-worker')}-metrics"] = self._new_port()
                self._spawn(name)
            time.sleep(0.05)

    def _new_port(self) -> int:
        while (port := free_port()) in self.ports.values():
            pass
        return port

    def _spawn(self, name: str) -> None:
        process = self.processes[name]
        with (self.root / f"{name}.log").open("ab") as log:
            log.write(f"--- started at {time.time():.3f}\n".encode())
            log.flush()
            process.popen = subprocess.Popen(
                process.command,
                env=self.environment(),
                cwd=REPOSITORY,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def _worker_running(self, name: str) -> bool:
        """The worker's latest start has bound its consumers and started its relay."""
        path = self.root / f"{name}-worker.log"
        text = path.read_text(errors="replace") if path.exists() else ""
        return f"{name} worker running" in text.rsplit("--- started at", 1)[-1]


def _answers(url: str) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code < 500
    except httpx.HTTPError:
        return False
