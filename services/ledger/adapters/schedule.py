"""Recognitions waiting for their day, as stored; the book's unique source key makes posting
one of them a second time impossible, whoever tries."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.book import str_or_none, uuid_or_none
from services.ledger.adapters.tables import scheduled_recognitions, transactions
from services.ledger.domain.accounts import Account, AccountKind
from services.ledger.domain.recognition import RECOGNITION
from services.ledger.domain.transaction import Dimensions, JournalTransaction, Posting, Source
from shared.money import Strand


class Schedule:
    def __init__(self, session: AsyncConnection) -> None:
        self._session = session

    async def due(self, today: date) -> list[JournalTransaction]:
        """What has fallen due by `today` and is not in the book yet, oldest first."""
        rows = await self._session.execute(
            select(scheduled_recognitions)
            .where(scheduled_recognitions.c.due_on <= today, ~self._posted().exists())
            .order_by(scheduled_recognitions.c.due_on, scheduled_recognitions.c.source_key)
        )
        return [_transaction(row._mapping) for row in rows]

    async def waiting_for(self, event_ids: list[str]) -> list[dict[str, Any]]:
        """The recognitions these events' sales scheduled that are not in the book yet, shaped
        as the book's rows are (with no day posted)."""
        rows = await self._session.execute(
            select(scheduled_recognitions).where(
                scheduled_recognitions.c.source_event_id.in_(event_ids), ~self._posted().exists()
            )
        )
        return [
            {
                "source_event_id": row.source_event_id,
                "dated": row.due_on,
                "posted_on": None,
                "postings": [
                    {"account": line["account"], "amount_pence": line["pence"]}
                    for line in json.loads(row.postings)
                ],
            }
            for row in rows
        ]

    @staticmethod
    def _posted() -> Any:
        return select(transactions.c.source_key).where(
            transactions.c.source_key == scheduled_recognitions.c.source_key
        )


def scheduled_row(transaction: JournalTransaction) -> dict[str, Any]:
    return {
        "source_key": transaction.source.key,
        "source_event_id": str_or_none(transaction.source.event_id),
        "source_subject": transaction.source.subject,
        "strand": transaction.strand.value,
        "description": transaction.description,
        "due_on": transaction.dated,
        "postings": json.dumps(
            [
                {
                    "account": posting.account.code,
                    "name": posting.account.name,
                    "kind": posting.account.kind.value,
                    "pence": posting.amount_pence,
                    "dimensions": posting.dimensions.as_dict(),
                }
                for posting in transaction.postings
            ]
        ),
    }


def _transaction(row: Any) -> JournalTransaction:
    return JournalTransaction(
        source=Source(
            row["source_key"], row["source_subject"], uuid_or_none(row["source_event_id"])
        ),
        kind=RECOGNITION,
        strand=Strand(row["strand"]),
        description=row["description"],
        dated=row["due_on"],
        postings=tuple(
            Posting(
                Account(line["account"], line["name"], AccountKind(line["kind"])),
                line["pence"],
                Dimensions(**line["dimensions"]),
            )
            for line in json.loads(row["postings"])
        ),
    )
