"""Messages: what the platform told the signed-in user (for a school's users, their school),
newest first with the unread marked, each with when it was emailed (or that it is not yet);
opening one marks it read and leads to the page where they act."""

from __future__ import annotations

from urllib.parse import urlsplit
from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from services.portal.entrypoints.rendering import render
from services.portal.entrypoints.roles import Anyone

router = APIRouter(prefix="/messages")


@router.get("")
async def messages_page(request: Request, you: Anyone) -> Response:
    return render(request, "messages.html", messages=await you.apis.notifications.messages())


@router.get("/{message_id:uuid}")
async def open_message(message_id: UUID, you: Anyone) -> Response:
    """Mark it read, then go where it asks the reader to act (on this portal only)."""
    message = await you.apis.notifications.mark_read(message_id)
    link = urlsplit(message.link)
    return RedirectResponse(link.path + (f"?{link.query}" if link.query else ""), status_code=303)
