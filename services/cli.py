"""`schools-platform`: run, migrate, seed and sign in to the platform from the command line."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from services import registry
from shared.auth import MAX_TRUST_CODE, SCHOOL_ROLES, Role, issue_token
from shared.logs import configure_logging
from shared.settings import DEVELOPMENT_JWT_SECRET, refusal


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="schools-platform", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)

    up = commands.add_parser("up", help="run the whole platform locally (Ctrl-C stops it)")
    up.add_argument("--no-seed", action="store_true", help="skip the demo data")
    up.add_argument(
        "--cluster",
        action="store_true",
        help="a three-node NATS JetStream cluster, streams with three replicas, as in production",
    )

    for name, text in (("api", "serve one service's HTTP API"), ("worker", "run one worker")):
        command = commands.add_parser(name, help=text)
        command.add_argument("service", choices=registry.NAMES)

    commands.add_parser("portal", help="serve the web portal (PORTAL_HTTP_PORT, default 8000)")

    migrate = commands.add_parser("migrate", help="bring databases to the newest schema")
    migrate.add_argument("services", nargs="*", help=f"default: all of {', '.join(registry.NAMES)}")

    commands.add_parser("seed", help="load the demo data (idempotent)")

    rebuild = commands.add_parser(
        "rebuild", help="replay the streams into a fresh database and compare it with the live one"
    )
    rebuild.add_argument("service", choices=["ledger"])  # see rebuild.command.REBUILDABLE
    rebuild.add_argument("--into", required=True, help="the fresh database's URL (SQLAlchemy)")

    redrive = commands.add_parser(
        "redrive", help="apply again the events a service's consumers parked (dead letters)"
    )
    redrive.add_argument("service", choices=registry.NAMES)
    redrive.add_argument("--letter", type=_letter_id, help="only this dead letter (its id)")
    redrive.add_argument(
        "--drop-unappliable",
        action="store_true",
        help="remove the letters no re-drive could ever apply: a body that is not the event, "
        "a subscription the service no longer has (a letter whose event failed is kept)",
    )

    schools = commands.add_parser("import-schools", help="load a schools register CSV")
    schools.add_argument("path", type=Path)

    token = commands.add_parser("token", help="issue a development bearer token")
    token.add_argument("--role", required=True, choices=[role.value for role in Role])
    token.add_argument("--urn", type=int, help="the school's URN (role school)")
    token.add_argument("--trust", help="the academy trust's code (role trust_buyer)")
    token.add_argument("--subject", default="dev-user")
    token.add_argument("--secret", default=DEVELOPMENT_JWT_SECRET)

    args = parser.parse_args(argv)
    if problem := _mistyped(args):
        parser.error(problem)
    configure_logging()
    if args.command == "up":
        from services.local_run import run_local

        sys.exit(run_local(seed=not args.no_seed, cluster=args.cluster))
    elif args.command == "api":
        serve_api(args.service)
    elif args.command == "portal":
        serve_portal()
    elif args.command == "worker":
        from shared.heap import freeze_what_startup_made

        service = registry.service(args.service)
        asyncio.run(service.run_worker(once_started=freeze_what_startup_made))
    elif args.command == "migrate":
        asyncio.run(registry.migrate(args.services or registry.NAMES))
    elif args.command == "seed":
        # Imported here: a worker or an API restarting after a crash should not wait for it.
        from services.seed.demo import seed_demo

        asyncio.run(seed_demo())
    elif args.command == "rebuild":
        from services.rebuild.command import rebuild_command

        sys.exit(asyncio.run(rebuild_command(args.service, into=args.into)))
    elif args.command == "redrive":
        redriven = redrive_parked(
            args.service, letter=args.letter, drop_unappliable=args.drop_unappliable
        )
        if not asyncio.run(redriven):
            sys.exit(1)
    elif args.command == "import-schools":
        if not asyncio.run(import_schools(args.path)):
            sys.exit(1)
    elif args.command == "token":
        print(
            issue_token(
                secret=args.secret,
                subject=args.subject,
                role=Role(args.role),
                urn=args.urn,
                trust=args.trust,
            )
        )


MAX_LETTER_ID = 2**63 - 1  # a dead letter's id is a BIGINT


def _letter_id(text: str) -> int:
    """A dead letter's id as typed, refused before any database is asked if none can have it."""
    if not (
        text.isascii() and text.isdigit() and len(text) < 20 and 1 <= int(text) <= MAX_LETTER_ID
    ):
        raise argparse.ArgumentTypeError(
            f"a dead letter's id is a whole number from 1 to {MAX_LETTER_ID}"
        )
    return int(text)


