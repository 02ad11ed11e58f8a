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
            await found.migrate()
        except (OSError, DBAPIError) as error:
            reached = make_url(found.settings.database_url).render_as_string(hide_password=True)
            reason = error.orig if isinstance(error, DBAPIError) else error
            raise SystemExit(
                f"{name}: its database {reached} cannot be reached: {reason}"
            ) from None
        finally:
            await found.engine.dispose()
