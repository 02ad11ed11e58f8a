"""The contract's rules: its states, its variations and the milestones it pays for."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from fractions import Fraction
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import given
from hypothesis import strategies as st

from services.commissioning.domain.contract import Contract, ContractStatus
from services.commissioning.domain.particulars import FundingSource, Particulars
from services.commissioning.domain.terms import (
    Terms,
    Variation,
    VariationKind,
    annual_share,
    current_terms,
    years_between,
)
from shared.errors import Conflict, Invalid
from shared.money import VatRate

START, END = date(2026, 4, 1), date(2027, 3, 31)


def record(**fields: Any) -> Contract:
    """The LA's school-improvement contract as recorded, but for the fields given."""
    return Contract.record(
        **{
            "reference": "HCC-SI-2026",
            "title": "Schools causing concern",
            "statutory_duty": "Education and Inspections Act 2006, Part 4",
            "funding_source": FundingSource.COUNCIL_BUDGET,
            "value_pence": 1_000_000,
            "vat_rate": VatRate.STANDARD,
            "start_on": START,
            "end_on": END,
            "description": "Monitoring and intervention",
            **fields,
        }
    )


def contract(value_pence: int = 1_000_000, *, signed: bool = True) -> Contract:
    recorded = record(value_pence=value_pence)
    if signed:
        recorded.sign(on=START)
    return recorded


def variation(
    kind: VariationKind, approved_on: date = date(2026, 9, 1), **change: object
) -> Variation:
    return Variation(
        id=uuid4(),
        kind=kind,
        reason="Needs changed",
        approved_by="Director of Education",
        approved_on=approved_on,
        **change,  # type: ignore[arg-type]
    )


def test_a_recorded_contract_is_a_draft_until_it_is_signed() -> None:
    draft = contract(signed=False)
    assert draft.status is ContractStatus.DRAFT
    with pytest.raises(Conflict):
        draft.vary(variation(VariationKind.VALUE, value_pence=2), committed_pence=0)
    draft.sign(on=date(2026, 4, 2))
    assert (draft.status, draft.signed_on) == (ContractStatus.ACTIVE, date(2026, 4, 2))
    with pytest.raises(Conflict):
        draft.sign(on=date(2026, 4, 3))


def test_a_contract_that_ends_before_it_starts_is_refused_naming_end_on() -> None:
    with pytest.raises(Invalid) as refused:
        record(end_on=START - timedelta(days=1))
    assert refused.value.field == "end_on"


def test_a_review_date_outside_the_term_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        record(particulars=Particulars(review_on=END + timedelta(days=1)))
    assert refused.value.field == "review_on"


def test_variations_rebuild_the_current_terms_and_keep_the_original() -> None:
    varied = contract()
    varied.vary(variation(VariationKind.VALUE, value_pence=1_500_000), committed_pence=0)
    varied.vary(variation(VariationKind.TERM, end_on=date(2027, 8, 31)), committed_pence=0)
    varied.vary(variation(VariationKind.SCOPE, scope="Attendance too"), committed_pence=0)
    varied.vary(variation(VariationKind.VALUE, value_pence=1_200_000), committed_pence=0)

    assert varied.status is ContractStatus.VARIED
    assert varied.terms == Terms(1_200_000, date(2027, 8, 31), "Attendance too")
    assert varied.original == Terms(1_000_000, END, "Monitoring and intervention")
    assert [v.kind for v in varied.variations] == ["value", "term", "scope", "value"]


@given(
    st.lists(st.tuples(st.sampled_from(list(VariationKind)), st.integers(1, 10**9)), max_size=12)
)
def test_the_current_terms_are_the_latest_variation_of_each_kind(
    changes: list[tuple[VariationKind, int]],
) -> None:
    original = Terms(1_000, END, "original")
    history = [
        variation(kind, value_pence=n, end_on=END + timedelta(days=n % 1000), scope=f"scope {n}")
        for kind, n in changes
    ]
    terms = current_terms(original, history)
    last = {v.kind: v for v in history}
    assert terms.value_pence == (
        last[VariationKind.VALUE].value_pence if VariationKind.VALUE in last else 1_000
    )
    assert terms.end_on == (last[VariationKind.TERM].end_on if VariationKind.TERM in last else END)
    assert terms.scope == (
        last[VariationKind.SCOPE].scope if VariationKind.SCOPE in last else "original"
    )


