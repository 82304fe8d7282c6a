"""What a row needs from outside itself before it can be validated, as extra `_` columns.

- `_known__<column>` for every reference: the id exists in the warehouse (loaded, or open in
  quarantine: the entity was delivered and awaits a fix), among the batches already accepted in
  this run, or in this batch itself. Null (not checked) when the reference is null, when it is
  a customer id that means "not identified" (dbt var `unknown_customer_ids`), or when the
  referenced source was never delivered (master data is optional).
- `_null_when__<column>`: the column is null as a contract NullWhen rule requires.
- `_batch_time`: the time that puts the row in its batch (see `_batch_time`).
- `_span_seconds`: end minus start, for sources with a duration.
- `_targets_set`: how many of the exclusive target columns are set.
- `_rated_ended_at`: when the rated contact or bot session ended (surveys).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from ccmetrics.contract import ALL_SOURCES, SOURCES_BY_NAME, Source
from ccmetrics.contract_schema import ProvidedIds
from ccmetrics.guard.frames import frame_of
from ccmetrics.guard.rules import rules_for
from ccmetrics.guard.store import QUARANTINE
from ccmetrics.guard.suites import (
    BATCH_TIME_COLUMN,
    DAY_END_COLUMN,
    DAY_START_COLUMN,
    RATED_ENDED_COLUMN,
    SPAN_COLUMN,
    TARGETS_COLUMN,
    known_column,
    null_when_column,
)

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

RUN_IDS = "_guard_run_ids"
"""Temp table: keys (and end times) of every row of the batches accepted in this run."""
TYPED_VIEW = "_guard_typed_batch"
POSITION = "_guard_position"
CUSTOMERS = "customers"


@dataclass(frozen=True)
class Lookup:
    """Where known ids live: a `raw` schema (the warehouse, possibly attached) and the run."""

    raw_schema: str | None
    """`raw`, or `wh.raw` when the warehouse is attached read-only; None without a warehouse."""
    tables: frozenset[str]
    """Tables present in that schema."""

    def raw_table(self, table: str) -> str | None:
        if self.raw_schema is None or table not in self.tables:
            return None
        return f"{self.raw_schema}.{table}"

    def ids_sql(self, target: Source) -> str:
        parts = [f"select id from {RUN_IDS} where source = '{target.name}'"]
        loaded = self.raw_table(target.name)
        if loaded is not None:
            parts.append(f"select {target.key} from {loaded}")
        for native, provided in _providers(target):
            delivered = self.raw_table(native.name)
            if delivered is not None:
                parts.append(f"select {provided.id_column} from {delivered}")
        quarantined = self.raw_table(QUARANTINE)
        if quarantined is not None:
            parts.append(
                f"select key_value from {quarantined} "
                f"where source = '{target.name}' and status = 'open' and key_value is not null"
            )
        return " union all ".join(parts)

    def ended_sql(self, target: Source, among: str) -> str:
        """When each `target` record (of the ids `among` selects) ended: the latest version."""
        parts = [f"select id, ended_at from {RUN_IDS} where source = '{target.name}'"]
        loaded = self.raw_table(target.name)
        if loaded is not None:
            parts.append(f"select {target.key}, ended_at from {loaded}")
        for native, provided in _providers(target):
            delivered = self.raw_table(native.name)
            if delivered is not None:
                parts.append(
                    f"select {provided.id_column}, {provided.ended_column} from {delivered}"
                )
        return (
            f"select id, max(ended_at) as ended_at from ({' union all '.join(parts)}) "
            f"where id in ({among}) group by id"
        )


def ensure_run_ids(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        f"create temp table if not exists {RUN_IDS} "
        "(source varchar, id varchar, ended_at timestamp)"
    )


def _providers(target: Source) -> list[tuple[Source, ProvidedIds]]:
    """The native sources that deliver records of `target` (ids of contacts, bot sessions)."""
    return [
        (native, provided)
        for native in ALL_SOURCES
        for provided in native.provides
        if provided.entity == target.name
    ]


def remember_batch(con: duckdb.DuckDBPyConnection, source: Source, typed: pd.DataFrame) -> None:
    """Make an accepted batch's ids known to the batches after it in this run."""
    ended = "ended_at" if "ended_at" in source.column_names else "cast(null as timestamp)"
    remembered = [(source.name, source.key, ended)]
    remembered += [(p.entity, p.id_column, p.ended_column) for p in source.provides]
    con.register(TYPED_VIEW, typed)
    try:
        for name, key, ended_at in remembered:
            con.execute(
                f"insert into {RUN_IDS} select '{name}', {key}, {ended_at} "
                f"from {TYPED_VIEW} where {key} is not null"
            )
    finally:
        con.unregister(TYPED_VIEW)


def _batch_time(source: Source) -> str:
    """The time that decides a row's batch: its day column, or, for a new version of an earlier
    record (delivered in the file of the day it changed), its version column."""
    day = source.day_column
    if source.version_column is None:
        return day
    return (
        f"case when {day} between {DAY_START_COLUMN} and {DAY_END_COLUMN} then {day} "
        f"else {source.version_column} end"
    )


