"""What has been planned or done under a contract, which its term must still cover if it is
varied: the support brokered under it and the cases opened under it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from services.commissioning.domain.case import Case
from services.commissioning.domain.deployment import Deployment
from shared.calendar import long_date


@dataclass(frozen=True)
class WorkUnder:
    support: Sequence[Deployment] = ()
    cases: Sequence[Case] = ()  # open or closed: each was opened within the term

    def after(self, day: date) -> list[str]:
        """What falls after `day`, in words: support planned to start, or delivered, after it,
        and cases opened after it."""
        found = [
            f"support by {d.provider.name} for school {d.urn} "
            + (
                f"delivered on {long_date(d.completed_on)}"
                if d.completed_on
                else f"planned from {long_date(d.starts_on)}"
            )
            for d in self.support
            if (d.completed_on or d.starts_on) > day
        ]
        found += [
            f"a case for school {case.urn} opened on {long_date(case.opened_on)}"
            for case in self.cases
            if case.opened_on > day
        ]
        return found
