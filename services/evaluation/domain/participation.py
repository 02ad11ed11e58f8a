"""A school taking part in a service: the raw material of every impact evaluation."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID


@dataclass(frozen=True)
class Participation:
    urn: int
    school_name: str
    phase: str
    service_id: UUID
    service_title: str
    order_id: UUID
    since: date
