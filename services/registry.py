"""The platform's services by name, imported only when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from shared.service import Service

NAMES = ("catalogue", "orders", "commissioning", "evaluation", "ledger", "notifications")


def service(name: str, **settings: Any) -> Service[Any]:
    if name not in NAMES:
        raise SystemExit(f"unknown service {name!r}; choose from {', '.join(NAMES)}")
    bootstrap = import_module(f"services.{name}.bootstrap")
    config = import_module(f"services.{name}.config")
    return bootstrap.service(config.Settings(**settings))  # type: ignore[no-any-return]


async def migrate(names: Iterable[str] = NAMES) -> None:
    """Bring each named service's database to its newest schema."""
    for name in names:
        found = service(name)
        await found.migrate()
        await found.engine.dispose()
