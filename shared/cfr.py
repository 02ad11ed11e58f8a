"""The DfE's Consistent Financial Reporting (CFR) expenditure codes: what a maintained school
books a purchase against. The catalogue gives each service one; the ledger reports traded income
by it, so the LA can see what schools bought in the words of their own returns."""

from __future__ import annotations

from typing import Annotated

from pydantic import AfterValidator, StringConstraints

# The expenditure headings of the CFR framework (E28 is split since 2018-19 into E28a, bought-in
# professional services other than PFI, and E28b, PFI).
CFR_EXPENDITURE = {
    "E01": "Teaching staff",
    "E02": "Supply teaching staff",
    "E03": "Education support staff",
    "E04": "Premises staff",
    "E05": "Administrative and clerical staff",
    "E06": "Catering staff",
    "E07": "Cost of other staff",
    "E08": "Indirect employee expenses",
    "E09": "Development and training",
    "E10": "Supply teacher insurance",
    "E11": "Staff-related insurance",
    "E12": "Building maintenance and improvement",
    "E13": "Grounds maintenance and improvement",
    "E14": "Cleaning and caretaking",
    "E15": "Water and sewerage",
    "E16": "Energy",
    "E17": "Rates",
    "E18": "Other occupation costs",
    "E19": "Learning resources (not ICT equipment)",
    "E20": "ICT learning resources",
    "E21": "Examination fees",
    "E22": "Administrative supplies",
    "E23": "Other insurance premiums",
    "E24": "Special facilities",
    "E25": "Catering supplies",
    "E26": "Agency supply teaching staff",
    "E27": "Bought-in professional services – curriculum",
    "E28a": "Bought-in professional services – other (except PFI)",
    "E28b": "Bought-in professional services – other (PFI)",
    "E29": "Loan interest",
    "E30": "Direct revenue financing (revenue contributions to capital)",
    "E31": "Community-focused school staff",
    "E32": "Community-focused school costs",
}


def cfr_title(code: str | None) -> str:
    return CFR_EXPENDITURE.get(code or "", "")


def _known(code: str) -> str:
    if code not in CFR_EXPENDITURE:
        raise ValueError(f"{code} is not a CFR expenditure code (E01 to E32, E28a or E28b)")
    return code


CfrCode = Annotated[str, StringConstraints(max_length=4), AfterValidator(_known)]
