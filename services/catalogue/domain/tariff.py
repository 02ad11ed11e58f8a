"""What one tariff charges one school, with the rule in words ("£3.50 per pupil × 415 pupils,
minimum £900.00"). The tariffs' terms are data (shared/tariffs.py); the arithmetic is here."""

from __future__ import annotations

from dataclasses import dataclass

from shared.errors import Invalid
from shared.limits import MAX_PENCE
from shared.money import format_pounds
from shared.tariffs import (
    PHASES_PRICED,
    BandedByPupils,
    DayRate,
    Flat,
    FlatPlusPerPupil,
    PerPupil,
    PerPupilByPhase,
    Tariff,
)


@dataclass(frozen=True)
class Priced:
    unit_pence: int
    rule: str


def price(tariff: Tariff, *, pupils: int | None, phase: str, half_day: bool = False) -> Priced:
    """One unit's price (a year, a place, a day; half a day when `half_day`) for a school with
    `pupils` on roll in `phase` (primary, secondary, special or nursery)."""
    if half_day and not isinstance(tariff, DayRate):
        raise Invalid("only a day rate is booked by the half-day", field="half_days")
    priced = _price(tariff, pupils=pupils, phase=phase, half_day=half_day)
    if priced.unit_pence > MAX_PENCE:
        raise Invalid(f"{priced.rule} is more than the catalogue can charge", field="urn")
    return priced


def _price(tariff: Tariff, *, pupils: int | None, phase: str, half_day: bool) -> Priced:
    match tariff:
        case Flat():
            return Priced(tariff.pence, "fixed price")
        case DayRate():
            return _by_the_day(tariff, half_day=half_day)
        case BandedByPupils():
            return _banded(tariff, _on_roll(pupils))
        case PerPupil():
            return _clamped(tariff, tariff.per_pupil_pence, _on_roll(pupils), "")
        case PerPupilByPhase():
            rate = tariff.rate_for(phase)
            if rate is None:
                raise Invalid(f"this service has no price for {phase} schools", field="urn")
            return _clamped(tariff, rate, _on_roll(pupils), f" ({phase} rate)")
        case FlatPlusPerPupil():
            on_roll = _on_roll(pupils)
            per_pupil = tariff.per_pupil_pence * on_roll
            return Priced(
                tariff.pence + per_pupil,
                f"{format_pounds(tariff.pence)} plus {_per_pupil(tariff.per_pupil_pence, on_roll)}",
            )


def in_words(tariff: Tariff) -> str:
    """The tariff's terms as a person reads them, in pounds."""
    match tariff:
        case Flat():
            return format_pounds(tariff.pence)
        case DayRate():
            half = tariff.half_day_pence
            half_text = format_pounds(half) if half is not None else "half the day rate"
            return f"{format_pounds(tariff.pence)} a day, {half_text} a half-day"
        case BandedByPupils():
            return "by pupils on roll: " + "; ".join(
                f"{_band_label(tariff, index)}, {format_pounds(band.pence)}"
                for index, band in enumerate(tariff.bands)
            )
        case PerPupil():
            return f"{format_pounds(tariff.per_pupil_pence)} a pupil{_limits(tariff)}"
        case PerPupilByPhase():
            rates = ", ".join(
                f"{phase} {format_pounds(rate)}"
                for phase in PHASES_PRICED
                if (rate := tariff.rate_for(phase)) is not None
            )
            return f"a pupil by phase: {rates}{_limits(tariff)}"
        case FlatPlusPerPupil():
            return (
                f"{format_pounds(tariff.pence)} plus {format_pounds(tariff.per_pupil_pence)} "
                "a pupil"
            )


def headline_pence(tariff: Tariff) -> int:
    """The least any school pays under this tariff: the price the catalogue announces."""
    match tariff:
        case Flat() | DayRate() | FlatPlusPerPupil():
            return tariff.pence
        case BandedByPupils():
            return min(band.pence for band in tariff.bands)
        case PerPupil() | PerPupilByPhase():
            return tariff.minimum_pence


def halved(pence: int) -> int:
    """Half of an amount, a half penny rounded up (as VAT is)."""
    return (pence + 1) // 2


def _on_roll(pupils: int | None) -> int:
    if pupils is None:
        raise Invalid("this price depends on the number on roll, which is unknown", field="urn")
    return pupils


def _by_the_day(tariff: DayRate, *, half_day: bool) -> Priced:
    if not half_day:
        return Priced(tariff.pence, f"{format_pounds(tariff.pence)} a day")
    if tariff.half_day_pence is not None:
        return Priced(tariff.half_day_pence, f"{format_pounds(tariff.half_day_pence)} a half-day")
    half = halved(tariff.pence)
    return Priced(half, f"half the day rate of {format_pounds(tariff.pence)}, to the penny")


def _banded(tariff: BandedByPupils, pupils: int) -> Priced:
    index = max(i for i, band in enumerate(tariff.bands) if band.from_pupils <= pupils)
    label = _band_label(tariff, index)
    return Priced(tariff.bands[index].pence, f"band {label} ({pupils:,} on roll)")


def _band_label(tariff: BandedByPupils, index: int) -> str:
    low = tariff.bands[index].from_pupils
    if index + 1 == len(tariff.bands):
        return f"{low:,} pupils or more"
    return f"{low:,}–{tariff.bands[index + 1].from_pupils - 1:,} pupils"


def _clamped(tariff: PerPupil | PerPupilByPhase, rate: int, pupils: int, which: str) -> Priced:
    raw = rate * pupils
    rule = _per_pupil(rate, pupils) + which
    if raw < tariff.minimum_pence:
        return Priced(
            tariff.minimum_pence,
            f"{rule} = {format_pounds(raw)}, raised to the minimum of "
            f"{format_pounds(tariff.minimum_pence)}",
        )
    if tariff.maximum_pence is not None and raw > tariff.maximum_pence:
        return Priced(
            tariff.maximum_pence,
            f"{rule} = {format_pounds(raw)}, capped at the maximum of "
            f"{format_pounds(tariff.maximum_pence)}",
        )
    return Priced(raw, f"{rule}{_limits(tariff)}")


def _per_pupil(rate: int, pupils: int) -> str:
    return f"{format_pounds(rate)} per pupil × {pupils:,} pupils"


def _limits(tariff: PerPupil | PerPupilByPhase) -> str:
    parts = [f"minimum {format_pounds(tariff.minimum_pence)}"] if tariff.minimum_pence else []
    if tariff.maximum_pence is not None:
        parts.append(f"maximum {format_pounds(tariff.maximum_pence)}")
    return "".join(f", {part}" for part in parts)
