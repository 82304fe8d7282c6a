"""`ccmetrics query | scorecard | export | publish`: publish the marts and read them from the shell.

Exit codes, for scripts: 0 success; 1 no data, or a request the marts cannot answer (unknown
metric, dimension or filter, refused statement, missing or locked database); 2 usage error
(bad option, as reported by the command-line parser). Results go to stdout in the chosen
format; messages and progress bars go to stderr, so `--format csv > file` stays clean.
"""

from __future__ import annotations

import sys
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from collections.abc import Mapping

    import pandas as pd

    from ccmetrics.catalog import Catalog
    from ccmetrics.commands.metric_names import Alias
    from ccmetrics.scorecard import Scorecard

EXIT_OK = 0
EXIT_NO_DATA = 1
EXIT_USAGE = 2
EXIT_CODES = (
    "Exit codes: 0 success; 1 no data, or a request the marts cannot answer (unknown name, "
    "refused statement, missing or locked database); 2 usage error."
)


_UNBOUNDED_WIDTH = 1_000_000


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


class Grain(StrEnum):
    day = "day"
    week = "week"
    month = "month"
    quarter = "quarter"
    year = "year"
    all = "all"


DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db",
        help="Published DuckDB file to read (default: CCMETRICS_PUBLISHED_PATH or "
        "warehouse/published/ccmetrics.duckdb).",
    ),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", "-f", help="Output as a table, CSV or JSON.")
]


def _fail(message: str, code: int = EXIT_NO_DATA) -> typer.Exit:
    typer.echo(f"error: {message}", err=True)
    return typer.Exit(code)


def _refusals() -> tuple[type[Exception], ...]:
    import duckdb

    from ccmetrics.api import WarehouseNotFoundError
    from ccmetrics.catalog import CatalogError
    from ccmetrics.publish import PublishError
    from ccmetrics.sqlbuild import QueryError

    return (
        CatalogError,
        QueryError,
        WarehouseNotFoundError,
        PublishError,
        duckdb.Error,
    )


def emit(frame: pd.DataFrame, output: OutputFormat, title: str | None = None) -> None:
    """Write a result to stdout as a rich table, CSV or JSON records."""
    if output is OutputFormat.csv:
        frame.to_csv(sys.stdout, index=False)
    elif output is OutputFormat.json:
        typer.echo(frame.to_json(orient="records", date_format="iso", indent=2))
    else:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title)
        for column in frame.columns:
            numeric = frame[column].dtype.kind in "iuf"
            table.add_column(str(column), justify="right" if numeric else "left")
        for row in frame.itertuples(index=False):
            table.add_row(*(_cell(value) for value in row))
        console = Console()
        if not console.is_terminal:
            # Piped or redirected, rich would assume 80 columns and cut every cell to "...":
            # the table is printed at its natural width instead, every value in full.
            natural = Console(width=_UNBOUNDED_WIDTH).measure(table).maximum
            console = Console(width=natural)
        console.print(table)


def _cell(value: object) -> str:
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):  # type: ignore[call-overload]
        return ""
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, pd.Timestamp):
        return value.date().isoformat() if value == value.normalize() else value.isoformat()
    return str(value)


def _listing(catalog: Catalog, aliases: Mapping[str, Alias]) -> list[dict[str, str]]:
    """The catalog's columns, then the semantic layer's names of them (role `alias`)."""
    return catalog.describe() + [
        {
            "mart": home,
            "name": alias,
            "role": "alias",
            "aggregation": f"same as {target}",
            "description": "semantic layer metric",
        }
        for alias, (home, target) in sorted(aliases.items())
    ]


def emit_scorecard(card: Scorecard, output: OutputFormat) -> None:
    if output is OutputFormat.table:
        from ccmetrics.scorecard import print_scorecard

        print_scorecard(card)
    else:
        emit(card.to_frame(), output)


