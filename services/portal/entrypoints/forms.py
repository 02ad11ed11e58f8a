"""An API's refusal, shown on the form that caused it."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

from starlette.datastructures import UploadFile

from services.portal.adapters.http import ApiError
from services.portal.domain.forms import (
    FormErrors,
    date_from_parts,
    pence_from_pounds,
    whole_number,
)
from services.portal.domain.prices import unusual, why_unusual
from shared.money import VatRate, format_pounds

MAX_UPLOAD_BYTES = 2_000_000
# A whole post: the largest a form takes is a CSV file of MAX_UPLOAD_BYTES with a few fields
# beside it (the CSRF token, a year) and its multipart framing, well under the 100 kB of room;
# no other form comes near (a paragraph is 4,000 characters). Past it a post is refused before
# it is read, instead of spooled to disk or read into memory whole.
MAX_POST_BYTES = MAX_UPLOAD_BYTES + 100_000
VAT_RATES = tuple((rate.value, rate.label) for rate in VatRate)


T = TypeVar("T")


@dataclass(frozen=True)
class Wording:
    """How a form words its API's inputs: each field's label (by its id on the form), and the
    form's id for each input the API names otherwise."""

    labels: Mapping[str, str]
    fields: Mapping[str, str] = field(default_factory=dict)


async def submit(
    errors: FormErrors,
    send: Callable[[], Awaitable[T]],
    wording: Wording,
) -> T | None:
    """A form's request sent to its API: the API's answer, or None with its refusal put on the
    form. Nothing is sent while the form has errors of its own."""
    if errors:
        return None
    try:
        return await send()
    except ApiError as refused:
        put_on_form(refused, errors, fields=wording.fields, labels=wording.labels)
        return None


def put_on_form(
    refused: ApiError,
    errors: FormErrors,
    *,
    fields: Mapping[str, str] | None = None,
    labels: Mapping[str, str],
) -> None:
    """A refusal of the input (422) or the state (409) goes on the form; anything else is
    the error page's business."""
    if refused.status not in (409, 422):
        raise refused
    problems = [(problem.field, in_pounds(problem.message)) for problem in refused.problems]
    errors.from_api(problems, fields=fields or {}, labels=labels)


def read_date(form: Mapping[str, str], errors: FormErrors, field_id: str, what: str) -> str:
    """The ISO date from a GOV.UK date input named `field_id`, or '' with an error."""
    parts = (form.get(f"{field_id}-{part}", "") for part in ("day", "month", "year"))
    found = errors.read(lambda: date_from_parts(*parts), field_id=field_id, what=what)
    return found.isoformat() if found else ""


def read_pounds(
    form: Mapping[str, str], errors: FormErrors, field_id: str, what: str
) -> int | None:
    text = form.get(field_id, "")
    return errors.read(lambda: pence_from_pounds(text), field_id=field_id, what=what)


def confirm_unusual_prices(
    form: Mapping[str, str],
    errors: FormErrors,
    amounts: Mapping[str, tuple[int, ...]],
    labels: Mapping[str, str],
) -> str:
    """Puts on the form each price below £1 or above the usual ceiling, unless the admin has
    already confirmed these very amounts; returns what the form must send back to confirm
    them ('' when there is nothing to confirm)."""
    asking = {field_id: odd for field_id, found in amounts.items() if (odd := unusual(found))}
    token = "|".join(f"{field_id}={','.join(map(str, odd))}" for field_id, odd in asking.items())
    if not asking or form.get("confirmed") == token:
        return ""
    for field_id, odd in asking.items():
        errors.add(
            field_id,
            f"{labels[field_id]}: {why_unusual(odd[0])}. If that is right, save again to confirm",
        )
    return token


def read_whole(form: Mapping[str, str], errors: FormErrors, field_id: str, what: str) -> int | None:
    text = form.get(field_id, "")
    return errors.read(lambda: whole_number(text), field_id=field_id, what=what)


PENCE = re.compile(r"\b(\d+) pence\b")


def in_pounds(message: str) -> str:
    """The APIs speak pence ('would commit 780000 pence'); people read pounds (£7,800.00)."""
    return PENCE.sub(lambda found: format_pounds(int(found.group(1))), message)


def read_optional_date(
    form: Mapping[str, str], errors: FormErrors, field_id: str, what: str
) -> str | None:
    """As `read_date`, but three empty boxes mean no date at all."""
    if not any(form.get(f"{field_id}-{part}") for part in ("day", "month", "year")):
        return None
    return read_date(form, errors, field_id, what)


async def uploaded_text(sent: object, errors: FormErrors, field_id: str = "file") -> str | None:
    """The text of an uploaded CSV file, or None with an error on the file input."""
    if not isinstance(sent, UploadFile) or not sent.filename:
        errors.add(field_id, "Select a CSV file")
        return None
    content = await sent.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        errors.add(field_id, f"The file must be smaller than {megabytes(MAX_UPLOAD_BYTES)}")
        return None
    try:
        return content.decode("utf-8-sig")
    except UnicodeDecodeError:
        errors.add(field_id, "The file must be a CSV saved as UTF-8")
        return None


def megabytes(size: int) -> str:
    """A size in bytes as people read it: 2 MB, 2.1 MB."""
    return f"{size / 1_000_000:.1f}".removesuffix(".0") + " MB"
