"""A variation that changes a contract's value by more than the threshold takes effect only once
a second, different person approves it (issue 14); at or under the threshold, at once."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from services.commissioning.domain.contract import Contract, ContractStatus
from services.commissioning.domain.terms import Variation, VariationKind
from shared.errors import Forbidden, Invalid, NotFound
from tests.unit.test_commissioning_contract import contract, variation

THRESHOLD = 5_000_000  # £50,000
VALUE = 100_000_000  # £1m
APPROVED_ON = date(2026, 10, 1)
TODAY = date(2026, 12, 6)
FIRST = "first-officer"


def proposed(signed: Contract, value_pence: int) -> Variation:
    """A change of value, proposed (and approved, as far as one person can) by first-officer."""
    change = replace(variation(VariationKind.VALUE, value_pence=value_pence), approved_by=FIRST)
    return signed.propose(
        change, committed_pence=0, second_approval_over_pence=THRESHOLD, today=TODAY
    )


@pytest.mark.parametrize(
    "new_value",
    [VALUE + THRESHOLD - 1, VALUE + THRESHOLD, VALUE - THRESHOLD],
    ids=["a penny under the threshold", "at the threshold", "down by the threshold"],
)
def test_a_change_of_value_up_to_the_threshold_takes_effect_at_once(new_value: int) -> None:
    signed = contract(VALUE)
    proposed(signed, new_value)
    assert (signed.value_pence, signed.status, signed.pending) == (
        new_value,
        ContractStatus.VARIED,
        [],
    )
    assert signed.variations[0].approved_by == "first-officer"


@pytest.mark.parametrize(
    "new_value",
    [VALUE + THRESHOLD + 1, VALUE - THRESHOLD - 1],
    ids=["a penny over the threshold", "down by a penny more than the threshold"],
)
def test_a_change_of_value_over_the_threshold_waits_for_a_second_person(new_value: int) -> None:
    signed = contract(VALUE)
    waiting = proposed(signed, new_value)

    assert (signed.value_pence, signed.variations) == (VALUE, [])
    assert signed.pending == [waiting]
    (pending,) = signed.pending
    assert (pending.awaits_approval, pending.proposed_by) == (True, "first-officer")

    approved = signed.approve(pending.id, by="second-officer", on=APPROVED_ON, committed_pence=0)

    assert (signed.value_pence, signed.pending, signed.variations) == (new_value, [], [approved])
    assert (approved.approved_by, approved.proposed_by, approved.approved_on) == (
        "second-officer",
        "first-officer",
        APPROVED_ON,
    )


def test_the_person_who_proposed_a_variation_may_not_approve_it_too_and_is_told_why() -> None:
    signed = contract(VALUE)
    proposed(signed, VALUE * 2)
    (pending,) = signed.pending

    with pytest.raises(Forbidden) as refused:
        signed.approve(pending.id, by="first-officer", on=APPROVED_ON, committed_pence=0)

    assert refused.value.field == "approved_by"
    assert "first-officer proposed this variation" in refused.value.message
    assert "a second, different person must approve it" in refused.value.message
    assert (signed.value_pence, signed.pending) == (VALUE, [pending])


def test_changes_of_term_and_scope_never_wait_and_an_unknown_variation_is_not_found() -> None:
    signed = contract(VALUE)
    signed.propose(
        variation(VariationKind.TERM, end_on=date(2027, 8, 31)),
        committed_pence=0,
        second_approval_over_pence=0,
        today=TODAY,
    )
    assert (signed.end_on, signed.pending) == (date(2027, 8, 31), [])
    with pytest.raises(NotFound):
        signed.approve(signed.variations[0].id, by="x", on=APPROVED_ON, committed_pence=0)


def test_a_waiting_variation_the_contract_can_no_longer_take_is_refused_and_still_waits() -> None:
    signed = contract(VALUE)
    proposed(signed, VALUE - THRESHOLD * 2)
    (pending,) = signed.pending
    signed.add_milestone(title="Q1", due_on=date(2026, 6, 30), payment_pence=VALUE - THRESHOLD)

    with pytest.raises(Invalid) as refused:
        signed.approve(pending.id, by="second-officer", on=APPROVED_ON, committed_pence=0)

    assert refused.value.field == "value_pence"
    assert signed.pending == [pending]


def test_a_variation_approved_after_today_is_refused_on_its_date() -> None:
    signed = contract(VALUE)
    change = variation(VariationKind.VALUE, approved_on=date(2026, 12, 7), value_pence=VALUE + 1)
    with pytest.raises(Invalid) as refused:
        signed.propose(change, committed_pence=0, second_approval_over_pence=THRESHOLD, today=TODAY)
    assert refused.value.field == "approved_on"
    assert (signed.value_pence, signed.variations, signed.pending) == (VALUE, [], [])


def test_a_variation_approved_before_the_last_recorded_is_refused_as_it_would_undo_it() -> None:
    """Recorded late, a forgotten £1.1m variation of 1 March undid the £1.2m one of 10 March:
    the value read £1.1m and the history, "in the order approved", out of order."""
    signed = contract(VALUE)
    later = variation(VariationKind.VALUE, approved_on=date(2026, 11, 10), value_pence=VALUE + 1)
    signed.propose(later, committed_pence=0, second_approval_over_pence=THRESHOLD, today=TODAY)
    forgotten = variation(VariationKind.VALUE, approved_on=date(2026, 11, 1), value_pence=VALUE + 2)

    with pytest.raises(Invalid, match="approved on 10 November 2026") as refused:
        signed.propose(
            forgotten, committed_pence=0, second_approval_over_pence=THRESHOLD, today=TODAY
        )

    assert refused.value.field == "approved_on"
    assert (signed.value_pence, signed.variations) == (VALUE + 1, [later])
    same_day = replace(forgotten, approved_on=date(2026, 11, 10))
    signed.propose(same_day, committed_pence=0, second_approval_over_pence=THRESHOLD, today=TODAY)
    assert signed.value_pence == VALUE + 2


def test_a_declined_variation_no_longer_waits_and_never_takes_effect() -> None:
    signed = contract(VALUE)
    waiting = proposed(signed, VALUE + THRESHOLD + 1)

    assert signed.decline(waiting.id) == waiting

    assert (signed.value_pence, signed.variations, signed.pending) == (VALUE, [], [])
    with pytest.raises(NotFound):
        signed.decline(waiting.id)
    with pytest.raises(NotFound):
        signed.approve(waiting.id, by="second-officer", on=TODAY, committed_pence=0)


def test_two_changes_of_value_by_one_officer_may_not_together_pass_the_threshold() -> None:
    """Each of two £30,000 rises took effect at once: £60,000 on one officer's word."""
    signed = contract(VALUE)
    first = proposed(signed, VALUE + 3_000_000)
    assert signed.value_pence == VALUE + 3_000_000 and not first.awaits_approval

    second = proposed(signed, VALUE + 6_000_000)

    assert second.awaits_approval
    assert (signed.value_pence, signed.pending) == (VALUE + 3_000_000, [second])
    back = proposed(signed, VALUE + 1_000_000)  # back towards the value two people approved
    assert not back.awaits_approval
    signed.approve(second.id, by="second-officer", on=TODAY, committed_pence=0)
    assert signed.value_pence == VALUE + 6_000_000
    later = replace(
        variation(VariationKind.VALUE, value_pence=VALUE + 9_000_000, approved_on=TODAY),
        approved_by=FIRST,
    )
    from_there = signed.propose(
        later, committed_pence=0, second_approval_over_pence=THRESHOLD, today=TODAY
    )
    assert not from_there.awaits_approval  # £30,000 from the value two people approved
