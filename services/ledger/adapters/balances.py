"""The balances the reports read, kept in the transaction that posts: per account, month and
dimensions (`tables.BALANCE_DIMENSIONS`), the same across every school, and per open invoice to
a school, a trust or the LA. Each batch adds its
postings with one upsert per table, in key order (two workers adding to the same rows take
their locks in the same order)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache, reduce
from operator import itemgetter
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Table,
    and_,
    case,
    delete,
    func,
    insert,
    inspect,
    select,
    true,
)
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import AsyncConnection

from services.ledger.adapters.tables import (
    ACROSS_SCHOOLS_DIMENSIONS,
    BALANCE_DIMENSIONS,
    accounts,
    balances,
    balances_across_schools,
    balances_across_schools_by_day,
    open_items,
    postings,
)
from services.ledger.domain.accounts import LA_RECEIVABLES, SCHOOL_RECEIVABLES
from services.ledger.domain.periods import first_of_next_month, month_of
from shared.upserts import dialect_insert, dialect_of

# Each maintained sum of the postings, and the dimensions it keeps them by.
SUMMARIES = (
    (balances, ("month",), BALANCE_DIMENSIONS),
    (balances_across_schools, ("month",), ACROSS_SCHOOLS_DIMENSIONS),
    (balances_across_schools_by_day, ("posted_on", "month"), ACROSS_SCHOOLS_DIMENSIONS),
)
NO_DOCUMENT = ""
NO_SCHOOL = 0  # an open item's URN when a trust owes the invoice (no URN is 0; keys are not null)


def dimensions_key(values: Iterable[Any]) -> str:
    return "|".join(["" if value is None else str(value) for value in values])


def _values_of(names: Sequence[str]) -> Callable[[Mapping[str, Any]], tuple[Any, ...]]:
    """A row's values of these columns, as a tuple even for one column."""
    if len(names) == 1:
        (name,) = names
        return lambda row: (row[name],)
    return itemgetter(*names)


async def add(session: AsyncConnection, rows: Sequence[Mapping[str, Any]]) -> None:
    """Add these posting rows (as inserted into `journal_postings`) to the balances."""
    dialect = dialect_of(session)
    for table, sums in sums_of(rows):
        if sums:
            await session.execute(adding(table, dialect), sums)


def sums_of(rows: Sequence[Mapping[str, Any]]) -> list[tuple[Table, list[dict[str, Any]]]]:
    """What these posting rows add to each maintained sum: the rows to add to each summary
    table, and to `open_items`, in key order."""
    keyed = {dimensions: _keyed(rows, dimensions) for _, _, dimensions in SUMMARIES}
    found = [
        (table, _summed(rows, days, dimensions, keyed[dimensions]))
        for table, days, dimensions in SUMMARIES
    ]
    owed: dict[tuple[str, str, int], dict[str, Any]] = {}
    for row in rows:
        amount = row["amount_pence"]
        trust = row.get("trust_code")
        debtor = _owed_by(row)
        if debtor is not None:
            item_key = (row["account"], row["document"] or NO_DOCUMENT, debtor)
            item = owed.setdefault(
                item_key,
                {"account": item_key[0], "document": item_key[1], "urn": item_key[2]}
                | {"trust_code": trust, "first_debit_on": None}
                | {"amount_pence": 0},
            )
            item["amount_pence"] += amount
            item["trust_code"] = item["trust_code"] or trust
            if amount > 0 and (
                item["first_debit_on"] is None or row["dated"] < item["first_debit_on"]
            ):
                item["first_debit_on"] = row["dated"]
    return [*found, (open_items, [owed[key] for key in sorted(owed)])]


def _owed_by(row: Mapping[str, Any]) -> int | None:
    """The debtor of the open item a posting row adds to: a school's URN, or NO_SCHOOL for a
    trust's invoice, for the LA's (whose postings name no school, unless a journal did) and for
    a journal to the schools' receivables that named no school (the aged debt's "No school
    named", so that its rows still add up to the account); None for a posting kept in no open
    item."""
    if row["account"] not in (LA_RECEIVABLES.code, SCHOOL_RECEIVABLES.code):
        return None
    return NO_SCHOOL if row["urn"] is None else int(row["urn"])


async def move_open_items(
    session: AsyncConnection, account: str, *, document: str, to: str
) -> None:
    """File the open items of `document` under `to` instead, added to what is owed there."""
    filed = (open_items.c.account == account) & (open_items.c.document == document)
    found = (await session.execute(select(open_items).where(filed))).mappings().all()
    if found:
        await session.execute(delete(open_items).where(filed))
        moved = [{**row, "document": to} for row in found]
        await session.execute(adding(open_items, dialect_of(session)), moved)


