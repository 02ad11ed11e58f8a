"""The largest instance of an event contract, built from its own field constraints: every text
at its longest, every number at its largest, every optional field given, every list holding one
such item, and every date at the contract's last day (or its first). A new event, or a new
field, is covered without a word here; a new kind of patterned text needs an example below."""

from __future__ import annotations

import types
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import Enum
from typing import Annotated, Any, Literal, TypeVar, Union, get_args, get_origin
from uuid import uuid4

from annotated_types import MinLen
from pydantic import BaseModel, TypeAdapter, ValidationError

from shared.bounds import EMAIL_ADDRESS_PATTERN, MAX_EMAIL_ADDRESS, Line, Paragraph
from shared.calendar import academic_year, financial_year
from shared.events import Envelope, Event
from shared.limits import FIRST_YEAR, LAST_YEAR

M = TypeVar("M", bound=BaseModel)
End = Literal["last", "first"]
Size = Literal["largest", "smallest"]

# What text is filled with: printable, not all ASCII, and no two neighbours alike.
FILLING = "Église Saint-Étienne's Church of England Voluntary Aided Academy, "


def filled(length: int) -> str:
    return (FILLING * (length // len(FILLING) + 1))[:length]


def _email(_end: End) -> str:
    domain = ".example"
    local = "a" * 64
    return f"{local}@{'d' * (MAX_EMAIL_ADDRESS - len(local) - 1 - len(domain))}{domain}"


DAYS: dict[End, date] = {"first": date(FIRST_YEAR, 1, 1), "last": date(LAST_YEAR, 12, 31)}
"""The days the business can mean begin and end on (shared.bounds.Day)."""

# Texts a pattern shapes, as they read on the first or the last of those days.
PATTERNED: dict[str, Callable[[End], str]] = {
    r"^[0-9]{4}-[0-9]{2}$": lambda end: financial_year(DAYS[end]),
    r"^[0-9]{4}/[0-9]{2}$": lambda end: academic_year(DAYS[end]),
    r"^[0-9]{4}-(0[1-9]|1[0-2])$": lambda end: f"{DAYS[end]:%Y-%m}",
    EMAIL_ADDRESS_PATTERN: _email,
}
# What one-line text and prose refuse (control characters), which any filling keeps to.
PRINTABLE = {TypeAdapter(text).json_schema()["pattern"] for text in (Line, Paragraph)}

AMOUNTS = ("net_pence", "vat_pence", "gross_pence")


def largest(model: type[M], *, end: End = "last", size: Size = "largest") -> M:
    """`model` at its largest (or, with `size="smallest"`, at its smallest: every number at its
    least, every text at its shortest, every optional field left out, every list as short as
    it may be), validated by the model itself."""
    try:
        return model.model_validate(_fields_of(model, Shape(end, size)))
    except ValidationError as refused:
        raise AssertionError(
            f"the {size} {model.__name__} built from its constraints is refused: {refused}; "
            "teach tests/support/largest_events.py what it needs"
        ) from refused


def largest_envelope(
    event: type[Event], *, end: End = "last", size: Size = "largest"
) -> Envelope[Any]:
    """The largest (or smallest) instance of `event`, in an envelope whose own texts are at
    their longest."""
    fields = Envelope.model_fields
    longest = {
        name: filled(_most(fields[name].annotation, fields[name].metadata, "maxLength"))
        for name in ("correlation_id", "traceparent")
    }
    return Envelope.of(
        largest(event, end=end, size=size),
        correlation_id=longest["correlation_id"],
        traceparent=longest["traceparent"],
    )


@dataclass(frozen=True)
class Shape:
    end: End  # the days: the last the business can mean, or the first
    size: Size

    @property
    def smallest(self) -> bool:
        return self.size == "smallest"


def _fields_of(model: type[BaseModel], shape: Shape) -> dict[str, Any]:
    fields = model.model_fields
    values = {
        name: _value(field.annotation, list(field.metadata), name, shape)
        for name, field in fields.items()
        if not (shape.smallest and not field.is_required())
    }
    if all(name in values for name in AMOUNTS):  # the ledger's postings balance: gross = net + VAT
        if shape.smallest:
            most = max(_least(fields[n].annotation, fields[n].metadata) for n in AMOUNTS)
        else:
            most = min(_most(fields[n].annotation, fields[n].metadata, "maximum") for n in AMOUNTS)
        values |= {"net_pence": most - most // 6, "vat_pence": most // 6, "gross_pence": most}
    return values


def _value(annotation: Any, metadata: list[Any], name: str, shape: Shape) -> Any:
    origin = get_origin(annotation)
    if origin is Annotated:
        inner, *more = get_args(annotation)
        return _value(inner, [*metadata, *more], name, shape)
    if origin in (Union, types.UnionType):
        arms = get_args(annotation)
        if shape.smallest and type(None) in arms:
            return None
        return _one_of([arm for arm in arms if arm is not type(None)], name, shape)
    if origin in (tuple, list):
        item = get_args(annotation)[0]
        least = max([0, *(m.min_length for m in metadata if isinstance(m, MinLen))])
        count = least if shape.smallest else max(1, least)
        return [_value(item, [], name, shape) for _ in range(count)]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return _fields_of(annotation, shape)
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return _by_length([member.value for member in annotation], shape)
    return _leaf(TypeAdapter(_annotated(annotation, metadata)).json_schema(), name, shape)


def _by_length(values: list[Any], shape: Shape) -> Any:
    pick = min if shape.smallest else max
    return pick(values, key=lambda value: len(str(value)))


def _one_of(arms: list[Any], name: str, shape: Shape) -> Any:
    """The first arm whose largest value its type accepts (a tariff's first kind, say)."""
    for arm in arms:
        value = _value(arm, [], name, shape)
        try:
            TypeAdapter(arm).validate_python(value)
        except ValidationError:
            continue
        return value
    raise AssertionError(f"no arm of {name} accepts its {shape.size} value")


def _leaf(schema: dict[str, Any], name: str, shape: Shape) -> Any:
    kind = schema.get("type")
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        return _by_length(schema["enum"], shape)
    if kind == "boolean":
        return not shape.smallest
    if kind in ("integer", "number"):
        return _least_of(schema, name) if shape.smallest else _most_of(schema, name)
    if kind != "string":
        raise AssertionError(f"{name}: no {shape.size} value of {schema}")
    if schema.get("format") == "uuid":
        return str(uuid4())
    if schema.get("format") in ("date", "date-time"):
        bound = schema.get("formatMaximum" if shape.end == "last" else "formatMinimum")
        if bound is None:
            raise AssertionError(f"{name} is a day without bounds")
        parse = date.fromisoformat if schema["format"] == "date" else datetime.fromisoformat
        return parse(bound)
    pattern = schema.get("pattern")
    if pattern and pattern not in PRINTABLE:
        if pattern not in PATTERNED:
            raise AssertionError(f"{name}: add an example of the pattern {pattern!r}")
        return PATTERNED[pattern](shape.end)
    if "maxLength" not in schema:
        raise AssertionError(f"{name} has no longest value")
    length = schema.get("minLength", 0) if shape.smallest else schema["maxLength"]
    if schema["maxLength"] == 36 and name.endswith("_id"):  # a UUID as text
        return str(uuid4())
    return filled(length)


def _most_of(schema: dict[str, Any], name: str) -> Any:
    if "maximum" not in schema:
        raise AssertionError(f"{name} has no largest value")
    return schema["maximum"]


def _least_of(schema: dict[str, Any], name: str) -> Any:
    if "minimum" in schema:
        return schema["minimum"]
    if "exclusiveMinimum" in schema:
        return schema["exclusiveMinimum"] + 1
    raise AssertionError(f"{name} has no smallest value")


def _least(annotation: Any, metadata: list[Any]) -> int:
    """The least value the type allows, of any arm of a union."""
    schema = TypeAdapter(_annotated(annotation, metadata)).json_schema()
    return min(int(arm.get("minimum", 0)) for arm in schema.get("anyOf", [schema]))


def _most(annotation: Any, metadata: list[Any], bound: str) -> int:
    """The largest `bound` (maxLength, maximum) the type allows, of any arm of a union."""
    schema = TypeAdapter(_annotated(annotation, metadata)).json_schema()
    return max(int(arm.get(bound, 0)) for arm in schema.get("anyOf", [schema]))


def _annotated(annotation: Any, metadata: list[Any]) -> Any:
    return Annotated[(annotation, *metadata)] if metadata else annotation
