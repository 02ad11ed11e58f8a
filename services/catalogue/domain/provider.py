"""Who delivers a service, and whether the company still vouches for them."""

from __future__ import annotations

from dataclasses import dataclass
from uuid import UUID, uuid4

# A provider's kinds and QA states are words of the catalogue's HTTP contract too.
from shared.api.catalogue import ProviderKind as ProviderKind
from shared.api.catalogue import QaStatus as QaStatus
from shared.errors import Conflict, Invalid


class NameTaken(Conflict):
    def __init__(self, name: str) -> None:
        super().__init__(f"a provider named {name!r} already exists", field="name")


@dataclass
class Provider:
    id: UUID
    name: str
    kind: ProviderKind
    designation: str
    expertise: tuple[str, ...]
    qa_status: QaStatus = QaStatus.APPROVED
    qa_note: str = ""
    rating_average: float | None = None
    ratings: int = 0

    @classmethod
    def register(
        cls, *, name: str, kind: ProviderKind, designation: str, expertise: tuple[str, ...]
    ) -> Provider:
        if not name.strip():
            raise Invalid("a provider needs a name", field="name")
        return cls(
            id=uuid4(),
            name=name.strip(),
            kind=kind,
            designation=designation.strip(),
            expertise=tuple(area.strip() for area in expertise if area.strip()),
        )

    def set_qa_status(self, status: QaStatus, note: str) -> None:
        self.qa_status = status
        self.qa_note = note

    def flag_for_review(self, note: str) -> None:
        """Poor ratings put an approved provider under review; a suspension stays as it is."""
        if self.qa_status is QaStatus.APPROVED:
            self.set_qa_status(QaStatus.UNDER_REVIEW, note)

    @property
    def may_sell(self) -> bool:
        return self.qa_status is not QaStatus.SUSPENDED

    def check_may_sell(self) -> None:
        if not self.may_sell:
            raise Conflict(
                f"{self.name} is suspended: its services cannot be bought", field="provider_id"
            )

    def record_rating(self, average: float | None, count: int) -> None:
        """The averages of the most ratings heard: ratings are only ever added, so an event
        heard late (a second worker's, a parked one re-driven) changes nothing."""
        if count >= self.ratings:
            self.rating_average, self.ratings = average, count