def test_the_value_cannot_be_varied_below_what_is_scheduled_or_committed() -> None:
    varied = contract(1_000_000)
    varied.add_milestone(title="Autumn", due_on=date(2026, 12, 1), payment_pence=600_000)
    for new_value, committed in ((599_999, 0), (650_000, 700_000)):
        with pytest.raises(Invalid) as refused:
            varied.vary(
                variation(VariationKind.VALUE, value_pence=new_value), committed_pence=committed
            )
        assert refused.value.field == "value_pence"
    assert varied.variations == [] and varied.status is ContractStatus.ACTIVE


def test_the_term_cannot_be_cut_short_of_a_milestone() -> None:
    varied = contract()
    varied.add_milestone(title="Spring", due_on=date(2027, 3, 1), payment_pence=1)
    with pytest.raises(Invalid) as refused:
        varied.vary(variation(VariationKind.TERM, end_on=date(2027, 2, 28)), committed_pence=0)
    assert refused.value.field == "end_on"


def test_the_term_may_be_cut_to_end_on_the_day_its_last_milestone_falls_due() -> None:
    """A milestone may fall due on the contract's last day, so a term may be varied to end on
    the day of its last milestone: 'no earlier than the last milestone' had refused that day."""
    varied = contract()
    varied.add_milestone(title="Spring", due_on=date(2027, 3, 1), payment_pence=1)
    varied.vary(variation(VariationKind.TERM, end_on=date(2027, 3, 1)), committed_pence=0)
    assert varied.end_on == date(2027, 3, 1)


def test_a_variation_that_changes_nothing_is_refused() -> None:
    with pytest.raises(Invalid) as refused:
        contract(1_000_000).vary(
            variation(VariationKind.VALUE, value_pence=1_000_000), committed_pence=0
        )
    assert refused.value.field == "value_pence"


def test_a_milestone_outside_the_current_term_is_refused_naming_due_on() -> None:
    varied = contract()
    with pytest.raises(Invalid) as refused:
        varied.add_milestone(title="Late", due_on=END + timedelta(days=1), payment_pence=1)
    assert refused.value.field == "due_on"
    varied.vary(variation(VariationKind.TERM, end_on=date(2027, 6, 30)), committed_pence=0)
    assert varied.add_milestone(title="Late", due_on=END + timedelta(days=1), payment_pence=1)


@given(st.lists(st.integers(1, 400_000), max_size=20))
def test_milestones_together_never_exceed_the_contract_value(payments: list[int]) -> None:
    scheduled = contract(1_000_000)
    for payment in payments:
        try:
            scheduled.add_milestone(title="M", due_on=date(2026, 6, 1), payment_pence=payment)
        except Invalid as refused:
            assert refused.field == "payment_pence"
            assert scheduled.scheduled_pence + payment > scheduled.value_pence
    assert scheduled.scheduled_pence <= scheduled.value_pence


def signing(on: date) -> dict[str, Any]:
    return {
        "at": datetime(on.year, on.month, on.day, 10, 30, tzinfo=UTC),
        "by": "officer@herts.example",
        "evidence": "Termly report seen",
    }


def test_only_a_contract_in_force_has_milestones_signed_off() -> None:
    draft = contract(signed=False)
    milestone = draft.add_milestone(title="Autumn", due_on=date(2026, 12, 1), payment_pence=10)
    with pytest.raises(Conflict):
        draft.complete_milestone(milestone.id, **signing(date(2026, 12, 2)))
    draft.sign(on=START)
    draft.close(on=date(2026, 12, 1))
    with pytest.raises(Conflict):
        draft.complete_milestone(milestone.id, **signing(date(2026, 12, 2)))
    with pytest.raises(Conflict):
        draft.add_milestone(title="More", due_on=date(2026, 12, 1), payment_pence=1)


def test_no_milestone_is_signed_off_before_its_contract_starts() -> None:
    signed = contract()
    milestone = signed.add_milestone(title="First", due_on=START, payment_pence=10)
    with pytest.raises(Conflict) as refused:
        signed.complete_milestone(milestone.id, **signing(date(2026, 3, 31)))
    assert "1 April 2026" in refused.value.message
    assert not milestone.completed
    signed.complete_milestone(milestone.id, **signing(START))
    assert milestone.completed_on == START


def test_a_signed_off_milestone_is_invoiced_at_its_full_amount_with_vat() -> None:
    signed = contract(12_000_000)
    milestone = signed.add_milestone(
        title="Autumn", due_on=date(2026, 12, 1), payment_pence=3_000_001
    )
    signed.complete_milestone(milestone.id, **signing(date(2026, 12, 2)))
    invoice = signed.invoice(
        milestone, number="LA-000001", today=date(2026, 12, 2), payment_days=30
    )
    assert (invoice.amounts.net, invoice.amounts.vat, invoice.due_on) == (
        3_000_001,
        600_000,
        date(2027, 1, 1),
    )
    with pytest.raises(Conflict):
        signed.complete_milestone(milestone.id, **signing(date(2026, 12, 3)))


