"""What a person types into a form, read into what the APIs expect, and what went wrong."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TypeVar

from shared.limits import FIRST_YEAR, LAST_YEAR, MAX_PENCE
from shared.money import format_pounds

T = TypeVar("T")

REAL_DATE = "a real date, like 1 4 2026"
TOO_LARGE = f"an amount in pounds up to {format_pounds(MAX_PENCE)}"
POUNDS = re.compile(r"^£?\s*(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$")


class Unreadable(ValueError):
    """The text cannot be read as the kind of value the field asks for."""


def pence_from_pounds(text: str) -> int:
    """'£1,200.5' -> 120050. People type pounds; the APIs take integer pence, up to the
    largest amount the business allows."""
    cleaned = text.strip()
    match = POUNDS.match(cleaned)
    if not match:
        raise Unreadable("an amount in pounds, like 1200 or 1,200.50")
    whole = match.group(1).replace(",", "").lstrip("0") or "0"
    fraction = (match.group(3) or ".")[1:].ljust(2, "0")
    # Its digits counted before it is read: Python reads no number of thousands of digits.
    if len(whole) > len(str(MAX_PENCE // 100)):
        raise Unreadable(TOO_LARGE)
    pence = int(whole) * 100 + int(fraction)
    if pence > MAX_PENCE:
        raise Unreadable(TOO_LARGE)
    return pence


def date_from_parts(day: str, month: str, year: str) -> date:
    """The GOV.UK date input's three boxes, read as one real date in a year the business can
    mean (the APIs take no other, and a day near year 9999 overflows the first sum of days)."""
    try:
        numbers = int(year.strip()), int(month.strip()), int(day.strip())
    except ValueError as error:
        raise Unreadable(REAL_DATE) from error
    if not FIRST_YEAR <= numbers[0] <= LAST_YEAR:
        raise Unreadable(f"a date from {FIRST_YEAR} to {LAST_YEAR}")
    try:
        return date(*numbers)
    except (ValueError, OverflowError) as error:  # no such day, or a number no calendar holds
        raise Unreadable(REAL_DATE) from error


def whole_number(text: str) -> int:
    try:
        return int(text.strip())
    except ValueError as error:
        raise Unreadable("a whole number, like 2") from error


@dataclass(frozen=True)
class FieldError:
    field_id: str
    message: str


@dataclass
class FormErrors:
    """Errors keyed by the form's own field ids, in the order the summary lists them."""

    found: list[FieldError] = field(default_factory=list)

    def add(self, field_id: str, message: str) -> None:
        if field_id not in self:
            self.found.append(FieldError(field_id, _sentence(message)))

    def add_each(self, field_id: str, messages: Iterable[str]) -> None:
        """Several errors on one field, all listed: a file refused row by row."""
        self.found += [FieldError(field_id, _sentence(message)) for message in messages]

    def messages(self, field_id: str) -> list[str]:
        return [error.message for error in self.found if error.field_id == field_id]

    def __contains__(self, field_id: object) -> bool:
        return any(error.field_id == field_id for error in self.found)

    def __bool__(self) -> bool:
        return bool(self.found)

    def read(self, parse: Callable[[], T], *, field_id: str, what: str) -> T | None:
        """`parse()`'s value, or None with an error such as 'Enter the value as a whole number'."""
        try:
            return parse()
        except Unreadable as problem:
            self.add(field_id, f"Enter {what} as {problem}")
            return None

    def message(self, field_id: str) -> str | None:
        return next((e.message for e in self.found if e.field_id == field_id), None)

    def from_api(
        self,
        problems: Iterable[tuple[str | None, str]],
        *,
        fields: Mapping[str, str],
        labels: Mapping[str, str],
    ) -> FormErrors:
        """Put an API's refusals on the form: `fields` maps an API field name to a form field id
        (unmapped ones keep their name), `labels` a form field id to the words on the page."""
        for api_field, message in problems:
            field_id = fields.get(api_field or "", api_field or "")
            label = labels.get(field_id)
            self.add(field_id, f"{label}: {message}" if label and _is_generic(message) else message)
        return self


def _sentence(message: str) -> str:
    return message[:1].upper() + message[1:]


def _is_generic(message: str) -> bool:
    """Pydantic's messages ('Input should be…', 'String should have…') do not say which field."""
    return message.startswith(("Input ", "String ", "Field ", "Value "))


def whole_numbers(text: str) -> list[int]:
    """Numbers typed one a line, or separated by commas or spaces: '117083, 117084'."""
    try:
        return [int(word) for word in re.split(r"[\s,]+", text.strip()) if word]
    except ValueError as error:
        raise Unreadable("whole numbers separated by commas, like 117083, 117084") from error
