"""`ccmetrics check`, `ccmetrics load` and `ccmetrics quarantine`: the quality guard's commands.

Thin wrappers over `ccmetrics.loader` and `ccmetrics.guard` (`guard.store` opens the
warehouse); Great Expectations is imported only for Data Docs (`--docs-dir`). Exit codes: 0 all
good, 1 rows failed (check only), 2 a batch was rejected or a re-delivery refused (or the
landing root is missing).
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ccmetrics.guard.rules import GuardSettings
    from ccmetrics.guard.store import Reconciliation, RunReport

ROW_FAILURES = 1
BATCH_FAILURE = 2
MAX_ROWS_SHOWN = 20
NOT_LOADED = ("rejected", "refused_shrink")
DOCS_HELP = (
    "Build Great Expectations Data Docs here: the suites then run in Great Expectations "
    "(seconds per source) instead of DuckDB."
)

ClockSkewOption = Annotated[
    float | None,
    typer.Option(
        "--clock-skew-seconds",
        envvar="CCMETRICS_CLOCK_SKEW_SECONDS",
        min=0,
        help="Timestamps out of order by at most this many seconds (one system's clock behind "
        "another's) are clamped and counted, not quarantined. Default 5.",
        show_default=False,
    ),
]
VolumeBandOption = Annotated[
    float,
    typer.Option(
        "--volume-band",
        min=1.0,
        help="A batch is rejected when its rows fall outside median / band to median x band, "
        "the median of the same weekday's last 4 accepted batches (needs 2).",
    ),
]
AcceptVolumeOption = Annotated[
    list[str] | None,
    typer.Option(
        "--accept-volume",
        help="Accept this day's volume (YYYY-MM-DD) even outside the band or empty; repeatable.",
        show_default=False,
    ),
]


@contextmanager
def _clean_errors() -> Iterator[None]:
    """An environment problem (locked or missing warehouse, unknown source) is one clear line."""
    import duckdb

    try:
        yield
    except (duckdb.Error, OSError, ValueError, KeyError) as exc:
        typer.secho(f"error: {exc}", fg=typer.colors.RED, err=True)
        raise typer.Exit(BATCH_FAILURE) from None


def _settings(
    clock_skew: float | None, volume_band: float, accept_volume: list[str] | None
) -> GuardSettings:
    from ccmetrics.guard.rules import GuardSettings

    days = frozenset(_day(text, "--accept-volume") for text in accept_volume or ())
    if clock_skew is None:
        return GuardSettings(volume_band=volume_band, accepted_volume_days=days)
    return GuardSettings(clock_skew, volume_band, days)


def _day(text: str, option: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        typer.secho(f"{option} must be YYYY-MM-DD, got {text!r}", fg=typer.colors.RED, err=True)
        raise typer.Exit(BATCH_FAILURE) from None


def _print_batch(rec: Reconciliation) -> None:
    if rec.status == "rejected":
        typer.secho(f"REJECTED  {rec.message}", fg=typer.colors.RED, err=True)
        return
    if rec.status == "refused_shrink":
        typer.secho(f"REFUSED   {rec.message}", fg=typer.colors.RED, err=True)
        return
    if rec.status == "unchanged":
        typer.echo(f"unchanged {rec.source_file}: already loaded (use --force to reload)")
        return
    flag = "ok" if rec.rows_quarantined == 0 else "QUARANTINE"
    extra = f", replaced {rec.rows_replaced} earlier rows" if rec.rows_replaced else ""
    if rec.rows_clamped:
        extra += f", clamped {rec.rows_clamped} (clock skew)"
    typer.echo(
        f"{flag:<12}{rec.source_file}: read {rec.rows_read}, "
        f"{'good' if rec.status == 'checked' else 'loaded'} {rec.rows_loaded}, "
        f"quarantined {rec.rows_quarantined}{extra}"
    )


def _print_failed_batch(rec: Reconciliation) -> None:
    """Progress of a quiet load: only batches that were not loaded, each with its message."""
    if rec.status in NOT_LOADED:
        _print_batch(rec)


def _print_sources(report: RunReport) -> None:
    """One line per source: its batches, how they ended, and its rows' reconciliation."""
    by_source: dict[str, list[Reconciliation]] = {}
    for rec in report.batches:
        by_source.setdefault(rec.source, []).append(rec)
    width = max((len(name) for name in by_source), default=0)
    for name, batches in by_source.items():
        statuses = Counter(rec.status.replace("_", " ") for rec in batches)
        rows = {
            field: sum(getattr(rec, f"rows_{field}") for rec in batches)
            for field in ("read", "loaded", "quarantined", "clamped", "replaced", "rejected")
        }
        line = (
            f"{name:<{width}}  {len(batches)} batches "
            f"({', '.join(f'{n} {status}' for status, n in statuses.items())}): "
            f"read {rows['read']:,}, loaded {rows['loaded']:,}, "
            f"quarantined {rows['quarantined']:,}, clamped {rows['clamped']:,}, "
            f"replaced {rows['replaced']:,}"
        )
        if rows["rejected"]:
            line += f", in rejected batches {rows['rejected']:,}"
        failed = [rec.source_file for rec in batches if rec.status in NOT_LOADED]
        if failed:
            line += f"; not loaded: {', '.join(failed)}"
        typer.echo(line)


