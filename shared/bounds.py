"""Bounded types for what an HTTP API accepts and an event contract promises: every input
declares what the business allows.

Unbounded input broke services in ways a 422 should have caught: integers past 2^63 overflow
SQLite, a 50,000-character search is "too complex" for its LIKE, a megabyte of text makes an
event NATS refuses, and a control character makes a spreadsheet export fail. The HTTP models
use these types (or a stricter `Field` on top of them), so each refusal is a 422 naming the field;
the event contracts (shared/events) use them too, so no consumer is handed what its columns
cannot hold.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import Annotated, Any

from annotated_types import Ge, Le, MaxLen
from pydantic import AfterValidator, GetCoreSchemaHandler, GetJsonSchemaHandler, StringConstraints
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, core_schema

from shared.limits import (
    FIRST_YEAR,
    LAST_YEAR,
    MAX_COUNT,
    MAX_ITEMS,
    MAX_MEASUREMENT,
    MAX_PENCE,
    MAX_QUANTITY,
    MIN_SPREAD,
    URNS,
)

# C0 and C1 control characters (and DEL): a spreadsheet cannot hold them and no one types them.
_CONTROL = "\x00-\x1f\x7f-\x9f"
_CONTROL_BUT_LINE_BREAKS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"


@dataclass(frozen=True)
class _PrintableText:
    """Refuses control characters (tab, CR and LF allowed when `multiline`)."""

    multiline: bool

    @property
    def _refused(self) -> str:
        return _CONTROL_BUT_LINE_BREAKS if self.multiline else _CONTROL

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        found = re.compile(f"[{self._refused}]").search
        kind = "a control character" if self.multiline else "a line break or control character"

        def printable(value: str) -> str:
            if found(value):
                raise ValueError(f"must not contain {kind}")
            return value

        return core_schema.no_info_after_validator_function(printable, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["pattern"] = f"^[^{self._refused}]*$"
        return json_schema


ONE_LINE = _PrintableText(multiline=False)
MULTILINE = _PrintableText(multiline=True)
# The marker goes before the length: a field's own stricter `Field(max_length=...)` then still
# holds (the other way round, the type's length replaced it).

Label = Annotated[str, ONE_LINE, StringConstraints(max_length=60)]
"""A short one-line text: a code, a category, a reference, a phase."""
Line = Annotated[str, ONE_LINE, StringConstraints(max_length=200)]
"""A one-line text: a title, a name, a search phrase."""
Paragraph = Annotated[str, MULTILINE, StringConstraints(max_length=4000)]
"""Prose: a description, a reason, a note. Big enough for a page, small enough for an event."""
CsvText = Annotated[str, MULTILINE, StringConstraints(max_length=2_000_000)]
"""A whole spreadsheet sent as CSV."""

# No control character (a NUL in an address failed PostgreSQL's insert with a 500), and none of
# what makes a mail header's address more than one plain address: white space, a comma or a
# semicolon ("a@b.example,c@d.example" went to both), brackets, quotes, a colon.
_ADDRESS_PART = r'[^@\s\x00-\x1f\x7f-\x9f()<>\[\]:;,\\"]'
EMAIL_ADDRESS_PATTERN = rf"^{_ADDRESS_PART}{{1,64}}@{_ADDRESS_PART}+\.{_ADDRESS_PART}+$"
MAX_EMAIL_ADDRESS = 254
EmailAddress = Annotated[
    str, StringConstraints(max_length=MAX_EMAIL_ADDRESS, pattern=EMAIL_ADDRESS_PATTERN)
]
"""One email address, plain (no name with it), as a mail header takes it."""


def is_email_address(text: str) -> bool:
    """Whether `text` is an `EmailAddress` (one kept before the rule was may not be)."""
    return len(text) <= MAX_EMAIL_ADDRESS and re.fullmatch(EMAIL_ADDRESS_PATTERN, text) is not None


Pence = Annotated[int, Ge(0), Le(MAX_PENCE)]
SignedPence = Annotated[int, Ge(-MAX_PENCE), Le(MAX_PENCE)]
MAX_EVENT_ITEMS = 10_000
"""Entries in one of an event's lists: more than fit in an event (shared/uow.py MAX_EVENT_BYTES)."""
MAX_LINE_PENCE = 2 * MAX_QUANTITY * MAX_PENCE
"""A line's amount: its quantity at the highest unit price, with room for its VAT."""
MAX_TOTAL_PENCE = MAX_EVENT_ITEMS * MAX_LINE_PENCE
"""A sum of an event's lines: far inside the 64-bit integer PostgreSQL's BIGINT holds."""
LinePence = Annotated[int, Ge(0), Le(MAX_LINE_PENCE)]
TotalPence = Annotated[int, Ge(0), Le(MAX_TOTAL_PENCE)]
SignedTotalPence = Annotated[int, Ge(-MAX_TOTAL_PENCE), Le(MAX_TOTAL_PENCE)]
Quantity = Annotated[int, Ge(1), Le(MAX_QUANTITY)]
Count = Annotated[int, Ge(0), Le(MAX_COUNT)]
MAX_JSON_INTEGER = 2**53 - 1
"""The largest integer every JSON reader holds exactly (a JavaScript number rounds past it)."""
ClockVersion = Annotated[int, Ge(0), Le(MAX_JSON_INTEGER)]
"""A version counted in microseconds since 1970 (in the last year the business can mean, under
half this bound): one that keeps rising across a rebuild of the database that counts it."""
Urn = Annotated[int, Ge(URNS.start), Le(URNS.stop - 1)]
"""A school's unique reference number, as the DfE issues them (six digits)."""
Measurement = Annotated[float, Ge(-MAX_MEASUREMENT), Le(MAX_MEASUREMENT)]
StandardDeviation = Annotated[float, Ge(MIN_SPREAD), Le(MAX_MEASUREMENT)]
"""A group's reported spread, in the measure's units: more than none, since an effect size is
divided by it."""
PageNumber = Annotated[int, Ge(1), Le(10_000)]
PageSize = Annotated[int, Ge(1), Le(200)]
Offset = Annotated[int, Ge(0), Le(1_000_000)]

