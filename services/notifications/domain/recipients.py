"""Who a message is for: a named contact of a school, or everyone in a staff role.

A recipient is written as one short key (`school:117083:finance`, `staff:catalogue_admin`): the
message's unique key pairs it with the message's own, so each person is told once."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from shared.events.orders import SchoolContactRole

# The contacts a school names (kept by orders, announced by orders.school_contact.changed.v1).
SchoolContact = SchoolContactRole


class StaffRole(StrEnum):
    LA_OFFICER = "la_officer"
    FINANCE = "finance"
    CATALOGUE_ADMIN = "catalogue_admin"
    EVALUATOR = "evaluator"
    ADMIN = "admin"


@dataclass(frozen=True)
class Recipient:
    key: str

    @classmethod
    def school(cls, urn: int, contact: SchoolContact) -> Recipient:
        return cls(f"school:{urn}:{contact.value}")

    @classmethod
    def staff(cls, role: StaffRole) -> Recipient:
        return cls(f"staff:{role.value}")

    @classmethod
    def trust(cls, trust_code: str) -> Recipient:
        """An academy trust's buyer: told of what the trust bought for its schools (the
        buy-back's reminders, its invoices' chasers, a course it booked called off)."""
        return cls(f"trust:{trust_code}")

    @property
    def trust_code(self) -> str | None:
        kind, *rest = self.key.split(":", 1)
        return rest[0] if kind == "trust" else None

    @property
    def urn(self) -> int | None:
        kind, *rest = self.key.split(":")
        return int(rest[0]) if kind == "school" else None

    @property
    def contact(self) -> SchoolContact | None:
        kind, *rest = self.key.split(":")
        return SchoolContact(rest[1]) if kind == "school" else None

    @property
    def role(self) -> StaffRole | None:
        kind, *rest = self.key.split(":")
        return StaffRole(rest[0]) if kind == "staff" else None


def school_prefix(urn: int) -> str:
    """Every contact of one school shares this prefix: a school's users read all its messages."""
    return f"school:{urn}:"