def _print_summary(report: RunReport, verb: str) -> None:
    for warning in report.warnings:
        typer.secho(f"warning: {warning}", fg=typer.colors.YELLOW, err=True)
    for file, row, reasons in report.row_issues[:MAX_ROWS_SHOWN]:
        typer.echo(f"  {file} row {row}: {'; '.join(reasons)}")
    if len(report.row_issues) > MAX_ROWS_SHOWN:
        typer.echo(f"  ... and {len(report.row_issues) - MAX_ROWS_SHOWN} more rows")
    read = report.total("rows_read")
    loaded = report.total("rows_loaded")
    quarantined = report.total("rows_quarantined")
    rejected = report.total("rows_rejected")
    adds_up = all(b.adds_up for b in report.batches)
    typer.echo(
        f"reconciliation (run {report.run_id}): {len(report.batches)} batches, rows read {read} "
        f"= {verb} {loaded} + quarantined {quarantined} + in rejected batches {rejected} "
        f"[{'adds up' if adds_up else 'DOES NOT ADD UP'}]; removed {report.total('rows_replaced')} "
        f"rows of earlier deliveries; clamped {report.total('rows_clamped')} rows for clock skew"
    )
    if report.rejected:
        typer.secho(
            f"{len(report.rejected)} batch(es) rejected; they were not loaded and the "
            "warehouse holds what it held before them",
            fg=typer.colors.RED,
            err=True,
        )
    if report.refused:
        typer.secho(
            f"{len(report.refused)} re-delivery(ies) refused: they would remove loaded rows; "
            "the warehouse holds what it held before them (--replace accepts them)",
            fg=typer.colors.RED,
            err=True,
        )
    if report.docs_index is not None:
        typer.echo(f"Great Expectations Data Docs: {report.docs_index}")


def _exit_code(report: RunReport, rows_fail: bool) -> int:
    if report.rejected or report.refused:
        return BATCH_FAILURE
    if rows_fail and report.row_issues:
        return ROW_FAILURES
    return 0