def _sql_list(values: tuple[str, ...]) -> str:
    return ", ".join("'" + value.replace("'", "''") + "'" for value in values) or "null"


def _batch_ids(*columns: str) -> str:
    """A select of the ids the batch being validated holds in `columns`. A lookup of known ids
    keeps only those: hashing every loaded id once per group grew with the warehouse."""
    return " union all ".join(f"select {column} from {TYPED_VIEW}" for column in columns)


def _delivered(con: duckdb.DuckDBPyConnection, known_ids_sql: str) -> bool:
    """The source behind `known_ids_sql` was delivered: it has rows loaded, open in
    quarantine, or accepted earlier in this run."""
    return bool(con.execute(f"select exists ({known_ids_sql})").fetchall()[0][0])


def _known_ids_ctes(
    con: duckdb.DuckDBPyConnection, source: Source, lookup: Lookup
) -> dict[str, str | None]:
    """For every source the batch references: the CTE of the batch's ids known to exist, or
    None when that source was never delivered. One CTE per referenced source, whatever the
    number of columns referring to it: each is a scan of every loaded id of that source (a
    contact's three links to other contacts were three scans of all loaded contacts)."""
    columns_by_target: dict[str, list[str]] = {}
    for column in source.columns:
        if column.references is not None:
            target_name, _ = column.references.split(".")
            columns_by_target.setdefault(target_name, []).append(column.name)
    ctes: dict[str, str | None] = {}
    for target_name, columns in columns_by_target.items():
        target = SOURCES_BY_NAME[target_name]
        known = lookup.ids_sql(target)
        if target.name == source.name:
            known += f" union all select {source.key} from {TYPED_VIEW}"
        elif not _delivered(con, known):
            ctes[target_name] = None
            continue
        ctes[target_name] = (
            f"select distinct id from ({known}) as known_ids(id) "
            f"where id in ({_batch_ids(*columns)})"
        )
    return ctes


def _known_cte_name(target_name: str) -> str:
    return f"_known_{target_name}"


def add_context(
    con: duckdb.DuckDBPyConnection,
    source: Source,
    typed: pd.DataFrame,
    lookup: Lookup,
    unknown_customer_ids: tuple[str, ...] = (),
) -> pd.DataFrame:
    """The typed batch with its context columns, same index."""
    rules = rules_for(source)
    selects = [POSITION]
    joins: list[str] = []
    known_ctes = _known_ids_ctes(con, source, lookup)
    for column in source.columns:
        if column.references is None:
            continue
        target_name, _ = column.references.split(".")
        if known_ctes[target_name] is None:
            selects.append(f"cast(null as boolean) as {known_column(column.name)}")
            continue
        unchecked = f"{column.name} is null"
        if target_name == CUSTOMERS:
            unchecked += f" or lower(trim({column.name})) in ({_sql_list(unknown_customer_ids)})"
        selects.append(
            f"case when {unchecked} then null else {column.name} in ("
            f"select id from {_known_cte_name(target_name)}) end as {known_column(column.name)}"
        )
    for rule in source.null_when:
        value = _sql_list((rule.when_value,))
        selects += [
            f"case when {rule.when_column} = {value} then {name} is null end "
            f"as {null_when_column(name)}"
            for name in rule.columns
        ]
    selects.append(f"{_batch_time(source)} as {BATCH_TIME_COLUMN}")
    if rules.span is not None:
        selects.append(f"epoch({rules.span.end}) - epoch({rules.span.start}) as {SPAN_COLUMN}")
    if rules.exactly_one_of:
        count = " + ".join(
            f"(case when {c} is not null then 1 else 0 end)" for c in rules.exactly_one_of
        )
        selects.append(f"{count} as {TARGETS_COLUMN}")
    if rules.rated_after_contact:
        contacts = SOURCES_BY_NAME["contacts"]
        bots = SOURCES_BY_NAME["bot_sessions"]
        joins.append(
            f"left join ({lookup.ended_sql(contacts, _batch_ids('contact_id'))}) as rated_contact "
            "on rated_contact.id = contact_id"
        )
        joins.append(
            f"left join ({lookup.ended_sql(bots, _batch_ids('bot_session_id'))}) as rated_bot "
            "on rated_bot.id = bot_session_id"
        )
        selects.append(
            f"coalesce(rated_contact.ended_at, rated_bot.ended_at) as {RATED_ENDED_COLUMN}"
        )
    ctes = [
        f"{_known_cte_name(target_name)} as ({cte})"
        for target_name, cte in known_ctes.items()
        if cte is not None
    ]
    with_clause = f"with {', '.join(ctes)} " if ctes else ""
    con.register(TYPED_VIEW, typed.assign(**{POSITION: typed.index.to_numpy()}))
    try:
        context = frame_of(
            con,
            con.sql(
                f"{with_clause}select {', '.join(selects)} from {TYPED_VIEW} {' '.join(joins)}"
            ),
        )
    finally:
        con.unregister(TYPED_VIEW)
    context.index = context[POSITION].to_numpy()
    return typed.join(context.drop(columns=[POSITION]))
