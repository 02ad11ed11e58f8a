"""FastAPI dependencies every service uses."""

from __future__ import annotations

from typing import Any

from fastapi import Request


def unit_of_work(request: Request) -> Any:
    """A fresh unit of work from the service that owns this app (see `Service.api`)."""
    return request.app.state.unit_of_work()
