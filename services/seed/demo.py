"""Seeds each service through its own use cases, so seeded data raises the same events as real
use would. Seeding twice changes nothing."""

from __future__ import annotations

import os
from pathlib import Path

from services.orders.application.schools import ImportSchools
from services.orders.application.unit_of_work import OrdersUnitOfWork
from services.seed.catalogue import seed_catalogue as seed_catalogue
from services.seed.demo_trust import seed_register
from shared.service import Service

DATA = Path(__file__).resolve().parent / "data"
# The real Hertfordshire register carried in the repository (source and licence in data/README.md);
# PLATFORM_SCHOOLS_CSV seeds from another LA's extract instead.
SCHOOLS_CSV = Path(os.environ.get("PLATFORM_SCHOOLS_CSV", DATA / "schools-hertfordshire.csv"))


async def seed_schools(service: Service[OrdersUnitOfWork], path: Path = SCHOOLS_CSV) -> int:
    async with service.unit_of_work() as uow:
        if await uow.schools.count():
            return 0
    if not path.exists():
        raise SystemExit(f"schools register not found at {path}; set PLATFORM_SCHOOLS_CSV")
    # The demo seeds each service's copy of the register directly, so it announces nothing.
    imported: int = await service.bus.handle(ImportSchools(seed_register(path), announce=False))
    return imported
