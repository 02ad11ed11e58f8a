"""A real SMTP server for the local run and the tests (`aiosmtpd`, bound to 127.0.0.1), keeping
each message it accepts as a file in a folder, where a person or a test reads what was sent.

    python -m services.notifications.mail_server --port 8025 --folder .data/mail
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import signal
import threading
import time
from collections.abc import Awaitable
from email import message_from_bytes, policy
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class MailFolder:
    """aiosmtpd's handler: every accepted message becomes one `.eml` file, named so that the
    folder lists them in the order they came."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.folder.mkdir(parents=True, exist_ok=True)
        self._numbers = itertools.count(1)
        self._lock = threading.Lock()

    async def handle_DATA(self, _server: SMTP, _session: Session, envelope: Envelope) -> str:
        with self._lock:
            name = f"{time.time_ns()}-{next(self._numbers):06d}.eml"
        content = envelope.original_content or b""
        partial = self.folder / f".{name}"
        partial.write_bytes(content)
        partial.rename(self.folder / name)  # a reader never sees half a message
        return "250 Message accepted for delivery"


def read_folder(folder: Path) -> list[EmailMessage]:
    """The messages kept in `folder`, oldest first."""
    if not folder.exists():
        return []
    return [
        message_from_bytes(path.read_bytes(), policy=policy.default)
        for path in sorted(folder.glob("*.eml"))
        if not path.name.startswith(".")  # pathlib's glob lists the half-written ones too
    ]


def start(folder: Path, *, port: int = 0) -> Controller:
    """Start the server in a thread of this process (port 0: any free one; `controller.port`
    says which)."""
    controller = _Controller(MailFolder(folder), hostname="127.0.0.1", port=port)
    controller.start()
    return controller


class _Controller(Controller):
    """aiosmtpd's controller, which also listens on port 0: the kernel's choice, taken by the
    listening socket itself (a port probed first and then bound could be taken in between).
    `_create_server` is aiosmtpd's own abstract method for binding, which its controllers
    override (aiosmtpd 1.4: "Overridden by subclasses", calling `_factory_invoker`)."""

    def _create_server(self) -> Awaitable[asyncio.AbstractServer]:
        return self._listening()

    async def _listening(self) -> asyncio.Server:
        server = await self.loop.create_server(
            self._factory_invoker, host=self.hostname, port=self.port, ssl=self.ssl_context
        )
        self.port = int(server.sockets[0].getsockname()[1])
        return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--port", type=int, default=8025)
    parser.add_argument("--folder", type=Path, required=True)
    args = parser.parse_args(argv)
    controller = start(args.folder, port=args.port)
    print(f"SMTP server on 127.0.0.1:{controller.port}, keeping messages in {args.folder}")
    stop = threading.Event()

    def stopping(*_: Any) -> None:
        stop.set()

    signal.signal(signal.SIGTERM, stopping)
    signal.signal(signal.SIGINT, stopping)
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
