"""A statutory contract between the LA and the company: its register entry, its state, the
variations that changed it and the milestones it pays for."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from uuid import UUID, uuid4

from services.commissioning.domain.milestone import LaInvoice, Milestone
from services.commissioning.domain.particulars import FundingSource, Particulars
from services.commissioning.domain.terms import (
    Terms,
    Variation,
    VariationKind,
    annual_share,
    current_terms,
)
from services.commissioning.domain.work_under import WorkUnder
from shared.account_codes import code_part
from shared.api.commissioning import ContractStatus as ContractStatus
from shared.calendar import long_date
from shared.clock import business_day
from shared.dates import refuse_future
from shared.errors import Conflict, Forbidden, Invalid, NotFound
from shared.money import Amounts, VatRate, vat_on


@dataclass
class Contract:
    id: UUID
    reference: str
    title: str
    statutory_duty: str
    funding_source: FundingSource
    original: Terms
    vat_rate: VatRate
    start_on: date
    particulars: Particulars = field(default_factory=Particulars)
    status: ContractStatus = ContractStatus.DRAFT
    signed_on: date | None = None
    closed_on: date | None = None
    milestones: list[Milestone] = field(default_factory=list)
    variations: list[Variation] = field(default_factory=list)
    pending: list[Variation] = field(default_factory=list)  # awaiting a second approval

    @classmethod
    def record(
        cls,
        *,
        reference: str,
        title: str,
        statutory_duty: str,
        funding_source: FundingSource,
        value_pence: int,
        vat_rate: VatRate,
        start_on: date,
        end_on: date,
        description: str = "",
        particulars: Particulars | None = None,
    ) -> Contract:
        """A draft contract; it is in force once signed."""
        if not code_part(reference):
            raise Invalid(
                "a contract's reference needs a letter or a digit: the ledger names the "
                "contract's income account by them",
                field="reference",
            )
        if value_pence <= 0:
            raise Invalid("a contract's value must be more than zero", field="value_pence")
        if end_on <= start_on:
            raise Invalid("a contract must end after it starts", field="end_on")
        particulars = particulars or Particulars()
        if particulars.review_on and not start_on <= particulars.review_on <= end_on:
            raise Invalid("the review date must fall within the contract term", field="review_on")
        return cls(
            id=uuid4(),
            reference=reference,
            title=title,
            statutory_duty=statutory_duty,
            funding_source=funding_source,
            original=Terms(value_pence=value_pence, end_on=end_on, scope=description),
            vat_rate=vat_rate,
            start_on=start_on,
            particulars=particulars,
        )

    @property
    def account_key(self) -> str:
        """The part of its reference that names its income account in the ledger: no other
        contract's reference may have the same."""
        return code_part(self.reference)

    @property
    def terms(self) -> Terms:
        return current_terms(self.original, self.variations)

    @property
    def value_pence(self) -> int:
        return self.terms.value_pence

    @property
    def end_on(self) -> date:
        return self.terms.end_on

    @property
    def annual_value_pence(self) -> int | None:
        """The estimated annual value as the terms now stand. The estimate entered at award
        (`particulars.annual_value_pence`) stands while the value and end date are as signed;
        once approved variations change either, it is the current value over the current term
        (`annual_share`), so the register never sets a stale estimate beside a varied total.
        A contract with no estimate entered at award has none here either: there is nothing
        stale to correct, and the register does not publish a figure nobody gave."""
        at_award = self.particulars.annual_value_pence
        now = self.terms
        if at_award is None or (now.value_pence, now.end_on) == (
            self.original.value_pence,
            self.original.end_on,
        ):
            return at_award
        return annual_share(now.value_pence, start_on=self.start_on, end_on=now.end_on)

    @property
    def scheduled_pence(self) -> int:
        return sum(milestone.payment_pence for milestone in self.milestones)

    def has_ended(self, today: date) -> bool:
        """Past its end date but not yet closed: it ended without anyone acting, and still
        waits for an officer to close it (which stops anything more under it)."""
        return self.status.in_force and today > self.end_on

    def sign(self, *, on: date) -> None:
        if self.status is not ContractStatus.DRAFT:
            raise Conflict(f"contract {self.reference} is {self.status}, not a draft")
        self.status = ContractStatus.ACTIVE
        self.signed_on = on

    def close(self, *, on: date) -> None:
        self._require_in_force()
        self.status = ContractStatus.CLOSED
        self.closed_on = on

    def vary(
        self, variation: Variation, *, committed_pence: int, work: WorkUnder = WorkUnder()
    ) -> None:
        """Apply a variation; the value may not fall below what is scheduled or committed, nor
        the end before what is planned or done under it (`work`, its review)."""
        self._check(variation, committed_pence=committed_pence, work=work)
        self.variations.append(variation)
        self.status = ContractStatus.VARIED

    def propose(
        self,
        variation: Variation,
        *,
        committed_pence: int,
        second_approval_over_pence: int,
        today: date,
        work: WorkUnder = WorkUnder(),
    ) -> Variation:
        """Apply a variation its approver proposes; or, if it changes the value by more than
        `second_approval_over_pence`, keep it until a second, different person approves it.
        Returns it as it now stands."""
        refuse_future(
            variation.approved_on,
            today=today,
            refusal="a variation cannot be approved in the future",
            field="approved_on",
        )
        self._check_in_order(variation)
        self._check_after_it_began(variation)
        self._check(variation, committed_pence=committed_pence, work=work)
        if self._change_from_two_approved(variation) <= second_approval_over_pence:
            self.vary(variation, committed_pence=committed_pence, work=work)
            return variation
        waiting = replace(variation, proposed_by=variation.approved_by, approved_by="")
        self.pending.append(waiting)
        return waiting

    def decline(self, variation_id: UUID) -> Variation:
        """A waiting variation refused (by a second officer, or withdrawn by the one who
        proposed it): it never takes effect, and no longer waits."""
        waiting = next((v for v in self.pending if v.id == variation_id), None)
        if waiting is None:
            raise NotFound(f"no variation {variation_id} awaits approval on {self.reference}")
        self.pending.remove(waiting)
        return waiting

    def _change_from_two_approved(self, variation: Variation) -> int:
        """How far a change of value takes the contract from its value as two people last
        approved it (as signed, or by a variation a second officer approved): measured from
        there, not from the last variation, two changes each under the threshold cannot
        together move the value beyond it on one officer's word."""
        if variation.kind is not VariationKind.VALUE:
            return 0
        terms, approved = self.original, self.original.value_pence
        for earlier in self.variations:
            terms = earlier.applied_to(terms)
            if earlier.proposed_by:  # proposed by one officer, approved by another
                approved = terms.value_pence
        return abs(variation.applied_to(self.terms).value_pence - approved)

    def _check_in_order(self, variation: Variation) -> None:
        """The terms are the variations applied in the order recorded, so one approved before
        the last recorded would be undone by it while the history read it as the later."""
        last = max((v.approved_on for v in self.variations), default=None)
        if last is not None and variation.approved_on < last:
            raise Invalid(
                f"the last variation of {self.reference} was approved on {long_date(last)}: "
                "variations are recorded in the order they were approved, so record this one "
                "as approved on or after that day, saying what it corrects",
                field="approved_on",
            )

    def _check_after_it_began(self, variation: Variation) -> None:
        """A contract is varied once it is signed and has started: a variation dated before
        either would have changed terms nobody had yet agreed or begun to work to. (A draft
        is refused as not in force.)"""
        if self.signed_on is None:
            return
        began = max(self.start_on, self.signed_on)
        if variation.approved_on < began:
            raise Invalid(
                f"{self.reference} started on {long_date(self.start_on)} and was signed on "
                f"{long_date(self.signed_on)}: a variation is approved on or after "
                f"{long_date(began)}",
                field="approved_on",
            )

    def approve(
        self,
        variation_id: UUID,
        *,
        by: str,
        on: date,
        committed_pence: int,
        work: WorkUnder = WorkUnder(),
    ) -> Variation:
        """The second approval of a waiting variation: it takes effect now, if it still can."""
        waiting = next((v for v in self.pending if v.id == variation_id), None)
        if waiting is None:
            raise NotFound(f"no variation {variation_id} awaits approval on {self.reference}")
        if by == waiting.proposed_by:
            raise Forbidden(
                f"{by} proposed this variation: a second, different person must approve it",
                field="approved_by",
            )
        approved = replace(waiting, approved_by=by, approved_on=on)
        self.vary(approved, committed_pence=committed_pence, work=work)
        self.pending.remove(waiting)
        return approved

    def _check(self, variation: Variation, *, committed_pence: int, work: WorkUnder) -> None:
        self._require_in_force()
        after = variation.applied_to(self.terms)
        if variation.kind is VariationKind.VALUE:
            floor = max(self.scheduled_pence, committed_pence)
            if variation.value_pence is None or variation.value_pence < max(floor, 1):
                raise Invalid(
                    f"the new value must be at least {max(floor, 1)} pence: "
                    f"{self.scheduled_pence} are scheduled in milestones and "
                    f"{committed_pence} committed to support",
                    field="value_pence",
                )
        elif variation.kind is VariationKind.TERM:
            latest_due = max((m.due_on for m in self.milestones), default=self.start_on)
            ends_on = variation.end_on
            if ends_on is None or ends_on <= self.start_on or ends_on < latest_due:
                raise Invalid(
                    f"the new end date must be after the start ({self.start_on}) "
                    f"and no earlier than the last milestone ({latest_due})",
                    field="end_on",
                )
            beyond = self._beyond(ends_on, work)
            if beyond:
                raise Invalid(
                    f"{self.reference} cannot end on {long_date(ends_on)} while these lie "
                    f"beyond it: {'; '.join(beyond)}. Nothing under a contract is planned or "
                    "done outside its term",
                    field="end_on",
                )
        elif not (variation.scope or "").strip():
            raise Invalid("a scope variation must say the new scope", field="scope")
        if after == self.terms:
            raise Invalid("the variation changes nothing", field=variation.kind.changes)

    def _beyond(self, ends_on: date, work: WorkUnder) -> list[str]:
        """What under the contract falls after a day it might end on: the work planned or done
        under it, and the review date."""
        found = work.after(ends_on)
        review_on = self.particulars.review_on
        if review_on and review_on > ends_on:
            found.append(f"its review date, {long_date(review_on)}")
        return found

    def add_milestone(self, *, title: str, due_on: date, payment_pence: int) -> Milestone:
        if self.status is ContractStatus.CLOSED:
            raise Conflict(f"contract {self.reference} is closed")
        if payment_pence <= 0:
            raise Invalid("a milestone's payment must be more than zero", field="payment_pence")
        if not self.start_on <= due_on <= self.end_on:
            raise Invalid(
                f"the milestone must fall within the contract term "
                f"({self.start_on} to {self.end_on})",
                field="due_on",
            )
        remaining = self.value_pence - self.scheduled_pence
        if payment_pence > remaining:
            raise Invalid(
                f"milestone payments would exceed the contract value: "
                f"{remaining} pence remain unscheduled",
                field="payment_pence",
            )
        milestone = Milestone(id=uuid4(), title=title, due_on=due_on, payment_pence=payment_pence)
        self.milestones.append(milestone)
        return milestone

    def milestone(self, milestone_id: UUID) -> Milestone:
        found = next((m for m in self.milestones if m.id == milestone_id), None)
        if found is None:
            raise NotFound(f"no milestone {milestone_id} on contract {self.reference}")
        return found

    def complete_milestone(
        self, milestone_id: UUID, *, at: datetime, by: str, evidence: str
    ) -> Milestone:
        """Sign a milestone off: who signed it off, when, and on what evidence are kept."""
        milestone = self.milestone(milestone_id)
        if milestone.completed:
            raise Conflict(
                f"milestone {milestone.title!r} was signed off on {milestone.completed_on}"
            )
        self._require_in_force()
        signed_off_on = business_day(at)
        if signed_off_on < self.start_on:
            raise Conflict(
                f"contract {self.reference} starts on {long_date(self.start_on)}: no work under "
                "it is done, nor its milestones signed off and invoiced, before then",
                field="milestone_id",
            )
        if not evidence.strip():
            raise Invalid("say what shows the milestone is met", field="evidence")
        if not by.strip():
            raise Invalid("a sign-off needs the signer's identity", field="signed_off_by")
        milestone.completed_on = signed_off_on
        milestone.signed_off_at = at
        milestone.signed_off_by = by.strip()
        milestone.evidence = evidence.strip()
        return milestone

    def invoice(
        self, milestone: Milestone, *, number: str, today: date, payment_days: int
    ) -> LaInvoice:
        """The invoice to the LA for a signed-off milestone."""
        if not milestone.completed:
            raise Conflict(f"milestone {milestone.title!r} has not been signed off")
        return LaInvoice(
            id=uuid4(),
            number=number,
            contract_id=self.id,
            milestone_id=milestone.id,
            issued_on=today,
            due_on=today + timedelta(days=payment_days),
            amounts=self.amounts_for(milestone.payment_pence),
        )

    def amounts_for(self, net_pence: int) -> Amounts:
        return Amounts(net=net_pence, vat=vat_on(net_pence, self.vat_rate))

    def check_started_by(self, day: date, *, field: str) -> None:
        """Nothing is done under a contract before it starts, so nothing is measured against
        it either: an actual reported before then would earn the LA a service credit, off its
        first invoice, for a period the contract never covered."""
        if day < self.start_on:
            raise Invalid(
                f"contract {self.reference} starts on {long_date(self.start_on)}: no actual is "
                "reported against it, nor a service credit earned, before then",
                field=field,
            )

    def check_in_term(self, day: date, *, what: str, field: str) -> None:
        """Work under a contract (`what`, as "a case is opened") is done within its term as it
        now stands, first and last day included."""
        if not self.start_on <= day <= self.end_on:
            raise Invalid(
                f"{what} under {self.reference} within its term, {long_date(self.start_on)} to "
                f"{long_date(self.end_on)}: {long_date(day)} is outside it",
                field=field,
            )

    def _require_in_force(self) -> None:
        if not self.status.in_force:
            raise Conflict(f"contract {self.reference} is {self.status}, not in force")
