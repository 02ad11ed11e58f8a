"""NATS for the chaos run: one server, or a three-node JetStream cluster; either can be killed
and started again on the same ports and stores."""

from __future__ import annotations

from tests.support.nats_server import NatsServer


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
