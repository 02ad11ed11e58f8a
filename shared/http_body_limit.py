"""A request's body bounded before it is read: FastAPI reads a body whole into memory (a CSV
upload as text, JSON before it is parsed), and Starlette spools a form's files to disk, before
any bound on the input itself is checked. A body declared larger than the bound is refused
without reading any of it; one sent in chunks, once its chunks pass the bound."""

from __future__ import annotations

from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.limits import MAX_REQUEST_BYTES


class BodyTooLarge(HTTPException):
    def __init__(self, most_bytes: int) -> None:
        super().__init__(413, f"the body must be at most {most_bytes:,} bytes")
        self.most_bytes = most_bytes


class BodyLimit:
    """Raises `BodyTooLarge` from the app's first read of a body past `most_bytes`, so that the
    app answers it as it answers any refusal (the API as JSON, the portal as a page)."""

    def __init__(self, app: ASGIApp, most_bytes: int = MAX_REQUEST_BYTES) -> None:
        self.app = app
        self.most_bytes = most_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        received = int(declared) if declared.isdigit() else 0

        async def bounded() -> Message:
            nonlocal received
            if received > self.most_bytes:
                raise BodyTooLarge(self.most_bytes)
            message = await receive()
            if not declared.isdigit():
                received += len(message.get("body", b""))
                if received > self.most_bytes:
                    raise BodyTooLarge(self.most_bytes)
            return message

        await self.app(scope, bounded, send)
