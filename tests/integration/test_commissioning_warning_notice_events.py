"""A warning notice issued on a case leaves commissioning as an event (with its grounds, the
action required and the compliance date), and every move of a case as another."""

from __future__ import annotations

import json

from sqlalchemy import select

from services.commissioning.adapters.tables import messaging
from tests.support.commissioning_app import OFFICER, commissioning_alone
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY


async def test_a_warning_notice_and_each_move_of_a_case_are_published(
    sqlite_databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(sqlite_databases) as app:
        await app.register(ABBOTS_LANGLEY)
        case = await app.case((await app.contract())["id"], ABBOTS_LANGLEY)
        moved = await app.client.post(
            f"/cases/{case['id']}/stages",
            json={
                "stage": "warning_notice",
                "entered_on": "2026-10-05",
                "grounds": "Safeguarding failures found at inspection",
                "required_action": "Appoint a safeguarding lead and train all staff",
                "compliance_by": "2026-11-30",
            },
            headers=OFFICER,
        )
        assert moved.status_code == 201, moved.text

        async with app.service.unit_of_work() as uow:
            rows = (await uow.session.execute(select(messaging.outbox))).mappings().all()
        published = {row["subject"]: json.loads(row["body"])["payload"] for row in rows}
        notice = published["commissioning.warning_notice.issued.v1"]
        assert notice["case_id"] == case["id"] and notice["urn"] == ABBOTS_LANGLEY
        assert notice["grounds"] == "Safeguarding failures found at inspection"
        assert notice["required_action"] == "Appoint a safeguarding lead and train all staff"
        assert notice["compliance_by"] == "2026-11-30"
        assert notice["school_name"]
        assert published["commissioning.case.moved.v1"]["stage"] == "warning_notice"
