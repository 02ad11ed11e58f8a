"""FastAPI dependencies every service uses. Each is `async def`: FastAPI runs a plain `def`
dependency on a worker thread, a hand-off there and back for every request."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from shared.clock import Clock


async def unit_of_work(request: Request) -> Any:
    """A fresh unit of work from the service that owns this app (see `Service.api`), for a
    route's views: it reads; a change goes through the bus, which opens its own."""
    return request.app.state.unit_of_work().reading()


async def bus(request: Request) -> Any:
    """The message bus of the service that owns this app (see `Service.api`)."""
    return request.app.state.bus


def settings_of(request: Request) -> Any:
    """The settings of the service that owns this app (see `Service.api`)."""
    return request.app.state.settings


async def settings(request: Request) -> Any:
    return settings_of(request)


def _clock(request: Request) -> Clock:
    found: Clock = getattr(request.app.state, "clock", None) or Clock()
    return found


def today_of(request: Request) -> date:
    """Today, by the clock of the app that answers (see `Service.api`)."""
    return _clock(request).today()


async def today(request: Request) -> date:
    return today_of(request)


async def now(request: Request) -> datetime:
    """This moment, by the clock of the app that answers (see `Service.api`)."""
    return _clock(request).now()


Today = Annotated[date, Depends(today)]
Now = Annotated[datetime, Depends(now)]