def register(app: typer.Typer) -> None:
    quarantine = typer.Typer(
        help="List, export and re-load quarantined rows.", no_args_is_help=True
    )
    app.add_typer(quarantine, name="quarantine")

    @app.command("check")
    def check_command(
        paths: Annotated[list[Path], typer.Argument(help="Landing files or landing roots.")],
        db: Annotated[Path | None, typer.Option(help="Warehouse to check references in.")] = None,
        docs_dir: Annotated[Path | None, typer.Option(help=DOCS_HELP)] = None,
        clock_skew_seconds: ClockSkewOption = None,
        volume_band: VolumeBandOption = 5.0,
        accept_volume: AcceptVolumeOption = None,
    ) -> None:
        """Validate landing batches without loading them (exit 0 ok, 1 bad rows, 2 rejected)."""
        from ccmetrics.loader import check

        with _clean_errors():
            settings = _settings(clock_skew_seconds, volume_band, accept_volume)
            report = check(
                paths,
                db=db,
                docs_dir=docs_dir,
                progress=_print_batch,
                settings=settings,
            )
        _print_summary(report, "good")
        raise typer.Exit(_exit_code(report, rows_fail=True))

    @app.command("load")
    def load_command(
        landing: Annotated[Path, typer.Option(help="Landing root.")] = Path("data/landing"),
        source: Annotated[list[str] | None, typer.Option(help="Only this source.")] = None,
        day: Annotated[str | None, typer.Option(help="Only this day (YYYY-MM-DD).")] = None,
        db: Annotated[Path | None, typer.Option(help="DuckDB warehouse file.")] = None,
        docs_dir: Annotated[Path | None, typer.Option(help=DOCS_HELP)] = None,
        force: Annotated[bool, typer.Option(help="Reload files already loaded.")] = False,
        replace: Annotated[
            bool,
            typer.Option(
                help="Let a re-delivered day remove loaded rows: a file with fewer good rows "
                "than are loaded, and a full replacement of master data (customers, agents)."
            ),
        ] = False,
        corrections: Annotated[
            Path | None, typer.Option(help="Load an edited quarantine export for --source instead.")
        ] = None,
        clock_skew_seconds: ClockSkewOption = None,
        volume_band: VolumeBandOption = 5.0,
        accept_volume: AcceptVolumeOption = None,
        verbose: Annotated[
            bool,
            typer.Option(
                "--verbose",
                "-v",
                help="One line per file; by default one summary line per source (rejected "
                "and refused files are always named with their reason).",
            ),
        ] = False,
    ) -> None:
        """Check, then load landing batches into the raw schema; bad rows go to quarantine."""
        from ccmetrics.contract import SOURCES_BY_NAME

        sources = tuple(source or ())
        unknown = [s for s in sources if s not in SOURCES_BY_NAME]
        if unknown:
            typer.secho(
                f"unknown source {unknown}; valid: {', '.join(SOURCES_BY_NAME)}",
                fg=typer.colors.RED,
                err=True,
            )
            raise typer.Exit(BATCH_FAILURE)
        if corrections is not None:
            from ccmetrics.guard.quarantine import load_corrections

            if len(sources) != 1:
                typer.secho(
                    "--corrections needs exactly one --source", fg=typer.colors.RED, err=True
                )
                raise typer.Exit(BATCH_FAILURE)
            with _clean_errors():
                report = load_corrections(corrections, sources[0], db=db, docs_dir=docs_dir)
            for rec in report.batches:
                _print_batch(rec)
        else:
            from ccmetrics.loader import load

            only_day = _day(day, "--day") if day else None
            with _clean_errors():
                settings = _settings(clock_skew_seconds, volume_band, accept_volume)
                report = load(
                    landing,
                    db=db,
                    sources=sources,
                    day=only_day,
                    docs_dir=docs_dir,
                    force=force,
                    progress=_print_batch if verbose else _print_failed_batch,
                    settings=settings,
                    replace=replace,
                )
            if not verbose:
                _print_sources(report)
        _print_summary(report, "loaded")
        raise typer.Exit(_exit_code(report, rows_fail=False))

    @quarantine.command("export")
    def export_command(
        source: Annotated[str, typer.Option(help="Source whose open quarantine to export.")],
        out: Annotated[Path, typer.Option(help="CSV file to write.")],
        db: Annotated[Path | None, typer.Option(help="DuckDB warehouse file.")] = None,
    ) -> None:
        """Export open quarantined rows to fix, then re-load with `load --corrections`."""
        from ccmetrics.contract import source as contract_source
        from ccmetrics.guard.quarantine import export_quarantine
        from ccmetrics.guard.store import connect

        with _clean_errors():
            con = connect(db, read_only=True)
            try:
                count = export_quarantine(con, contract_source(source), out)
            finally:
                con.close()
        typer.echo(f"exported {count} quarantined {source} rows to {out}")

    @quarantine.command("list")
    def list_command(
        db: Annotated[Path | None, typer.Option(help="DuckDB warehouse file.")] = None,
    ) -> None:
        """Show the open quarantine: file, row and reasons."""
        from ccmetrics.guard.quarantine import open_quarantine
        from ccmetrics.guard.store import connect

        with _clean_errors():
            con = connect(db, read_only=True)
            try:
                frame = open_quarantine(con)
            finally:
                con.close()
        for item in frame.itertuples():
            typer.echo(f"{item.source_file} row {item.source_row}: {item.reasons}")
        typer.echo(f"{len(frame)} open quarantined rows")
