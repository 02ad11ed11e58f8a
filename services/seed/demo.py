"""Seeds each service through its own use cases, so seeded data raises the same events as real
use would. Seeding twice changes nothing."""

from __future__ import annotations

from pathlib import Path

from services import registry
from services.orders.application.schools import ImportSchools
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.seed.catalogue import seed_catalogue as seed_catalogue
from services.seed.commissioning import seed_commissioning
from services.seed.demo_trust import seed_register
from services.seed.evaluation import seed_evaluation
from services.seed.files import SCHOOLS_CSV
from services.seed.ks2_evaluation import earlier_sales
from services.seed.ledger import seed_ledger_history, seed_ledger_register
from shared.clock import Clock
from shared.service import Service


async def seed_demo() -> None:
    """The demo's data in every service's own database."""
    catalogue, orders, commissioning, evaluation, ledger = (
        registry.service(name)
        for name in ("catalogue", "orders", "commissioning", "evaluation", "ledger")
    )  # notifications has nothing to seed: it hears of everything through events
    try:
        await registry.reach(catalogue, orders, commissioning, evaluation, ledger)
        print("catalogue services seeded:", await seed_catalogue(catalogue))
        print("schools imported:", await seed_schools(orders))
        print("LA contracts seeded:", await seed_commissioning(commissioning, Clock().today()))
        print("evaluation programmes seeded:", await seed_evaluation(evaluation, catalogue))
        print("ledger's schools register seeded:", await seed_ledger_register(ledger))
        history = await earlier_sales(catalogue)
        print("ledger's earlier sales imported:", await seed_ledger_history(ledger, history))
    finally:
        await orders.bus.aclose()
        for service in (catalogue, orders, commissioning, evaluation, ledger):
            await service.engine.dispose()


async def seed_schools(service: Service[OrdersUnitOfWork], path: Path = SCHOOLS_CSV) -> int:
    async with service.unit_of_work() as uow:
        if await uow.schools.count():
            return 0
    if not path.exists():
        raise SystemExit(f"schools register not found at {path}; set PLATFORM_SCHOOLS_CSV")
    # The demo seeds each service's copy of the register directly, so it announces nothing.
    imported: int = await service.bus.handle(ImportSchools(seed_register(path), announce=False))
    return imported
