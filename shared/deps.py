"""FastAPI dependencies every service uses."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import Depends, Request

from shared.clock import Clock


def unit_of_work(request: Request) -> Any:
    """A fresh unit of work from the service that owns this app (see `Service.api`), for a
    route's views: it reads; a change goes through the bus, which opens its own."""
    return request.app.state.unit_of_work().reading()


def bus(request: Request) -> Any:
    """The message bus of the service that owns this app (see `Service.api`)."""
    return request.app.state.bus


def settings(request: Request) -> Any:
    """The settings of the service that owns this app (see `Service.api`)."""
    return request.app.state.settings


def _clock(request: Request) -> Clock:
    found: Clock = getattr(request.app.state, "clock", None) or Clock()
    return found


def today(request: Request) -> date:
    """Today, by the clock of the app that answers (see `Service.api`)."""
    return _clock(request).today()


def now(request: Request) -> datetime:
    """This moment, by the clock of the app that answers (see `Service.api`)."""
    return _clock(request).now()


Today = Annotated[date, Depends(today)]
Now = Annotated[datetime, Depends(now)]