def register(app: typer.Typer) -> None:
    @app.command("query", epilog=EXIT_CODES)
    def query_command(
        metrics: Annotated[
            list[str] | None,
            typer.Argument(help="Metric names (see --list); a rate comes with its parts."),
        ] = None,
        dimension: Annotated[
            list[str] | None,
            typer.Option("--dimension", "-d", help="Group by this column (repeatable)."),
        ] = None,
        grain: Annotated[
            Grain, typer.Option("--grain", "-g", help="Time grain of the result.")
        ] = Grain.day,
        start: Annotated[
            str | None, typer.Option("--start", help="First reporting day, YYYY-MM-DD.")
        ] = None,
        end: Annotated[
            str | None, typer.Option("--end", help="Last reporting day (inclusive).")
        ] = None,
        where: Annotated[
            list[str] | None,
            typer.Option(
                "--where",
                "-w",
                help="Filter like 'channel=phone', 'queue_id in q1,q2', 'agent_id is null' "
                "(repeatable, combined with AND; values are bound, never spliced).",
            ),
        ] = None,
        mart: Annotated[
            str | None, typer.Option("--mart", help="Read this mart when several qualify.")
        ] = None,
        limit: Annotated[int | None, typer.Option("--limit", min=1, help="At most N rows.")] = None,
        to_sql: Annotated[
            str | None,
            typer.Option(
                "--to-sql",
                help="Print the query's SQL (or the --sql statement) for this sqlglot dialect "
                "(duckdb, snowflake, bigquery, spark, ...) instead of running it.",
            ),
        ] = None,
        sql: Annotated[
            str | None,
            typer.Option(
                "--sql",
                help="Run one read-only SELECT over the marts instead of a metric query.",
            ),
        ] = None,
        list_names: Annotated[
            bool, typer.Option("--list", help="List the marts with their metrics and dimensions.")
        ] = False,
        db: DbOption = None,
        output: FormatOption = OutputFormat.table,
    ) -> None:
        """Query metrics by name from the published marts.

        Ratios are re-aggregated as sum(numerator) / sum(denominator) at the requested grain.
        Example: ccmetrics query service_level aht_seconds -d channel -g week -w channel=phone
        """
        from ccmetrics.api import Warehouse
        from ccmetrics.commands.metric_names import resolve_metrics, semantic_aliases

        try:
            with Warehouse(db) as warehouse:
                catalog = warehouse.catalog
                aliases = semantic_aliases(catalog.semantic.manifest, catalog)
                if list_names:
                    import pandas as pd

                    emit(pd.DataFrame(_listing(warehouse.catalog, aliases)), output, "marts")
                    return
                if sql is not None and to_sql is not None:
                    typer.echo(warehouse.translate(sql, to_sql))
                    return
                if sql is not None:
                    frame = warehouse.sql(sql)
                else:
                    if not metrics:
                        raise _fail("give at least one metric (see --list) or --sql", EXIT_USAGE)
                    columns, home = resolve_metrics(metrics, warehouse.catalog, aliases, mart)
                    arguments = {
                        "metrics": columns,
                        "dimensions": dimension or (),
                        "grain": grain.value,
                        "start": start,
                        "end": end,
                        "filters": where or None,
                        "mart": home,
                        "limit": limit,
                    }
                    if to_sql is not None:
                        typer.echo(warehouse.to_sql(dialect=to_sql, **arguments))
                        return
                    frame = warehouse.query(**arguments)
        except _refusals() as error:
            raise _fail(str(error)) from error
        if frame.empty:
            if output is not OutputFormat.table:
                emit(frame, output)
            raise _fail("the query returned no rows")
        emit(frame, output)

    @app.command("scorecard", epilog=EXIT_CODES)
    def scorecard_command(
        days: Annotated[
            int, typer.Option("--days", min=1, help="Length of the compared periods.")
        ] = 7,
        end: Annotated[
            str | None,
            typer.Option("--end", help="Last day of the current period (default: last data)."),
        ] = None,
        db: DbOption = None,
        output: FormatOption = OutputFormat.table,
    ) -> None:
        """The four generations, workforce and cost: last N days against the N before.

        With less than 2N days of data the available days are split in halves (labelled).
        Sections whose marts do not exist yet are reported as such; no figure is invented.
        """
        from rich.console import Console

        from ccmetrics.api import Warehouse
        from ccmetrics.scorecard import build_scorecard
        from ccmetrics.sqlbuild import as_date

        try:
            with (
                Console(stderr=True).status("computing the scorecard"),
                Warehouse(db) as warehouse,
            ):
                card = build_scorecard(warehouse, days=days, end=as_date(end, "end"))
        except _refusals() as error:
            raise _fail(str(error)) from error
        emit_scorecard(card, output)

    @app.command("export", epilog=EXIT_CODES)
    def export_command(
        out: Annotated[
            Path | None,
            typer.Option("--out", help="Folder for <mart>.parquet (default: warehouse/export)."),
        ] = None,
        mart: Annotated[
            list[str] | None, typer.Option("--mart", help="Only this mart (repeatable).")
        ] = None,
        db: DbOption = None,
    ) -> None:
        """Write the published marts as Parquet files (one per mart) for file-based tools."""
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

        from ccmetrics import paths
        from ccmetrics.api import Warehouse
        from ccmetrics.export import export_marts

        target = out or paths.export_dir()
        try:
            with Warehouse(db) as warehouse:
                names = tuple(mart or warehouse.catalog.marts)
                with Progress(
                    TextColumn("exporting"),
                    BarColumn(),
                    MofNCompleteColumn(),
                    TextColumn("{task.description}"),
                    transient=True,
                ) as progress:
                    task = progress.add_task("", total=len(names))
                    done = export_marts(
                        warehouse,
                        target,
                        names,
                        on_done=lambda item: progress.update(
                            task, advance=1, description=item.mart
                        ),
                    )
        except _refusals() as error:
            raise _fail(str(error)) from error
        for item in done:
            typer.echo(f"{item.path}  {item.rows} rows", err=True)
        if not done:
            raise _fail("no mart to export")

    @app.command("publish", epilog=EXIT_CODES)
    def publish_command(
        source: Annotated[
            Path | None,
            typer.Option("--source", help="Working DuckDB that dbt built (default: the dev one)."),
        ] = None,
        target: Annotated[
            Path | None,
            typer.Option("--target", help="Published file to replace atomically."),
        ] = None,
        manifest: Annotated[
            Path | None,
            typer.Option("--manifest", help="dbt manifest.json with the rates' numerators."),
        ] = None,
    ) -> None:
        """Publish the marts to the read-only snapshot that the API, CLI and BI tools open.

        Run it after `dbt build`: it refuses (exit 1) unless the latest dbt build finished
        without errors, as recorded by the build hooks. Readers holding the old snapshot keep
        it; new readers get the new one; no reader ever blocks a build.
        """
        from rich.console import Console

        from ccmetrics.publish import publish

        try:
            with Console(stderr=True).status("publishing the marts"):
                result = publish(source, target, manifest)
        except _refusals() as error:
            raise _fail(str(error)) from error
        typer.echo(
            f"published {len(result.marts)} marts to {result.path} in {result.seconds:.2f} s",
            err=True,
        )