def _mistyped(args: argparse.Namespace) -> str | None:
    """What argparse cannot see is wrong with the arguments, before anything is done."""
    if args.command == "migrate":
        unknown = [name for name in args.services if name not in registry.NAMES]
        if unknown:
            return (
                f"unknown service(s) {', '.join(unknown)}; choose from {', '.join(registry.NAMES)}"
            )
    if args.command == "rebuild":
        try:
            make_url(args.into)
        except ArgumentError:
            return (
                f"--into: {args.into!r} is not a database URL (e.g. sqlite+aiosqlite:///rebuilt.db)"
            )
    if args.command == "token":
        return _token_mistyped(args)
    return None


def _token_mistyped(args: argparse.Namespace) -> str | None:
    """Why every API would refuse the token asked for (see shared.auth.TokenVerifier)."""
    role = Role(args.role)
    if role in SCHOOL_ROLES and args.urn is None:
        return f"--urn: a {role.value} token must carry the school's URN"
    if role is Role.TRUST_BUYER and not (args.trust and len(args.trust) <= MAX_TRUST_CODE):
        return f"--trust: a trust_buyer token must carry its trust's code (1 to {MAX_TRUST_CODE} characters)"
    if not args.secret:
        return "--secret: the key that signs the token cannot be empty"
    return None


def serve_api(name: str) -> None:
    settings = registry.service(name).settings
    _serve(f"services.{name}.bootstrap:create_api", settings.http_host, settings.http_port)


def serve_portal() -> None:
    from pydantic import ValidationError

    from services.portal.config import Settings

    try:
        settings = Settings()
    except ValidationError as refused:
        raise SystemExit(refusal(Settings, refused, of="portal")) from None
    _serve("services.portal.bootstrap:create_app", settings.http_host, settings.http_port)


def _serve(factory: str, host: str, port: int) -> None:
    from shared.http_server import serve

    serve(factory, host=host, port=port)


async def redrive_parked(name: str, *, letter: int | None, drop_unappliable: bool = False) -> bool:
    """Whether every dead letter re-driven was applied (now or before) and removed, and the
    one asked for (`letter`) was there."""
    from shared.messaging.redrive import redrive as redrive_letters

    service = registry.service(name)
    try:
        await registry.reach(service)
        outcomes = await redrive_letters(
            service.sessions,
            service.definition.tables,
            service.subscriptions().all,
            letter=letter,
            drop_unappliable=drop_unappliable,
        )
    finally:
        await service.bus.aclose()
        await service.engine.dispose()
    for outcome in outcomes:
        print(outcome.line(), file=sys.stdout if outcome.cleared else sys.stderr)
    if not outcomes and letter is not None:  # mistyped, or cleared already by someone else
        print(f"{name}: no dead letter {letter}", file=sys.stderr)
        return False
    if not outcomes:
        print(f"{name}: no dead letter")
    return all(outcome.cleared for outcome in outcomes)


async def import_schools(path: Path) -> bool:
    """Whether the file was imported; one refused whole is told by its line and column."""
    from services.orders.adapters.register_csv import read_register
    from services.orders.application.schools import ImportSchools
    from shared.errors import DomainError

    orders = registry.service("orders")
    try:
        await registry.reach(orders)
        print("schools imported:", await orders.bus.handle(ImportSchools(read_register(path))))
        return True
    except DomainError as refused:
        print(f"{path}: nothing imported: {refused.message}", file=sys.stderr)
        return False
    except OSError as unreadable:
        print(f"{path}: nothing imported: {unreadable.strerror or unreadable}", file=sys.stderr)
        return False
    finally:
        await orders.bus.aclose()
        await orders.engine.dispose()


if __name__ == "__main__":
    main()
