"""Key performance indicators of a contract, the actuals reported against them, and the service
credit a missed KPI can carry, which comes off the LA's next invoices, oldest credit first."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from uuid import UUID, uuid4

from shared.dates import refuse_future
from shared.errors import Conflict, Invalid
from shared.measurements import format_measurement
from shared.money import Amounts, VatRate, vat_on


@dataclass(frozen=True)
class ServiceCredit:
    id: UUID
    contract_id: UUID
    kpi_id: UUID
    net_pence: int
    reason: str
    earned_on: date
    invoice_id: UUID | None = None
    applied_on: date | None = None
    # the credit as its miss earned it, when this is the rest of it an invoice could not take
    earned_as_id: UUID | None = None

    @property
    def earned_as(self) -> UUID:
        """The id of the credit as earned, which its actual names, whichever part this is."""
        return self.earned_as_id or self.id

    def applied_to(self, invoice_id: UUID, *, on: date) -> ServiceCredit:
        return replace(self, invoice_id=invoice_id, applied_on=on)

    def split(self, net_pence: int) -> tuple[ServiceCredit, ServiceCredit]:
        """The first `net_pence` of this credit, and the rest as a credit of its own for the
        same miss, so that an invoice too small for the whole takes what it can."""
        if not 0 < net_pence < self.net_pence:
            raise ValueError(f"cannot split {net_pence}p from a credit of {self.net_pence}p")
        rest = replace(
            self, id=uuid4(), net_pence=self.net_pence - net_pence, earned_as_id=self.earned_as
        )
        return replace(self, net_pence=net_pence), rest


@dataclass(frozen=True)
class EarnedCredit:
    """The service credit one miss earned, as it now stands: the parts invoices took of it and
    the part, if any, still waiting for the next. What its actual reads."""

    parts: list[ServiceCredit]

    def __post_init__(self) -> None:
        if not self.parts or len({part.earned_as for part in self.parts}) != 1:
            raise ValueError("an earned credit is the parts of one credit")

    @property
    def id(self) -> UUID:
        return self.parts[0].earned_as

    @property
    def reason(self) -> str:
        return self.parts[0].reason

    @property
    def earned_on(self) -> date:
        return self.parts[0].earned_on

    @property
    def net_pence(self) -> int:
        return sum(part.net_pence for part in self.parts)

    @property
    def waiting_pence(self) -> int:
        return sum(part.net_pence for part in self.parts if part.invoice_id is None)


@dataclass(frozen=True)
class KpiReport:
    id: UUID
    kpi_id: UUID
    period: str
    actual: float
    reported_on: date
    met: bool
    service_credit_id: UUID | None = None


@dataclass(frozen=True)
class Kpi:
    id: UUID
    contract_id: UUID
    title: str
    target: float
    higher_is_better: bool = True
    service_credit_pence: int = 0

    @classmethod
    def define(
        cls,
        *,
        contract_id: UUID,
        title: str,
        target: float,
        higher_is_better: bool = True,
        service_credit_pence: int = 0,
    ) -> Kpi:
        if service_credit_pence < 0:
            raise Invalid("a service credit cannot be negative", field="service_credit_pence")
        return cls(uuid4(), contract_id, title, target, higher_is_better, service_credit_pence)

    def met_by(self, actual: float) -> bool:
        return actual >= self.target if self.higher_is_better else actual <= self.target

    def report(
        self, *, period: str, actual: float, on: date, reported_periods: set[str], today: date
    ) -> tuple[KpiReport, ServiceCredit | None]:
        """The report of one period's actual; a miss earns the LA the KPI's service credit."""
        refuse_future(
            on,
            today=today,
            refusal="an actual cannot be reported in the future",
            field="reported_on",
        )
        if period in reported_periods:
            raise Conflict(f"{self.title!r} already has an actual for {period}", field="period")
        met = self.met_by(actual)
        credit = None
        if not met and self.service_credit_pence:
            credit = ServiceCredit(
                id=uuid4(),
                contract_id=self.contract_id,
                kpi_id=self.id,
                net_pence=self.service_credit_pence,
                earned_on=on,
                reason=(
                    f"{self.title}: {format_measurement(actual)} against a target of "
                    f"{format_measurement(self.target)} in {period}"
                ),
            )
        report = KpiReport(
            id=uuid4(),
            kpi_id=self.id,
            period=period,
            actual=actual,
            reported_on=on,
            met=met,
            service_credit_id=credit.id if credit else None,
        )
        return report, credit


@dataclass(frozen=True)
class TakenOff:
    """What an invoice takes of the pending credits: those it takes (the last perhaps only in
    part) and the part of a credit too large for it, still pending."""

    applied: list[ServiceCredit]
    carried: ServiceCredit | None = None


def to_take_off(pending: list[ServiceCredit], *, invoice_net_pence: int) -> TakenOff:
    """The pending credits an invoice of this net takes, oldest first, until its net is used
    up: a credit larger than what is left is taken in part and the rest waits for the next
    invoice, so an invoice is never reduced below nothing and a large credit never lets a later
    one jump it. What the sign-off page shows, before the invoice is raised."""
    taken: list[ServiceCredit] = []
    room = invoice_net_pence
    for credit in sorted(pending, key=lambda c: c.earned_on):
        if room == 0:
            break
        if credit.net_pence > room:
            part, rest = credit.split(room)
            return TakenOff([*taken, part], carried=rest)
        taken.append(credit)
        room -= credit.net_pence
    return TakenOff(taken)


def take_off_invoice(
    pending: list[ServiceCredit], *, invoice_id: UUID, invoice_net_pence: int, on: date
) -> TakenOff:
    """Apply to an invoice the pending credits it takes (`to_take_off`)."""
    taken = to_take_off(pending, invoice_net_pence=invoice_net_pence)
    applied = [credit.applied_to(invoice_id, on=on) for credit in taken.applied]
    return TakenOff(applied, carried=taken.carried)


def credited_amounts(credits: list[ServiceCredit], rate: VatRate) -> dict[UUID, Amounts]:
    """What each credit applied to one invoice takes off it, oldest first. VAT is rounded on the
    running total of the credits' net, not on each credit: together they take off the VAT on
    their total, so never more than the invoice's VAT (their net never exceeds its net), and all
    of it when they take all its net. The invoice's page, its PDF and the ledger use this."""
    taken: dict[UUID, Amounts] = {}
    net_before = 0
    for credit in sorted(credits, key=lambda c: (c.earned_on, c.id)):
        net_after = net_before + credit.net_pence
        vat = vat_on(net_after, rate) - vat_on(net_before, rate)
        taken[credit.id] = Amounts(net=credit.net_pence, vat=vat)
        net_before = net_after
    return taken
