"""A catalogue price rule as a person reads it. The catalogue writes its rules in pence:
'325000', 'bands 0-200:250000 201+:325000', 'per-pupil 1200 min 150000 max 600000'."""

from __future__ import annotations

from shared.money import format_pounds as pounds


def in_words(rule: str) -> str:
    """The rule in pounds; a rule this cannot read is shown as it was written."""
    words = rule.split()
    try:
        if len(words) == 1:
            return pounds(int(words[0]))
        if words[0] == "bands":
            return "by pupils on roll: " + "; ".join(_band(word) for word in words[1:])
        if words[0] == "per-pupil" and len(words) in (4, 6):
            text = f"{pounds(int(words[1]))} a pupil, at least {pounds(int(words[3]))}"
            return text + (f", at most {pounds(int(words[5]))}" if len(words) == 6 else "")
    except (ValueError, IndexError):
        pass
    return rule


def _band(word: str) -> str:
    span, _, pence = word.partition(":")
    if span.endswith("+"):
        return f"{span[:-1]} or more, {pounds(int(pence))}"
    low, _, high = span.partition("-")
    return f"{int(low)} to {int(high)}, {pounds(int(pence))}"
