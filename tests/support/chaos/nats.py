"""NATS for the chaos run: one server, or a three-node JetStream cluster; either can be killed
and started again on the same ports and stores."""

from __future__ import annotations

import contextlib
import json
import shutil
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

from services.nats_cluster import ClusterNode, cluster_nodes, cluster_url, node_arguments
from tests.support.nats_server import NatsServer, free_port


class SingleNats:
    def __init__(self) -> None:
        self.server = NatsServer()
        self.url = self.server.url

    def start_all(self) -> SingleNats:
        self.server.start()
        return self

    def targets(self) -> list[str]:
        return ["nats"]

    def kill(self, target: str) -> None:
        self.server.kill()

    def start(self, target: str) -> None:
        self.server.start()

    def remove(self) -> None:
        self.server.remove()


class NatsCluster:
    """Three nodes (services.nats_cluster); `nats-leader` names whichever node leads the ORDERS
    stream when it is killed, so that its replicas must elect another mid-load."""

    LEADER = "nats-leader"

    def __init__(self, stream: str = "ORDERS") -> None:
        self.store = Path(tempfile.mkdtemp(prefix="nats-cluster-"))
        self.nodes = cluster_nodes(self.store, free_port)
        self.url = cluster_url(self.nodes)
        self.stream = stream
        self._processes: dict[str, subprocess.Popen[bytes]] = {}
        self._killed_leader: str | None = None

    def start_all(self) -> NatsCluster:
        for node in self.nodes:
            self._spawn(node)
        for node in self.nodes:
            self._wait_healthy(node)
        return self

    def targets(self) -> list[str]:
        return [self.LEADER]

    def kill(self, target: str) -> None:
        if target == self.LEADER:
            target = self._killed_leader = self.leader()
        process = self._processes.pop(target)
        process.kill()
        process.wait(timeout=10)

    def start(self, target: str) -> None:
        name = self._killed_leader if target == self.LEADER else target
        node = next(node for node in self.nodes if node.name == name)
        self._spawn(node)
        self._wait_healthy(node)

    def leader(self, timeout: float = 30.0) -> str:
        """The node leading the stream now, waiting while the replicas elect one (a node
        killed a moment ago may still be catching up)."""
        deadline = time.monotonic() + timeout
        while (found := self._leader_now()) is None:
            if time.monotonic() > deadline:
                raise RuntimeError(f"no leader for stream {self.stream} in {timeout}s")
            time.sleep(0.2)
        return found

    def _leader_now(self) -> str | None:
        for node in self.nodes:
            if node.name not in self._processes:
                continue
            url = f"http://127.0.0.1:{node.monitor_port}/jsz?streams=true"
            with contextlib.suppress(OSError, ValueError):
                with urllib.request.urlopen(url, timeout=2) as response:
                    found = json.load(response)
                for account in found.get("account_details", []):
                    for stream in account.get("stream_detail", []):
                        if stream["name"] == self.stream and stream.get("cluster", {}).get(
                            "leader"
                        ):
                            return str(stream["cluster"]["leader"])
        return None

    def remove(self) -> None:
        for process in self._processes.values():
            process.kill()
            process.wait(timeout=10)
        self._processes.clear()
        shutil.rmtree(self.store, ignore_errors=True)

    def _spawn(self, node: ClusterNode) -> None:
        self._processes[node.name] = subprocess.Popen(
            node_arguments(node, self.nodes), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )

    def _wait_healthy(self, node: ClusterNode) -> None:
        deadline = time.monotonic() + 30
        url = f"http://127.0.0.1:{node.monitor_port}/healthz"
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=0.5) as answer:
                if answer.status == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"{node.name} did not become healthy")
