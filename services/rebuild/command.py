"""`schools-platform rebuild ledger --into URL`: replay the streams into a fresh database under
durable names of the rebuild's own, then print what differs from the live database (nothing,
if the book is what its events say)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import MetaData, Table, delete, func, insert, select

from services import registry
from services.rebuild import compare, ledger, ledger_api_made
from services.rebuild.replay import replay
from shared.service import Service


@dataclass(frozen=True)
class Rebuildable:
    metadata: MetaData
    figures: compare.Figures
    # Reference data a service may be given directly rather than by events (the demo seed enters
    # the ledger's register so, and names the service of its imported history): copied from the
    # live database before the replay, which names again what its events name, and said so.
    carried: tuple[str, ...] = ()
    # What the service's own API made, which no stream holds: copied from the live database
    # after the replay; how many of each kind.
    made_by_its_api: Callable[[Service[Any], Service[Any]], Awaitable[dict[str, int]]] | None = None


REBUILDABLE = {
    "ledger": Rebuildable(
        ledger.metadata,
        ledger.figures,
        carried=("schools", "service_names"),
        made_by_its_api=ledger_api_made.carry,
    )
}


@dataclass(frozen=True)
class Rebuilt:
    live_rows: dict[str, int]
    rebuilt_rows: dict[str, int]
    differences: list[str]
    carried: tuple[str, ...] = ()
    made_by_its_api: dict[str, int] = field(default_factory=dict)

    @property
    def exit_status(self) -> int:
        return 1 if self.differences else 0

    def lines(self) -> list[str]:
        lines = [f"copied from the live database, not replayed: {', '.join(self.carried)}"]
        lines = lines if self.carried else []
        if any(self.made_by_its_api.values()):
            counts = ", ".join(f"{kind} {count}" for kind, count in self.made_by_its_api.items())
            lines.append(f"made through the API, copied after the replay: {counts}")
        lines.append(f"{'table':<28}{'live':>10}{'rebuilt':>10}")
        for name, count in self.live_rows.items():
            lines.append(f"{name:<28}{count:>10}{self.rebuilt_rows.get(name, 0):>10}")
        if self.differences:
            lines += [f"{len(self.differences)} difference(s):", *self.differences]
        else:
            lines.append("no differences: every row, every balance and every report match")
        return lines


async def rebuild(live: Service[Any], fresh: Service[Any], *, carry: bool = True) -> Rebuilt:
    """Replay into `fresh` (migrated here; it must hold nothing yet) as of `live`'s today, then
    copy what the service's API made; `carry=False` replays the reference data too instead of
    copying it."""
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
    made = await kind.made_by_its_api(live, fresh) if kind.made_by_its_api else {}
    return Rebuilt(
        live_rows=await compare.summary(live, metadata),
        rebuilt_rows=await compare.summary(fresh, metadata),
        differences=await compare.differences(live, fresh, metadata=metadata, figures=kind.figures),
        carried=carried,
        made_by_its_api=made,
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
    return outcome.exit_status