_FIRST_DAY, _LAST_DAY = date(FIRST_YEAR, 1, 1), date(LAST_YEAR, 12, 31)


@dataclass(frozen=True)
class _Between:
    """Bounds a date or a moment, and says so in the JSON schema: a string has no `minimum`
    there, so the bounds go in `formatMinimum` and `formatMaximum` (which ajv understands)."""

    first: date
    last: date

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return handler(Annotated[source, Ge(self.first), Le(self.last)])

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        json_schema = handler(schema)
        json_schema["formatMinimum"] = self.first.isoformat()
        json_schema["formatMaximum"] = self.last.isoformat()
        return json_schema


Day = Annotated[date, _Between(_FIRST_DAY, _LAST_DAY)]
"""A date the business can mean: far enough from year 9999 that date arithmetic never overflows."""
Moment = Annotated[
    datetime,
    _Between(
        datetime.combine(_FIRST_DAY, time.min, UTC), datetime.combine(_LAST_DAY, time.max, UTC)
    ),
]
"""A moment in the days the business can mean: one near year 1 or 9999 overflows when it is
moved to UTC."""


def _in_range(year: str, *, first: int = FIRST_YEAR) -> None:
    if not first <= int(year) <= LAST_YEAR:
        raise ValueError(f"the year must be between {first} and {LAST_YEAR}")


def _consecutive_years(separator: str) -> Any:
    def consecutive(value: str) -> str:
        start, end = value.split(separator)
        # a year that begins in April or September holds the first days of January: that of
        # 1 January 1990 began in 1989 (a ledger posting that day is in 1989-90)
        _in_range(start, first=FIRST_YEAR - 1)
        if (int(start) + 1) % 100 != int(end):
            raise ValueError(f"the second year must follow the first, e.g. 2026{separator}27")
        return value

    return AfterValidator(consecutive)


FinancialYear = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{4}-[0-9]{2}$"), _consecutive_years("-")
]
"""An April-to-March financial year: '2026-27'."""
AcademicYear = Annotated[
    str, StringConstraints(pattern=r"^[0-9]{4}/[0-9]{2}$"), _consecutive_years("/")
]
"""A September-to-August academic year: '2026/27'."""


def _month_in_range(value: str) -> str:
    _in_range(value[:4])
    return value


Month = Annotated[
    str,
    StringConstraints(pattern=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
    AfterValidator(_month_in_range),
]
"""A calendar month: '2026-04'."""

Items = MaxLen(MAX_ITEMS)
"""Bounds a list: `Annotated[list[X], Items]`."""
EventItems = MaxLen(MAX_EVENT_ITEMS)
"""Bounds a list an event carries (an order's lines, a transaction's postings)."""