def test_a_sign_off_records_who_when_and_on_what_evidence_and_needs_both() -> None:
    signed = contract(12_000_000)
    milestone = signed.add_milestone(title="Autumn", due_on=date(2026, 12, 1), payment_pence=10)
    for missing in ({"evidence": "  "}, {"by": ""}):
        with pytest.raises(Invalid) as refused:
            signed.complete_milestone(milestone.id, **{**signing(date(2026, 12, 2)), **missing})
        assert refused.value.field == ("evidence" if "evidence" in missing else "signed_off_by")
        assert not milestone.completed
    at = datetime(2026, 12, 2, 10, 30, tzinfo=UTC)
    signed.complete_milestone(
        milestone.id, at=at, by="officer@herts.example", evidence=" Termly report seen "
    )
    assert (milestone.completed_on, milestone.signed_off_at) == (date(2026, 12, 2), at)
    assert (milestone.signed_off_by, milestone.evidence) == (
        "officer@herts.example",
        "Termly report seen",
    )


@pytest.mark.parametrize(
    ("start_on", "end_on", "years"),
    [
        (date(2026, 4, 1), date(2027, 3, 31), Fraction(1)),
        (date(2027, 4, 1), date(2028, 3, 31), Fraction(1)),  # with 29 February 2028
        (date(2026, 4, 1), date(2026, 9, 30), Fraction(183, 365)),
        (date(2026, 4, 1), date(2028, 9, 30), 2 + Fraction(183, 365)),
        (date(2028, 2, 29), date(2029, 2, 28), Fraction(1)),
        (date(2028, 2, 29), date(2030, 2, 28), Fraction(2)),
    ],
)
def test_a_term_is_counted_in_years_from_the_starts_anniversaries(
    start_on: date, end_on: date, years: Fraction
) -> None:
    assert years_between(start_on, end_on) == years


def test_a_years_share_of_a_value_is_to_the_penny_rounded_half_up() -> None:
    two_years = {"start_on": date(2026, 4, 1), "end_on": date(2028, 3, 31)}
    assert annual_share(5, **two_years) == 3  # 2.5
    assert annual_share(3, **two_years) == 2  # 1.5
    assert annual_share(10, start_on=date(2026, 4, 1), end_on=date(2029, 3, 31)) == 3
    # a term of a year or less spends all of its value within a year
    assert annual_share(500_000, start_on=date(2026, 4, 1), end_on=date(2026, 9, 30)) == 500_000


@given(st.integers(1, 10**12), st.integers(1, 30))
def test_over_whole_years_the_years_shares_make_up_the_value(value: int, years: int) -> None:
    share = annual_share(value, start_on=date(2026, 4, 1), end_on=date(2026 + years, 3, 31))
    assert abs(share * years - value) * 2 <= years


def test_the_estimated_annual_value_is_as_at_award_until_the_value_or_term_is_varied() -> None:
    at_award = record(particulars=Particulars(annual_value_pence=900_000))
    at_award.sign(on=START)
    assert at_award.annual_value_pence == 900_000
    at_award.vary(variation(VariationKind.SCOPE, scope="Monitoring only"), committed_pence=0)
    assert at_award.annual_value_pence == 900_000

    at_award.vary(variation(VariationKind.VALUE, value_pence=1_200_000), committed_pence=0)
    assert at_award.annual_value_pence == 1_200_000
    at_award.vary(variation(VariationKind.TERM, end_on=date(2028, 3, 31)), committed_pence=0)
    assert at_award.annual_value_pence == 600_000
    assert at_award.particulars.annual_value_pence == 900_000  # as entered, kept

    # varied back to the terms as signed, the estimate made for them stands again
    at_award.vary(variation(VariationKind.VALUE, value_pence=1_000_000), committed_pence=0)
    at_award.vary(variation(VariationKind.TERM, end_on=END), committed_pence=0)
    assert at_award.annual_value_pence == 900_000


def test_a_contract_with_no_estimate_at_award_has_none_however_varied() -> None:
    signed = contract()
    signed.vary(variation(VariationKind.VALUE, value_pence=1_200_000), committed_pence=0)
    assert signed.annual_value_pence is None
