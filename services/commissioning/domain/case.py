"""A case for a school causing concern, opened under a contract: the stages it moves through
(each kept with its date and particulars) and the notes of visits made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID, uuid4

from shared.api.commissioning import Stage as Stage
from shared.dates import refuse_future
from shared.errors import Conflict, Invalid

ORDER = list(Stage)


@dataclass(frozen=True)
class StageEntry:
    stage: Stage
    entered_on: date
    grounds: str = ""
    required_action: str = ""
    compliance_by: date | None = None
    outcome: str = ""


@dataclass(frozen=True)
class VisitNote:
    id: UUID
    visited_on: date
    author: str
    note: str


@dataclass
class Case:
    id: UUID
    contract_id: UUID
    urn: int
    opened_on: date
    summary: str
    stages: list[StageEntry] = field(default_factory=list)
    visits: list[VisitNote] = field(default_factory=list)

    @classmethod
    def open(
        cls, *, contract_id: UUID, urn: int, opened_on: date, summary: str, today: date
    ) -> Case:
        refuse_future(
            opened_on,
            today=today,
            refusal="a case cannot be opened in the future",
            field="opened_on",
        )
        if not summary.strip():
            raise Invalid("say what the concern is", field="summary")
        return cls(
            id=uuid4(),
            contract_id=contract_id,
            urn=urn,
            opened_on=opened_on,
            summary=summary,
            stages=[StageEntry(Stage.CONCERN, opened_on)],
        )

    @property
    def stage(self) -> Stage:
        return self.stages[-1].stage

    @property
    def is_open(self) -> bool:
        return self.stage is not Stage.CLOSED

    def move_to(self, entry: StageEntry, *, today: date) -> None:
        """Cases move forward only (a stage may be skipped); closing is possible from any."""
        if not self.is_open:
            raise Conflict("the case is closed")
        if ORDER.index(entry.stage) <= ORDER.index(self.stage):
            raise Invalid(f"the case is already at {self.stage}", field="stage")
        if entry.entered_on < self.stages[-1].entered_on:
            raise Invalid("a stage cannot begin before the one before it", field="entered_on")
        refuse_future(
            entry.entered_on,
            today=today,
            refusal="a stage cannot begin in the future",
            field="entered_on",
        )
        _check_particulars(entry)
        self.stages.append(entry)

    def note_visit(self, *, visited_on: date, author: str, note: str, today: date) -> VisitNote:
        if visited_on < self.opened_on:
            raise Invalid("the visit predates the case", field="visited_on")
        refuse_future(
            visited_on,
            today=today,
            refusal="a visit cannot be noted before it is made",
            field="visited_on",
        )
        if not note.strip():
            raise Invalid("a visit note cannot be empty", field="note")
        visit = VisitNote(id=uuid4(), visited_on=visited_on, author=author, note=note)
        self.visits.append(visit)
        return visit


def _check_particulars(entry: StageEntry) -> None:
    if entry.stage is Stage.WARNING_NOTICE:
        if not entry.grounds.strip():
            raise Invalid("a warning notice must state its grounds", field="grounds")
        if not entry.required_action.strip():
            raise Invalid(
                "a warning notice must state the action required", field="required_action"
            )
        if entry.compliance_by is None or entry.compliance_by <= entry.entered_on:
            raise Invalid(
                "the compliance period must end after the notice is given", field="compliance_by"
            )
    if entry.stage is Stage.CLOSED and not entry.outcome.strip():
        raise Invalid("a closed case must record its outcome", field="outcome")