def adding(table: Table, dialect: str) -> Any:
    """The statement that adds rows of `sums_of` to `table`'s sums (built once per table)."""
    return _adding_open_items(dialect) if table is open_items else _adding_sums(table, dialect)


def _keyed(
    rows: Sequence[Mapping[str, Any]], dimensions: Sequence[str]
) -> list[tuple[tuple[Any, ...], str]]:
    """Each row's values of these dimensions, and their `dimensions_key`: worked out once for
    the summaries that keep the same dimensions."""
    values_of = _values_of(dimensions)
    return [(values, dimensions_key(values)) for values in map(values_of, rows)]


def _summed(
    rows: Sequence[Mapping[str, Any]],
    days: Sequence[str],
    dimensions: Sequence[str],
    keyed: Sequence[tuple[tuple[Any, ...], str]],
) -> list[dict[str, Any]]:
    """The rows' sums by `days` (the month, or the day and its month), account and these
    dimensions (`keyed`: each row's values of them and their key), in key order."""
    days_of = _values_of(days)
    by_key: dict[tuple[Any, ...], dict[str, Any]] = {}
    for row, (values, joined) in zip(rows, keyed, strict=True):
        key = (days_of(row), row["account"], joined)
        amount = row["amount_pence"]
        found = by_key.get(key)
        if found is None:
            by_key[key] = found = {
                **{name: row[name] for name in days},
                "account": row["account"],
                "dimensions_key": joined,
                **dict(zip(dimensions, values, strict=True)),
                "amount_pence": 0,
                "debit_pence": 0,
            }
        found["amount_pence"] += amount
        if amount > 0:
            found["debit_pence"] += amount
    return [by_key[key] for key in sorted(by_key)]


@cache  # built once per table (see `upserts`)
def _adding_sums(table: Table, dialect: str) -> Any:
    statement = dialect_insert(dialect, table)
    return statement.on_conflict_do_update(
        index_elements=[column.name for column in table.primary_key.columns],
        set_={
            "amount_pence": table.c.amount_pence + statement.excluded.amount_pence,
            "debit_pence": table.c.debit_pence + statement.excluded.debit_pence,
        },
    )


@cache
def _adding_open_items(dialect: str) -> Any:
    statement = dialect_insert(dialect, open_items)
    mine, theirs = open_items.c.first_debit_on, statement.excluded.first_debit_on
    return statement.on_conflict_do_update(
        index_elements=["account", "document", "urn"],
        set_={
            "amount_pence": open_items.c.amount_pence + statement.excluded.amount_pence,
            # a trust's invoice after a journal that named neither school nor trust under its
            # number: the item is still the trust's
            "trust_code": func.coalesce(open_items.c.trust_code, statement.excluded.trust_code),
            "first_debit_on": case(
                (mine.is_(None), theirs),
                (theirs.is_(None), mine),
                (theirs < mine, theirs),
                else_=mine,
            ),
        },
    )


def rebuild(connection: Connection) -> None:
    """Sum every posting into the balances again (after a migration adds a dimension, or a
    bulk load straight into the postings). Only the dimensions the database has so far are
    summed: a migration before the one adding a later dimension runs this too."""
    for table, days, dimensions in SUMMARIES:
        if inspect(connection).has_table(table.name):  # a later migration adds it
            _rebuild_sums(connection, table, days, dimensions)
    connection.execute(delete(open_items))
    add_open_items(connection, SCHOOL_RECEIVABLES.code)
    add_open_items(connection, LA_RECEIVABLES.code)


def add_open_items(connection: Connection, account: str) -> None:
    """Sum the postings to this receivables account into its open items, as `sums_of` keeps
    them: every posting, by its invoice and debtor (`_owed_by`)."""
    amount = postings.c.amount_pence
    with_trusts = "trust_code" in {
        column["name"] for column in inspect(connection).get_columns("open_items")
    }
    debtor = func.coalesce(postings.c.urn, NO_SCHOOL)
    trust = [func.max(postings.c.trust_code)] if with_trusts else []
    document = func.coalesce(postings.c.document, NO_DOCUMENT)
    owed = (
        select(
            postings.c.account,
            document,
            debtor,
            *trust,
            func.min(case((amount > 0, postings.c.dated), else_=None)),
            func.sum(amount),
        )
        .where(postings.c.account == account)
        .group_by(postings.c.account, document, debtor)
    )
    items = ["account", "document", "urn", *(["trust_code"] if with_trusts else [])]
    connection.execute(
        insert(open_items).from_select([*items, "first_debit_on", "amount_pence"], owed)
    )


