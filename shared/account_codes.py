"""The part of a ledger account's code that names what the account is kept for: a traded
category, or the contract whose statutory income it holds."""

from __future__ import annotations

import re


def code_part(name: str) -> str:
    """'LA/2026/1' -> 'la-2026-1': lower case, each run of anything but letters and digits one
    hyphen. Names that differ only in case or punctuation give the same part, so commissioning
    refuses a contract reference whose part is another contract's: one account, one contract."""
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
