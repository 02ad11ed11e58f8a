"""Text kept in a column of fixed width. PostgreSQL refuses a value longer than its column (and
with it the whole change: an event's effect retried, then parked); SQLite keeps it whole. Text
composed around names (a subject, a description, a title) is shortened to fit, with "…"."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from sqlalchemy import Column

ELLIPSIS = "…"


def shortened(text: str, width: int) -> str:
    """`text`, or as much of it as fits in `width` characters with an ellipsis."""
    if len(text) <= width:
        return text
    return text[: width - len(ELLIPSIS)] + ELLIPSIS


def fitted(text: str, column: Column[Any]) -> str:
    """`text`, shortened with an ellipsis if the column cannot hold it all."""
    width: int | None = getattr(column.type, "length", None)
    return text if width is None else shortened(text, width)
