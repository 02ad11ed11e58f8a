"""The schools register: imported from the real DfE extract by a CLI command, owned by orders,
and shared with the other services by `orders.school.registered.v1`."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest
from sqlalchemy import select

from services import cli, registry
from services.orders.adapters.register_csv import read_register
from services.orders.adapters.tables import messaging, sequences
from services.orders.adapters.tables import metadata as orders_tables
from services.orders.application.schools import ImportSchools
from services.seed.files import SCHOOLS_CSV
from tests.support.orders_shop import CATALOGUE_ADMIN, SCHOOL, Shop
from tests.support.platform import ABBOTS_LANGLEY, eventually
from tests.support.tariffs import banded

BANDED = {"maintained": banded({0: 250000, 201: 325000, 401: 410000})}


def register_with(tmp_path: Path, urns: set[int], **changes: str) -> Path:
    """A few rows of the real register, as the DfE publishes them, some columns changed (or
    added)."""
    with SCHOOLS_CSV.open(encoding="utf-8") as source:
        reader = csv.DictReader(source)
        rows = [{**row, **changes} for row in reader if int(row["urn"]) in urns]
        header = reader.fieldnames or []
        fields = [*header, *(c for c in changes if c not in header)]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    path = tmp_path / "register.csv"
    path.write_text(out.getvalue(), encoding="utf-8")
    return path


async def test_a_changed_school_is_announced_and_the_catalogue_prices_by_the_new_roll(
    shop: Shop, tmp_path: Path
) -> None:
    service = await shop.service(service_type="subscription", prices=BANDED)

    async def price() -> int:
        quote = await shop.platform.catalogue.post(
            "/quotes",
            json={"service_id": service["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
            headers=SCHOOL,
        )
        return int(quote.json()["unit_price_pence"])

    before = await price()
    register = read_register(register_with(tmp_path, {ABBOTS_LANGLEY, 117084}, pupils="150"))
    unchanged = read_register(register_with(tmp_path, {117087}))
    orders = shop.platform.services["orders"]
    assert await orders.bus.handle(ImportSchools(register + unchanged)) == 3

    announced = await shop.outbox("orders.school.registered.v1")
    assert sorted((e["urn"], e["pupils"]) for e in announced) == [(117083, 150), (117084, 150)]
    assert announced[0]["name"] in {"Abbots Langley School", "Ashwell Primary School"}

    async def repriced() -> bool:
        return await price() == 250_000

    await eventually(repriced)
    assert before != 250_000


async def test_a_register_rebuilt_empty_still_announces_changes_the_copies_take(
    shop: Shop, tmp_path: Path
) -> None:
    """Orders' database rebuilt empty (a new machine, a restore of an older backup) while the
    other services keep their copies: the register's next change still reaches them. Counted
    from the rows, its versions restarted below the copies' and every change was ignored."""
    service = await shop.service(service_type="subscription", prices=BANDED)
    orders = shop.platform.services["orders"]

    async def price() -> int:
        quote = await shop.platform.catalogue.post(
            "/quotes",
            json={"service_id": service["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
            headers=SCHOOL,
        )
        return int(quote.json()["unit_price_pence"])

    async def imported(pupils: str) -> None:
        register = read_register(register_with(tmp_path, {ABBOTS_LANGLEY}, pupils=pupils))
        await orders.bus.handle(ImportSchools(register))

    async def priced_at(pence: int) -> bool:
        return await price() == pence

    for pupils, pence in (("150", 250_000), ("450", 410_000)):
        await imported(pupils)
        await eventually(lambda: priced_at(pence))  # noqa: B023 (awaited within the loop)

    async with orders.unit_of_work() as uow:  # every row gone, as on a new machine
        for table in reversed(orders_tables.sorted_tables):
            if table is not sequences:  # its counters, which a new database's migrations put there
                await uow.session.execute(table.delete())
        await uow.commit()
    await imported("300")

    await eventually(lambda: priced_at(325_000))


def test_the_import_command_loads_the_real_register_and_announces_each_school_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ORDERS_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/orders.db")
    cli.main(["migrate", "orders"])
    cli.main(["import-schools", str(SCHOOLS_CSV)])
    cli.main(["import-schools", str(SCHOOLS_CSV)])  # again: nothing new to announce

    async def recorded() -> tuple[int, list[dict[str, object]]]:
        orders = registry.service("orders")
        try:
            async with orders.unit_of_work() as uow:
                count = await uow.schools.count()
                rows = await uow.session.execute(
                    select(messaging.outbox.c.body).where(
                        messaging.outbox.c.subject == "orders.school.registered.v1"
                    )
                )
                return count, [json.loads(row.body)["payload"] for row in rows]
        finally:
            await orders.engine.dispose()

    count, events = asyncio.run(recorded())
    assert count == len(events) == 567
    assert len({event["urn"] for event in events}) == 567
    abbots = next(event for event in events if event["urn"] == ABBOTS_LANGLEY)
    assert (abbots["name"], abbots["phase"], abbots["la_code"]) == (
        "Abbots Langley School",
        "Primary",
        "919",
    )


@pytest.mark.parametrize(
    ("content", "told"),
    [
        (None, "the file cannot be read (No such file or directory)"),
        (b"urn,name\r\n\x81\x8d", "byte 11 is not text in UTF-8, UTF-16 or Windows-1252"),
    ],
    ids=["missing", "undecodable"],
)
def test_the_import_command_tells_of_a_file_it_cannot_read_without_a_traceback(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    content: bytes | None,
    told: str,
) -> None:
    monkeypatch.setenv("ORDERS_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/orders.db")
    cli.main(["migrate", "orders"])
    path = tmp_path / "register.csv"
    if content is not None:
        path.write_bytes(content)

    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:
        cli.main(["import-schools", str(path)])

    assert refused.value.code == 1
    assert capsys.readouterr().err == f"{path}: nothing imported: {told}\n"


def test_a_register_saved_as_utf_16_is_read_as_saved_in_utf_8(tmp_path: Path) -> None:
    text = SCHOOLS_CSV.read_text(encoding="utf-8-sig")
    path = tmp_path / "register.csv"
    path.write_text(text, encoding="utf-16")

    assert read_register(path) == read_register(SCHOOLS_CSV)


def test_the_import_command_refuses_a_bad_cell_by_line_and_column_and_imports_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ORDERS_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/orders.db")
    cli.main(["migrate", "orders"])
    header, good, *_ = SCHOOLS_CSV.read_text(encoding="utf-8-sig").splitlines()
    bad = good.replace(good.split(",")[0], "99999999999", 1)  # SQLite's integer holds it
    path = tmp_path / "register.csv"
    path.write_text("\n".join([header, good, bad]), encoding="utf-8")

    capsys.readouterr()
    with pytest.raises(SystemExit) as refused:
        cli.main(["import-schools", str(path)])

    assert refused.value.code == 1
    told = capsys.readouterr().err
    assert told.startswith(f"{path}: nothing imported: line 3, column urn: '99999999999' is out")
    assert "Traceback" not in told

    async def recorded() -> tuple[int, int]:
        orders = registry.service("orders")
        try:
            async with orders.unit_of_work() as uow:
                events = await uow.session.execute(select(messaging.outbox.c.subject))
                return await uow.schools.count(), len(events.all())
        finally:
            await orders.engine.dispose()

    assert asyncio.run(recorded()) == (0, 0)


async def test_a_school_joining_a_trust_is_announced_and_priced_at_the_trust_s_list(
    shop: Shop, tmp_path: Path
) -> None:
    service = await shop.service(unit_price_pence=50_000)
    listed = await shop.platform.catalogue.put(
        "/trusts/4209/price-list",
        json={"trust_name": "Herts Learning Trust", "discount_percent": 20},
        headers=CATALOGUE_ADMIN,
    )
    assert listed.status_code == 200, listed.text
    joined = register_with(
        tmp_path, {ABBOTS_LANGLEY}, trust_code="4209", trust_name="Herts Learning Trust"
    )
    await shop.platform.services["orders"].bus.handle(ImportSchools(read_register(joined)))

    (announced,) = await shop.outbox("orders.school.registered.v1")
    assert (announced["trust_code"], announced["trust_name"]) == ("4209", "Herts Learning Trust")

    async def trust_price() -> str:
        quote = await shop.platform.catalogue.post(
            "/quotes",
            json={"service_id": service["id"], "urn": ABBOTS_LANGLEY, "quantity": 1},
            headers=SCHOOL,
        )
        return str(quote.json()["rule"]) if quote.json()["unit_price_pence"] == 40_000 else ""

    assert (await eventually(trust_price)).endswith("less 20% on Herts Learning Trust's price list")


async def test_a_school_that_has_ordered_is_updated_by_a_re_import(
    shop: Shop, tmp_path: Path
) -> None:
    bought = await shop.buy((await shop.service())["id"])
    register = read_register(register_with(tmp_path, {ABBOTS_LANGLEY}, pupils="150"))
    orders = shop.platform.services["orders"]

    assert await orders.bus.handle(ImportSchools(register)) == 1

    async with orders.unit_of_work() as uow:
        assert (await uow.schools.get(ABBOTS_LANGLEY)).pupils == 150
    assert (await shop.order(bought["id"]))["urn"] == ABBOTS_LANGLEY


async def test_each_change_to_a_school_s_entry_is_announced_at_a_higher_version(
    shop: Shop, tmp_path: Path
) -> None:
    orders = shop.platform.services["orders"]
    async with orders.unit_of_work().reading() as uow:
        seeded = (await uow.schools.get(ABBOTS_LANGLEY)).version

    for pupils in ("150", "150", "160"):  # the second extract changes nothing
        register = read_register(register_with(tmp_path, {ABBOTS_LANGLEY}, pupils=pupils))
        assert await orders.bus.handle(ImportSchools(register)) == 1

    announced = await shop.outbox("orders.school.registered.v1")
    assert [event["pupils"] for event in announced] == [150, 160]
    first, second = (event["version"] for event in announced)
    assert seeded < first < second
    async with orders.unit_of_work().reading() as uow:
        assert (await uow.schools.get(ABBOTS_LANGLEY)).version == second


async def test_two_imports_at_once_announce_a_changed_school_at_two_versions(
    shop: Shop, tmp_path: Path
) -> None:
    orders = shop.platform.services["orders"]
    async with orders.unit_of_work().reading() as uow:
        seeded = (await uow.schools.get(ABBOTS_LANGLEY)).version
    extracts = [
        read_register(register_with(tmp_path, {ABBOTS_LANGLEY}, pupils=pupils))
        for pupils in ("150", "160")
    ]

    await asyncio.gather(*(orders.bus.handle(ImportSchools(extract)) for extract in extracts))

    announced = await shop.outbox("orders.school.registered.v1")
    first, second = sorted(event["version"] for event in announced)
    assert seeded < first < second
