"""A warning notice to a school causing concern: the letter its headteacher and chair of
governors receive, and the LA officer's alert when the compliance date passes with the case
not moved on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from shared.calendar import long_date


@dataclass(frozen=True)
class WarningNotice:
    case_id: UUID
    urn: int
    school_name: str
    issued_on: date
    grounds: str
    required_action: str
    compliance_by: date


@dataclass(frozen=True)
class Letter:
    title: str
    addressees: tuple[str, ...]
    dated: date
    sections: tuple[tuple[str, str], ...]  # heading, text


def notice_letter(notice: WarningNotice) -> Letter:
    return Letter(
        title=f"Warning notice: {notice.school_name} (URN {notice.urn})",
        addressees=(
            f"The headteacher, {notice.school_name}",
            f"The chair of governors, {notice.school_name}",
        ),
        dated=notice.issued_on,
        sections=(
            (
                "Notice",
                "The local authority gives this warning notice to the governing body under "
                "section 60 of the Education and Inspections Act 2006.",
            ),
            ("Grounds", notice.grounds),
            ("Action required", notice.required_action),
            (
                "Compliance date",
                f"The governing body must comply by {long_date(notice.compliance_by)}. If it "
                "does not, the local authority may use its powers of intervention.",
            ),
        ),
    )


def notice_email(notice: WarningNotice, today: date) -> str:
    """What the headteacher and chair read, as of the day it is sent: a notice recorded some
    days after it was given says when it was given, and a compliance date already passed is
    said to have passed, not set as a date still to come."""
    given = "has given" if notice.issued_on >= today else f"gave, on {long_date(notice.issued_on)},"
    comply = (
        f"The governing body must comply by {long_date(notice.compliance_by)}."
        if not compliance_overdue(notice, today)
        else f"The governing body was to comply by {long_date(notice.compliance_by)}; that date "
        "has passed, and the local authority may now use its powers of intervention."
    )
    return (
        f"The local authority {given} {notice.school_name} a warning notice, attached as a "
        f"letter.\n\nGrounds: {notice.grounds}\n\nAction required: {notice.required_action}"
        f"\n\n{comply}"
    )


def compliance_overdue(notice: WarningNotice, today: date) -> bool:
    return today > notice.compliance_by


def compliance_alert_key(notice: WarningNotice) -> str:
    """The occasion of the officer's alert that the notice's compliance date passed."""
    return f"compliance-overdue:{notice.case_id}:{notice.compliance_by}"
