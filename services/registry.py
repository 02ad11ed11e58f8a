"""The platform's services by name, imported only when asked for."""

from __future__ import annotations

from collections.abc import Iterable
from importlib import import_module
from typing import Any

from pydantic import ValidationError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from shared.service import Service
from shared.settings import refusal

NAMES = ("catalogue", "orders", "commissioning", "evaluation", "ledger", "notifications")


def service(name: str, **settings: Any) -> Service[Any]:
    if name not in NAMES:
        raise SystemExit(f"unknown service {name!r}; choose from {', '.join(NAMES)}")
    bootstrap = import_module(f"services.{name}.bootstrap")
    config = import_module(f"services.{name}.config")
    try:
        chosen = config.Settings(**settings)
    except ValidationError as refused:
        raise SystemExit(refusal(config.Settings, refused, of=name)) from None
    return bootstrap.service(chosen)  # type: ignore[no-any-return]


async def migrate(names: Iterable[str] = NAMES) -> None:
    """Bring each named service's database to its newest schema."""
    for name in names:
        found = service(name)
        try:
            await reach(found)
            await found.migrate()
        finally:
            await found.engine.dispose()


async def reach(*services: Service[Any]) -> None:
    """Connect once to each service's database before a command uses any, so that one that
    cannot be reached ends the command with a line naming it (its password hidden) and an exit
    status, not a traceback from wherever it was first used."""
    for found in services:
        try:
            async with found.engine.connect():
                pass
        except (OSError, DBAPIError) as error:
            reached = make_url(found.settings.database_url).render_as_string(hide_password=True)
            reason = error.orig if isinstance(error, DBAPIError) else error
            raise SystemExit(
                f"{found.name}: its database {reached} cannot be reached: {reason}"
            ) from None
