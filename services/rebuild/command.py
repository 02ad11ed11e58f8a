"""`schools-platform rebuild ledger --into URL`: replay the streams into a fresh database under
durable names of the rebuild's own, then print what differs from the live database (nothing,
if the book is what its events say)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import MetaData, Table, delete, func, insert, select

from services import registry
from services.rebuild import compare, ledger
from services.rebuild.replay import replay
from shared.service import Service


@dataclass(frozen=True)
class Rebuildable:
    metadata: MetaData
    figures: compare.Figures
    # Reference data a service may be given directly rather than by events (the demo seed enters
    # the ledger's register so): copied from the live database before the replay, and said so.
    carried: tuple[str, ...] = ()


REBUILDABLE = {"ledger": Rebuildable(ledger.metadata, ledger.figures, carried=("schools",))}


@dataclass(frozen=True)
class Rebuilt:
    live_rows: dict[str, int]
    rebuilt_rows: dict[str, int]
    differences: list[str]
    carried: tuple[str, ...] = ()

    def lines(self) -> list[str]:
        lines = [f"copied from the live database, not replayed: {', '.join(self.carried)}"]
        lines = lines if self.carried else []
        lines.append(f"{'table':<28}{'live':>10}{'rebuilt':>10}")
        for name, count in self.live_rows.items():
            lines.append(f"{name:<28}{count:>10}{self.rebuilt_rows.get(name, 0):>10}")
        if self.differences:
            lines += [f"{len(self.differences)} difference(s):", *self.differences]
        else:
            lines.append("no differences: every row, every balance and every report match")
        return lines


async def rebuild(live: Service[Any], fresh: Service[Any], *, carry: bool = True) -> Rebuilt:
    """Replay into `fresh` (migrated here; it must hold nothing yet) as of `live`'s today;
    `carry=False` replays the reference data too instead of copying it."""
    kind = REBUILDABLE[live.name]
    carried = kind.carried if carry else ()
    metadata = kind.metadata
    await fresh.migrate()
    inbox = metadata.tables["inbox"]
    async with fresh.engine.connect() as connection:
        if await connection.scalar(select(func.count()).select_from(inbox)):
            raise SystemExit(
                "--into: that database already holds applied events; give an empty one"
            )
    for name in carried:
        await _copy(metadata.tables[name], live, fresh)
    fresh.clock.set(live.clock.today())
    await replay(fresh, tag=uuid.uuid4().hex[:8])
    return Rebuilt(
        live_rows=await compare.summary(live, metadata),
        rebuilt_rows=await compare.summary(fresh, metadata),
        differences=await compare.differences(live, fresh, metadata=metadata, figures=kind.figures),
        carried=carried,
    )


async def _copy(table: Table, live: Service[Any], fresh: Service[Any]) -> None:
    async with live.engine.connect() as source:
        rows = [dict(row._mapping) for row in await source.execute(select(table))]
    if rows:
        async with fresh.engine.begin() as target:
            await target.execute(delete(table))
            await target.execute(insert(table), rows)


async def rebuild_command(name: str, *, into: str) -> int:
    live, fresh = registry.service(name), registry.service(name, database_url=into)
    try:
        await registry.reach(live, fresh)
        outcome = await rebuild(live, fresh)
    finally:
        await live.engine.dispose()
        await fresh.engine.dispose()
    print("\n".join(outcome.lines()))
    return 1 if outcome.differences else 0
