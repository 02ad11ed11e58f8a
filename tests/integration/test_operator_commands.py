"""`schools-platform` given what an operator may mistype at 3 a.m.: a line saying what is wrong
and an exit status, never a traceback, and never a token that every API will refuse."""

from __future__ import annotations

from pathlib import Path

import pytest

from services import cli
from services.seed.files import SCHOOLS_CSV
from shared.auth import TokenVerifier
from shared.settings import DEVELOPMENT_JWT_SECRET
from tests.support.nats_server import free_port


def refused(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int | str | None, str]:
    """The exit status of `schools-platform argv` and what it told on stderr."""
    capsys.readouterr()
    with pytest.raises(SystemExit) as stopped:
        cli.main(argv)
    told = capsys.readouterr()
    assert "Traceback" not in told.err
    assert not told.out  # no token, no report
    if isinstance(stopped.value.code, str):  # Python prints it on stderr, and exits with 1
        return 1, told.err + stopped.value.code
    return stopped.value.code, told.err


@pytest.mark.parametrize(
    ("argv", "named"),
    [
        (["token", "--role", "school"], "--urn"),
        (["token", "--role", "school_approver"], "--urn"),
        (["token", "--role", "trust_buyer"], "--trust"),
        (["token", "--role", "trust_buyer", "--trust", "T" * 21], "--trust"),
        (["token", "--role", "admin", "--secret", ""], "--secret"),
    ],
)
def test_a_token_every_api_would_refuse_is_not_issued(
    argv: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    status, told = refused(argv, capsys)
    assert status == 2
    assert named in told


def test_a_token_issued_for_a_school_is_one_the_apis_accept(
    capsys: pytest.CaptureFixture[str],
) -> None:
    cli.main(["token", "--role", "school", "--urn", "117083"])
    token = capsys.readouterr().out.strip()
    principal = TokenVerifier(secret=DEVELOPMENT_JWT_SECRET).verify(token)
    assert principal.urn == 117083


def test_migrate_refuses_an_unknown_service_before_migrating_any(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ORDERS_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/orders.db")
    status, told = refused(["migrate", "orders", "ordres"], capsys)
    assert status == 2
    assert "ordres" in told
    assert not (tmp_path / "orders.db").exists()


def test_migrate_says_which_database_it_cannot_reach(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    monkeypatch.setenv(
        "ORDERS_DATABASE_URL", f"postgresql+asyncpg://orders:s3cret@127.0.0.1:{port}/orders"
    )
    status, told = refused(["migrate", "orders"], capsys)
    assert status == 1
    assert f"127.0.0.1:{port}/orders" in told
    assert "s3cret" not in told


def test_settings_an_operator_got_wrong_are_named_by_their_variables(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ORDERS_CONSUMER_BATCH_SIZE", "lots")
    status, told = refused(["migrate", "orders"], capsys)
    assert status == 1
    assert "ORDERS_CONSUMER_BATCH_SIZE" in told

    monkeypatch.delenv("ORDERS_CONSUMER_BATCH_SIZE")
    monkeypatch.setenv("ORDERS_DATABASE_URL", "orders.db")
    status, told = refused(["migrate", "orders"], capsys)
    assert status == 1
    assert "ORDERS_DATABASE_URL: not a database URL" in told

    monkeypatch.setenv("PLATFORM_ENVIRONMENT", "production")
    monkeypatch.setenv("ORDERS_DATABASE_URL", "postgresql+asyncpg://orders@db/orders")
    status, told = refused(["migrate", "orders"], capsys)
    assert status == 1
    assert "PLATFORM_JWT_SECRET" in told
    status, told = refused(["portal"], capsys)
    assert status == 1
    assert "PORTAL_JWT_SECRET (or PLATFORM_JWT_SECRET)" in told


def test_a_register_file_that_is_not_there_is_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ORDERS_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/orders.db")
    cli.main(["migrate", "orders"])
    status, told = refused(["import-schools", str(tmp_path / "register.csv")], capsys)
    assert status == 1
    assert str(tmp_path / "register.csv") in told


def test_a_rebuild_into_what_is_not_a_database_url_is_refused(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, told = refused(["rebuild", "ledger", "--into", "ledger-rebuilt.db"], capsys)
    assert status == 2
    assert "--into" in told


@pytest.mark.parametrize("letter", ["0", "-3", "99999999999999999999", "seven"])
def test_a_dead_letter_id_no_table_can_hold_is_refused_before_any_database_is_asked(
    letter: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """SQLite cannot even compare an id past 64 bits: redrive used to end in a traceback."""
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/ledger.db")
    status, told = refused(["redrive", "ledger", "--letter", letter], capsys)
    assert status == 2
    assert "--letter: a dead letter's id is a whole number from 1" in told
    assert not (tmp_path / "ledger.db").exists()


def unreachable_database(service: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """Points `service` at a PostgreSQL that is not there, with a password; where it points."""
    port = free_port()
    monkeypatch.setenv(
        f"{service.upper()}_DATABASE_URL",
        f"postgresql+asyncpg://{service}:s3cret@127.0.0.1:{port}/{service}",
    )
    return f"127.0.0.1:{port}/{service}"


@pytest.mark.parametrize(
    ("argv", "unreachable"),
    [
        (["seed"], "catalogue"),
        (["import-schools", str(SCHOOLS_CSV)], "orders"),
        (["rebuild", "ledger", "--into", "sqlite+aiosqlite:///{tmp_path}/rebuilt.db"], "ledger"),
        (["redrive", "ledger"], "ledger"),
    ],
)
def test_a_command_says_which_database_it_cannot_reach(
    argv: list[str],
    unreachable: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("catalogue", "orders", "commissioning", "evaluation", "ledger"):
        monkeypatch.setenv(
            f"{name.upper()}_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/{name}.db"
        )
    where = unreachable_database(unreachable, monkeypatch)
    status, told = refused([arg.format(tmp_path=tmp_path) for arg in argv], capsys)
    assert status == 1
    assert f"{unreachable}: its database postgresql+asyncpg://{unreachable}:***@{where}" in told
    assert "s3cret" not in told


def test_a_rebuild_says_it_cannot_reach_the_database_it_would_rebuild_into(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("LEDGER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path}/ledger.db")
    port = free_port()
    into = f"postgresql+asyncpg://rebuild:s3cret@127.0.0.1:{port}/rebuilt"
    status, told = refused(["rebuild", "ledger", "--into", into], capsys)
    assert status == 1
    assert f"127.0.0.1:{port}/rebuilt" in told
    assert "s3cret" not in told
