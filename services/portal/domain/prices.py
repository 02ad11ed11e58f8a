"""Catalogue price rules between people and the catalogue. People type pounds; the catalogue
keeps its rules in pence: '325000', 'bands 0-200:250000 201+:325000',
'per-pupil 1200 min 150000 max 600000'."""

from __future__ import annotations

from dataclasses import dataclass

from services.portal.domain.forms import Unreadable, pence_from_pounds
from shared.money import format_pounds as pounds

# A price outside these bounds is more often a slip (pence typed as pounds, a zero too many)
# than meant, so the admin is asked to confirm it.
LOWEST_USUAL_PENCE = 100
HIGHEST_USUAL_PENCE = 5_000_000  # £50,000, well above any one school's price in the catalogue

RULE_SHAPES = "395.00, 'bands 0-200:2500 201+:3250' or 'per-pupil 12 min 1500 max 6000'"


@dataclass(frozen=True)
class PriceRule:
    """A rule typed in pounds, as the catalogue's pence rule, with every amount it names."""

    pence_rule: str
    amounts_pence: tuple[int, ...]


def rule_from_pounds(text: str) -> PriceRule:
    """'395', '395.00' and '£395.00' all mean £395.00; bands and per-pupil rules take pounds
    too. The catalogue checks the rule's shape further (bands without gaps, min below max)."""
    cleaned = text.strip()
    try:
        return _single(cleaned)
    except Unreadable:
        pass
    words = cleaned.split()
    if len(words) > 1 and words[0] == "bands":
        bands = [_band(word, cleaned) for word in words[1:]]
        return PriceRule(
            "bands " + " ".join(f"{span}:{pence}" for span, pence in bands),
            tuple(pence for _, pence in bands),
        )
    if len(words) in (4, 6) and words[0] == "per-pupil" and words[2] == "min":
        if len(words) == 6 and words[4] != "max":
            raise _not_a_price(cleaned)
        amounts = tuple(_amount(words[i], cleaned) for i in range(1, len(words), 2))
        keywords = ("per-pupil", "min", "max")
        return PriceRule(
            " ".join(f"{word} {pence}" for word, pence in zip(keywords, amounts, strict=False)),
            amounts,
        )
    raise _not_a_price(cleaned)


def unusual(amounts_pence: tuple[int, ...]) -> list[int]:
    """The amounts a person should confirm: below £1 or above the usual ceiling."""
    return [a for a in amounts_pence if not LOWEST_USUAL_PENCE <= a <= HIGHEST_USUAL_PENCE]


def why_unusual(pence: int) -> str:
    if pence < LOWEST_USUAL_PENCE:
        return f"{pounds(pence)} is less than {pounds(LOWEST_USUAL_PENCE)}"
    return f"{pounds(pence)} is more than {pounds(HIGHEST_USUAL_PENCE)}"


def pounds_rule(rule: str) -> str:
    """A catalogue rule in pence written back in pounds, to fill the form: '325000' -> '3250.00'.
    A rule this cannot read is given back as it was."""
    words = rule.split()
    try:
        if len(words) == 1:
            return _plain(int(words[0]))
        if words and words[0] == "bands":
            bands = (word.partition(":") for word in words[1:])
            return "bands " + " ".join(f"{span}:{_plain(int(p))}" for span, _, p in bands)
        if words and words[0] == "per-pupil":
            return " ".join(w if i % 2 == 0 else _plain(int(w)) for i, w in enumerate(words))
    except ValueError:
        pass
    return rule


def in_words(rule: str) -> str:
    """The rule in pounds; a rule this cannot read is shown as it was written."""
    words = rule.split()
    try:
        if len(words) == 1:
            return pounds(int(words[0]))
        if words[0] == "bands":
            return "by pupils on roll: " + "; ".join(_band_in_words(word) for word in words[1:])
        if words[0] == "per-pupil" and len(words) in (4, 6):
            text = f"{pounds(int(words[1]))} a pupil, at least {pounds(int(words[3]))}"
            return text + (f", at most {pounds(int(words[5]))}" if len(words) == 6 else "")
    except (ValueError, IndexError):
        pass
    return rule


def _single(text: str) -> PriceRule:
    pence = pence_from_pounds(text)
    return PriceRule(str(pence), (pence,))


def _band(word: str, rule: str) -> tuple[str, int]:
    span, colon, amount = word.partition(":")
    if not colon or not span:
        raise _not_a_price(rule)
    return span, _amount(amount, rule)


def _amount(word: str, rule: str) -> int:
    try:
        return pence_from_pounds(word)
    except Unreadable as error:
        raise _not_a_price(rule) from error


def _not_a_price(rule: str) -> Unreadable:
    return Unreadable(f"'{rule}' is not a price: write it in pounds, like {RULE_SHAPES}")


def _plain(pence: int) -> str:
    return f"{pence // 100}.{pence % 100:02d}"


def _band_in_words(word: str) -> str:
    span, _, pence = word.partition(":")
    if span.endswith("+"):
        return f"{span[:-1]} or more, {pounds(int(pence))}"
    low, _, high = span.partition("-")
    return f"{int(low)} to {int(high)}, {pounds(int(pence))}"
