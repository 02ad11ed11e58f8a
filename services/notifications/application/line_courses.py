"""The course an order line's places are on, for the messages about them: as its news names it
or, where news from before it did leaves that out, as notifications keeps it."""

from __future__ import annotations

from datetime import date
from typing import Protocol
from uuid import UUID

from services.notifications.application.unit_of_work import NotificationsUnitOfWork
from services.notifications.domain.courses import KnownCourse


class CourseLineNews(Protocol):
    """The catalogue's news of an order line's places, naming their course or not (None)."""

    @property
    def session_id(self) -> UUID: ...
    @property
    def line_id(self) -> UUID: ...
    @property
    def title(self) -> str | None: ...
    @property
    def starts_on(self) -> date | None: ...


async def course_of_line(uow: NotificationsUnitOfWork, news: CourseLineNews) -> KnownCourse:
    """Read before the news changes what is kept (the trust's booking, which keeps the line's
    day, goes when its places are given back)."""
    told = KnownCourse(news.title, news.starts_on)
    if told.whole:
        return told
    return told.or_else(await uow.read_models.course_of(news.session_id, news.line_id))
