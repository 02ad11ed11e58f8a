"""A service's tariffs on the catalogue admin's form. For each kind of school the admin picks
the kind of tariff and types its terms in pounds; bands are rows of "from pupils" and a price.
The kinds and their terms are the catalogue's own models (shared/tariffs.py), read here to lay
out the form and to check what was typed before it is sent: nothing is parsed twice."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from services.portal.domain.forms import FormErrors, Unreadable, pence_from_pounds, whole_number
from shared.money import plain_pounds
from shared.tariffs import KINDS, PHASES_PRICED, Prices, tariff_adapter

WHO = {
    "maintained": "Maintained schools in the county",
    "academy": "Academies",
    "out_of_area": "Schools outside the county",
}
KIND_LABELS = {
    "flat": "One price for every school",
    "banded_by_pupils": "By pupils on roll, in bands",
    "per_pupil": "Per pupil, with a minimum and a maximum",
    "flat_plus_per_pupil": "A fixed part plus an amount per pupil",
    "per_pupil_by_phase": "Per pupil, a rate for each phase",
    "day_rate": "A day rate, with half days",
}
TERM_LABELS = {
    "pence": "Price",
    "half_day_pence": "Half a day (leave blank for half the day rate)",
    "per_pupil_pence": "Each pupil",
    "minimum_pence": "Minimum (optional)",
    "maximum_pence": "Maximum (optional)",
    "primary_pence": "Each primary pupil (optional)",
    "secondary_pence": "Each secondary pupil (optional)",
    "all_through_pence": "Each pupil in an all-through school (optional)",
    "special_pence": "Each pupil in a special school (optional)",
    "nursery_pence": "Each nursery pupil (optional)",
}
OWN_LABELS = {("flat_plus_per_pupil", "pence"): "Fixed part", ("day_rate", "pence"): "A day"}
RATES = {"per_pupil_pence", *(f"{phase.replace('-', '_')}_pence" for phase in PHASES_PRICED)}
BAND_ROWS = 6


@dataclass(frozen=True)
class Term:
    field_id: str
    label: str


@dataclass(frozen=True)
class Kind:
    value: str
    label: str
    terms: tuple[Term, ...]
    bands: tuple[tuple[str, str], ...]  # (from pupils field id, price field id) per row


def kinds_for(who: str) -> list[Kind]:
    """What the form offers for one kind of school, each kind with its own fields."""
    return [
        Kind(
            value=kind,
            label=KIND_LABELS[kind],
            terms=tuple(
                Term(f"{who}-{kind}-{name}", OWN_LABELS.get((kind, name), TERM_LABELS[name]))
                for name in _money_terms(kind)
            ),
            bands=tuple(
                (f"{who}-{kind}-band{row}-from", f"{who}-{kind}-band{row}-pence")
                for row in range(BAND_ROWS)
            )
            if kind == "banded_by_pupils"
            else (),
        )
        for kind in KIND_LABELS
    ]


def prices_from_form(form: Mapping[str, str], errors: FormErrors) -> dict[str, Any] | None:
    """The tariffs typed, as the catalogue takes them, or None with errors on the form."""
    before = len(errors.found)
    found = {who: _tariff(form, errors, who) for who in WHO}
    if len(errors.found) > before:
        return None
    return {who: tariff for who, tariff in found.items() if tariff is not None}


def form_from_prices(prices: Prices) -> dict[str, str]:
    """The form filled with the tariffs in force, in pounds."""
    form: dict[str, str] = {}
    for who in WHO:
        tariff = getattr(prices, who)
        if tariff is None:
            continue
        terms = tariff.model_dump(exclude_none=True)
        kind = terms.pop("kind")
        form[f"{who}-kind"] = kind
        for row, band in enumerate(terms.pop("bands", ())):
            form[f"{who}-{kind}-band{row}-from"] = str(band["from_pupils"])
            form[f"{who}-{kind}-band{row}-pence"] = plain_pounds(band["pence"])
        form.update({f"{who}-{kind}-{name}": plain_pounds(pence) for name, pence in terms.items()})
    return form


def amounts_of(tariff: Mapping[str, Any]) -> tuple[int, ...]:
    """A tariff's prices (not its per-pupil rates) for the unusual-price check."""
    prices = [v for k, v in tariff.items() if k.endswith("pence") and k not in RATES]
    bands = [band["pence"] for band in tariff.get("bands", ())]
    return tuple(p for p in [*prices, *bands] if isinstance(p, int))


def _tariff(form: Mapping[str, str], errors: FormErrors, who: str) -> dict[str, Any] | None:
    kind = form.get(f"{who}-kind", "")
    if not kind:
        if who == "maintained":
            errors.add(f"{who}-kind", f"{WHO[who]}: choose how the price is worked out")
        return None
    if kind not in KIND_LABELS:
        errors.add(f"{who}-kind", f"{WHO[who]}: choose one of the kinds of price listed")
        return None
    before = len(errors.found)
    terms: dict[str, Any] = {"kind": kind}
    for name in _money_terms(kind):
        field_id = f"{who}-{kind}-{name}"
        typed = form.get(field_id, "").strip()
        if typed:
            terms[name] = errors.read(
                _pence_of(typed), field_id=field_id, what=TERM_LABELS[name].split(" (")[0].lower()
            )
    if kind == "banded_by_pupils":
        terms["bands"] = _bands(form, errors, f"{who}-{kind}")
    if len(errors.found) > before:
        return None
    try:
        checked = tariff_adapter.validate_python(terms)
    except ValidationError as refused:
        problem = refused.errors()[0]
        term = [str(part) for part in problem["loc"]][1:2] or [""]
        field_id = {"bands": f"{who}-{kind}-band0-from", "": f"{who}-kind"}.get(
            term[0], f"{who}-{kind}-{term[0]}"
        )
        errors.add(field_id, f"{WHO[who]}: {str(problem['msg']).removeprefix('Value error, ')}")
        return None
    return dict(tariff_adapter.dump_python(checked, mode="json"))


def _bands(form: Mapping[str, str], errors: FormErrors, prefix: str) -> list[dict[str, int]]:
    bands = []
    for row in range(BAND_ROWS):
        start, price = (form.get(f"{prefix}-band{row}-{p}", "").strip() for p in ("from", "pence"))
        if not (start or price):
            continue
        try:
            bands.append({"from_pupils": whole_number(start), "pence": pence_from_pounds(price)})
        except Unreadable as problem:
            errors.add(f"{prefix}-band{row}-from", f"Band {row + 1}: enter {problem}")
    return bands


def _money_terms(kind: str) -> list[str]:
    model = next(m for m in KINDS if m.model_fields["kind"].default == kind)
    return [name for name in model.model_fields if name not in ("kind", "bands")]


def _pence_of(typed: str) -> Callable[[], int]:
    return lambda: pence_from_pounds(typed)