def _rebuild_sums(
    connection: Connection, table: Table, days: Sequence[str], dimensions: Sequence[str]
) -> None:
    connection.execute(delete(table))
    has = {column["name"] for column in inspect(connection).get_columns(table.name)}
    named = [name for name in dimensions if name in has]
    grouped = [postings.c[name] for name in (*days, "account", *named)]
    texts: list[ColumnElement[Any]] = [
        func.coalesce(func.cast(postings.c[name], table.c.dimensions_key.type), "")
        for name in named
    ]
    key = reduce(lambda joined, text: joined.concat("|").concat(text), texts[1:], texts[0])
    amount = postings.c.amount_pence
    sums = select(
        *grouped, key, func.sum(amount), func.sum(case((amount > 0, amount), else_=0))
    ).group_by(*grouped)
    columns = [*days, "account", *named, "dimensions_key", "amount_pence", "debit_pence"]
    connection.execute(insert(table).from_select(columns, sums))


# --- reading: a period is its whole months (from the balances) and the days around them -----


@dataclass(frozen=True)
class Period:
    first_month: str | None  # the whole months read from the balances (None: from the start)
    last_month: str | None  # None: no whole month in the period
    days: tuple[tuple[date | None, date], ...]  # the days read from the postings


EVERYTHING = Period(None, "9999-12", ())


def period(start: date | None, end: date) -> Period:
    """The days from `start` (None: the book's first) to `end`, both included."""
    starts_a_month = start is None or start.day == 1
    ends_a_month = first_of_next_month(end) - timedelta(days=1) == end
    if start is not None and month_of(start) == month_of(end):
        if starts_a_month and ends_a_month:
            return Period(month_of(end), month_of(end), ())
        return Period(None, None, ((start, end),))
    days: list[tuple[date | None, date]] = []
    first = None if start is None else month_of(start)
    if start is not None and not starts_a_month:
        next_month = first_of_next_month(start)
        days.append((start, next_month - timedelta(days=1)))
        first = month_of(next_month)
    last = month_of(end)
    if not ends_a_month:
        month_start = end.replace(day=1)
        days.append((month_start, end))
        last = month_of(month_start - timedelta(days=1))
    if first is not None and first > last:
        return Period(None, None, tuple(days))
    return Period(first, last, tuple(days))


Columns = Callable[[Any], list[ColumnElement[Any]]]  # of `balances` or `postings`
Condition = Callable[[Any], ColumnElement[bool]]


def debit(table: Any) -> ColumnElement[Any]:
    if table is not postings:
        return func.sum(table.c.debit_pence)
    return func.sum(case((postings.c.amount_pence > 0, postings.c.amount_pence), else_=0))


def amount(table: Any) -> ColumnElement[Any]:
    return func.sum(table.c.amount_pence)


async def sums(
    session: AsyncConnection,
    within: Period,
    *,
    by: Columns,
    measures: Sequence[Callable[[Any], ColumnElement[Any]]] = (amount,),
    where: Condition = lambda table: true(),
    by_school: bool = False,
) -> dict[tuple[Any, ...], list[int]]:
    """Sums of the postings in the period, grouped `by` columns that the balances and
    `journal_postings` both have (and `accounts`, joined on the account). Only a sum `by_school`
    (grouped by, or picking, a school's URN, phase or LA) reads the balances school by school,
    and the postings of the days around the whole months; any other reads the balances across
    schools, by month and by day."""
    found: dict[tuple[Any, ...], list[int]] = {}
    queries: list[tuple[Any, ColumnElement[bool]]] = []
    if within.last_month is not None:
        summary = balances if by_school else balances_across_schools
        months = summary.c.month <= within.last_month
        if within.first_month is not None:
            months = and_(months, summary.c.month >= within.first_month)
        queries.append((summary, months))
    days = postings if by_school else balances_across_schools_by_day
    queries.extend((days, _days(days, first, last)) for first, last in within.days)
    for table, span in queries:
        keys = by(table)
        query = (
            select(*keys, *(measure(table) for measure in measures))
            .select_from(table.join(accounts, accounts.c.code == table.c.account))
            .where(span, where(table))
            .group_by(*keys)
        )
        for row in await session.execute(query):
            totals = found.setdefault(tuple(row[: len(keys)]), [0] * len(measures))
            for index, value in enumerate(row[len(keys) :]):
                totals[index] += int(value or 0)
    return found


def _days(table: Any, first: date | None, last: date) -> ColumnElement[bool]:
    return and_(
        table.c.posted_on >= first if first is not None else true(), table.c.posted_on <= last
    )
