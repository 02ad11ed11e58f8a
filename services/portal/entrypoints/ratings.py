"""A school rates what was delivered to it: each delivery once, 1 to 5, with a comment."""

from __future__ import annotations

from uuid import UUID

from fastapi import APIRouter, Request
from fastapi.responses import Response

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import FormErrors
from services.portal.entrypoints.forms import Wording, submit
from services.portal.entrypoints.rendering import (
    form_of,
    form_page,
    render,
    see_other,
    tell_next_page,
)
from services.portal.entrypoints.roles import School
from services.portal.entrypoints.session import SignedIn
from shared.api.evaluation import InvitationPublic

router = APIRouter(prefix="/ratings")

SCORES = (
    ("5", "5: excellent"),
    ("4", "4: good"),
    ("3", "3: adequate"),
    ("2", "2: poor"),
    ("1", "1: very poor"),
)
RATING_LABELS = {"score": "Rating", "comment": "Comment"}


@router.get("")
async def deliveries(request: Request, you: School) -> Response:
    invitations = sorted(
        await you.apis.evaluation.invitations(), key=lambda i: i.invited_on, reverse=True
    )
    given = {rating.invitation_id: rating for rating in await you.apis.evaluation.ratings()}
    return render(request, "ratings/list.html", invitations=invitations, given=given)


@router.get("/{invitation_id:uuid}")
async def rating_form(request: Request, invitation_id: UUID, you: School) -> Response:
    invitation = await _invitation(you, invitation_id)
    return form_page(
        request,
        "ratings/new.html",
        form={},
        errors=FormErrors(),
        invitation=invitation,
        scores=SCORES,
    )


@router.post("/{invitation_id:uuid}")
async def rate(request: Request, invitation_id: UUID, you: School) -> Response:
    invitation = await _invitation(you, invitation_id)
    form = await form_of(request)
    errors = FormErrors()
    if form.get("score") not in dict(SCORES):
        errors.add("score", "Select a rating from 1 to 5")
    else:
        fields = {
            "invitation_id": str(invitation_id),
            "score": int(form["score"]),
            "comment": form.get("comment", ""),
        }
        await submit(errors, lambda: you.apis.evaluation.rate(fields), Wording(RATING_LABELS))
        if not errors:
            tell_next_page(request, f"Thank you: {invitation.title} rated {form['score']} out of 5")
            return see_other("/ratings")
    return form_page(
        request, "ratings/new.html", form=form, errors=errors, invitation=invitation, scores=SCORES
    )


async def _invitation(you: SignedIn, invitation_id: UUID) -> InvitationPublic:
    """Only the school's own deliveries: the API lists no other school's."""
    for invitation in await you.apis.evaluation.invitations():
        if invitation.id == invitation_id:
            return invitation
    raise ApiError(404, [])
