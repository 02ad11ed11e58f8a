"""How much one school pays per unit: a fixed price, a band by number on roll, or a per-pupil
rate kept between a minimum and a maximum. Written and read as a short text, the way catalogue
admins keep it in their spreadsheet:

    325000                                      fixed £3,250.00
    bands 0-200:250000 201-400:325000 401+:410000
    per-pupil 1200 min 150000 max 600000
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import Invalid
from shared.money import format_pounds


@dataclass(frozen=True)
class Priced:
    unit_pence: int
    rule: str


@dataclass(frozen=True)
class Fixed:
    pence: int

    def price(self, pupils: int | None) -> Priced:
        return Priced(self.pence, "fixed price")

    @property
    def headline_pence(self) -> int:
        return self.pence

    def text(self) -> str:
        return str(self.pence)


@dataclass(frozen=True)
class Band:
    low: int
    high: int | None  # None: and above
    pence: int

    def holds(self, pupils: int) -> bool:
        return self.low <= pupils and (self.high is None or pupils <= self.high)

    def label(self) -> str:
        return f"{self.low}+" if self.high is None else f"{self.low}–{self.high}"

    def text(self) -> str:
        upper = "+" if self.high is None else f"-{self.high}"
        return f"{self.low}{upper}:{self.pence}"


@dataclass(frozen=True)
class Banded:
    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        if not self.bands:
            raise Invalid("a banded price needs at least one band", field="price")
        for before, after in zip(self.bands, self.bands[1:], strict=False):
            if before.high is None or after.low != before.high + 1:
                raise Invalid(
                    f"bands must follow on without gaps or overlaps: {before.label()} then "
                    f"{after.label()}",
                    field="price",
                )

    def price(self, pupils: int | None) -> Priced:
        if pupils is None:
            raise Invalid("this price depends on the number on roll, which is unknown", field="urn")
        band = next((band for band in self.bands if band.holds(pupils)), None)
        if band is None:
            raise Invalid(f"no price band covers {pupils} pupils", field="urn")
        return Priced(band.pence, f"band {band.label()} pupils ({pupils:,} on roll)")

    @property
    def headline_pence(self) -> int:
        return self.bands[0].pence

    def text(self) -> str:
        return "bands " + " ".join(band.text() for band in self.bands)


@dataclass(frozen=True)
class PerPupil:
    rate_pence: int
    minimum_pence: int
    maximum_pence: int | None

    def __post_init__(self) -> None:
        if self.maximum_pence is not None and self.maximum_pence < self.minimum_pence:
            raise Invalid("a per-pupil maximum cannot be below its minimum", field="price")

    def price(self, pupils: int | None) -> Priced:
        if pupils is None:
            raise Invalid("this price depends on the number on roll, which is unknown", field="urn")
        raw = self.rate_pence * pupils
        rate = f"{format_pounds(self.rate_pence)} per pupil × {pupils:,} pupils"
        if raw < self.minimum_pence:
            return Priced(
                self.minimum_pence,
                f"{rate} = {format_pounds(raw)}, raised to the minimum of "
                f"{format_pounds(self.minimum_pence)}",
            )
        if self.maximum_pence is not None and raw > self.maximum_pence:
            return Priced(
                self.maximum_pence,
                f"{rate} = {format_pounds(raw)}, capped at the maximum of "
                f"{format_pounds(self.maximum_pence)}",
            )
        return Priced(raw, f"{rate}, {self._limits()}")

    def _limits(self) -> str:
        minimum = f"minimum {format_pounds(self.minimum_pence)}"
        if self.maximum_pence is None:
            return minimum
        return f"{minimum}, maximum {format_pounds(self.maximum_pence)}"

    @property
    def headline_pence(self) -> int:
        return self.minimum_pence

    def text(self) -> str:
        maximum = f" max {self.maximum_pence}" if self.maximum_pence is not None else ""
        return f"per-pupil {self.rate_pence} min {self.minimum_pence}{maximum}"


Tariff = Fixed | Banded | PerPupil


def parse_tariff(text: str, *, field: str = "price") -> Tariff:
    words = text.split()
    try:
        if len(words) == 1:
            return Fixed(_pence(words[0]))
        if words[0] == "bands":
            return Banded(tuple(_band(word) for word in words[1:]))
        if words[0] == "per-pupil" and len(words) in (4, 6) and words[2] == "min":
            maximum = _pence(words[5]) if len(words) == 6 and words[4] == "max" else None
            if len(words) == 6 and words[4] != "max":
                raise ValueError("expected 'max'")
            return PerPupil(_pence(words[1]), _pence(words[3]), maximum)
    except ValueError as error:
        raise Invalid(f"{text!r} is not a price: {error}", field=field) from error
    except Invalid as error:
        raise Invalid(error.message, field=field) from error
    raise Invalid(
        f"{text!r} is not a price: write pence (325000), 'bands 0-200:250000 201+:325000' "
        "or 'per-pupil 1200 min 150000 max 600000'",
        field=field,
    )


def _band(word: str) -> Band:
    span, _, pence = word.partition(":")
    if span.endswith("+"):
        return Band(_count(span[:-1]), None, _pence(pence))
    low, _, high = span.partition("-")
    band = Band(_count(low), _count(high), _pence(pence))
    if band.high is not None and band.high < band.low:
        raise ValueError(f"band {span} ends before it starts")
    return band


def _pence(text: str) -> int:
    if not text.isdigit():
        raise ValueError(f"{text!r} is not a whole number")
    return int(text)


_count = _pence
