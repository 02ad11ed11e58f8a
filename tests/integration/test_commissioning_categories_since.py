"""A school's current category reads since the day it entered that category: categorised
again in the same category (the category confirmed at a later visit), it has been there since
the first, not since the confirmation."""

from __future__ import annotations

from datetime import date

from tests.support.commissioning_app import OFFICER, Commissioning, commissioning_alone
from tests.support.databases import DatabaseFactory
from tests.support.platform import ABBOTS_LANGLEY, ASHWELL
from tests.support.portal_pages import signed_in_where_only, text_of


async def categorise(app: Commissioning, urn: int, category: int, on: str) -> None:
    answer = await app.client.post(
        f"/schools/{urn}/categorisations",
        json={"category": category, "categorised_on": on, "reasons": "Visit"},
        headers=OFFICER,
    )
    assert answer.status_code == 201, answer.text


async def test_a_category_confirmed_later_reads_since_the_school_entered_it(
    databases: DatabaseFactory,
) -> None:
    async with commissioning_alone(databases) as app:
        app.service.clock.set(date(2026, 12, 7))
        await app.register(ABBOTS_LANGLEY, ASHWELL)
        for urn, category, on in (
            (ABBOTS_LANGLEY, 3, "2026-02-01"),
            (ABBOTS_LANGLEY, 4, "2026-07-01"),
            (ABBOTS_LANGLEY, 4, "2026-11-02"),  # confirmed at the next visit
            (ASHWELL, 4, "2026-03-01"),
            (ASHWELL, 2, "2026-10-05"),  # out of it
        ):
            await categorise(app, urn, category, on)

        current = await app.client.get("/schools/categorisations/current", headers=OFFICER)
        assert [
            (c["urn"], c["category"], c["categorised_on"], c["in_category_since"])
            for c in current.json()
        ] == [
            (ABBOTS_LANGLEY, 4, "2026-11-02", "2026-07-01"),
            (ASHWELL, 2, "2026-10-05", "2026-10-05"),
        ]

        async with signed_in_where_only("la-officer", {"commissioning": app.client}) as officer:
            page = text_of((await officer.get("/schools")).text)
        assert "Abbots Langley School 4: causing concern 1 July 2026" in page, page
        assert "Ashwell Primary School 2: some concerns 5 October 2026" in page, page
