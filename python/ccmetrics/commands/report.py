"""`ccmetrics report`: write the self-contained HTML report of the marts."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer


def default_database() -> Path:
    """The published snapshot if there is one (readers never block builds), else the working DB."""
    from ccmetrics.paths import published_path, warehouse_path

    published = published_path()
    return published if published.exists() else warehouse_path()


REPORT_HELP = (
    "Write the metrics report: one self-contained HTML page that works offline.\n\n"
    "Headline metrics of the four generations with trends, service level by interval, FCR by "
    "channel and window, bot resolution and handoff, cost per resolution human vs AI, schedule "
    "fit and drill-down flags, as charts. Exit code 0 on success, 1 when the warehouse is "
    "missing or the --check fails."
)


def register(app: typer.Typer) -> None:
    @app.command("report", help=REPORT_HELP, short_help=REPORT_HELP.split("\n", 1)[0])
    def report_command(
        out: Annotated[
            Path | None,
            typer.Option(
                "--out",
                "-o",
                help="HTML file to write. Default: warehouse/report.html in the project.",
                dir_okay=False,
            ),
        ] = None,
        db: Annotated[
            Path | None,
            typer.Option(
                "--db",
                help="DuckDB file to read (read-only). Default: the published snapshot if it "
                "exists, else the working warehouse.",
                dir_okay=False,
            ),
        ] = None,
        start: Annotated[
            str | None,
            typer.Option(
                "--start",
                help="First day of the headline cards, YYYY-MM-DD (default: the first "
                "complete reporting day). With --end, the cards show what `ccmetrics "
                "scorecard` shows for the same days.",
            ),
        ] = None,
        end: Annotated[
            str | None,
            typer.Option("--end", help="Last day of the headline cards (inclusive)."),
        ] = None,
        check: Annotated[
            bool,
            typer.Option(
                "--check",
                help="Open the page in headless Chromium and fail unless every chart renders "
                "without console errors or network requests.",
            ),
        ] = False,
    ) -> None:
        """Write the metrics report: one self-contained HTML page that works offline."""
        from ccmetrics.paths import project_dir
        from ccmetrics.report import write_report

        database = db or default_database()
        out = out or project_dir() / "warehouse" / "report.html"
        if not database.exists():
            typer.echo(f"No warehouse at {database}; run `make demo` or pass --db.", err=True)
            raise typer.Exit(code=1)
        from datetime import date

        from ccmetrics.sqlbuild import QueryError, as_date

        try:
            first, last = as_date(start, "--start"), as_date(end, "--end")
        except QueryError as error:
            typer.echo(f"error: {error}", err=True)
            raise typer.Exit(code=2) from error
        period = None
        if first is not None or last is not None:
            period = (first or date.min, last or date.max)
        report = write_report(database, out, period)
        missing = [note for section in report.sections for note in section.notes]
        typer.echo(f"Wrote {out} ({report.chart_count} charts) from {database}.")
        for note in missing:
            typer.echo(f"  note: {note}", err=True)
        if check:
            from ccmetrics.report.browser import check_page

            result = check_page(out)
            if not result.ok:
                typer.echo(f"Browser check failed: {result}", err=True)
                raise typer.Exit(code=1)
            typer.echo(f"Browser check passed: {result.charts_rendered} charts rendered.")
