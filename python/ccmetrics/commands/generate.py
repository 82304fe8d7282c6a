"""`ccmetrics generate`: write a realistic, deterministic month of landing files.

A thin wrapper over `ccmetrics.generator.engine.generate_landing`, which the tests call.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from ccmetrics.generator.engine import DayReport

DEFAULT_START = "2026-10-01"


def _print_progress(report: DayReport) -> None:
    rate = report.rows / report.seconds if report.seconds > 0 else 0.0
    typer.echo(
        f"{report.day.isoformat()}  contacts {report.contacts:>7,}  "
        f"bot sessions {report.bot_sessions:>6,}  rows written {report.rows:>10,}  "
        f"{rate:>9,.0f} rows/s",
        err=True,
    )


def register(app: typer.Typer) -> None:
    @app.command("generate")
    def generate_command(
        out: Annotated[Path, typer.Option(help="Landing directory to write.")] = Path(
            "data/landing"
        ),
        days: Annotated[int, typer.Option(min=1, help="Days to generate.")] = 30,
        start: Annotated[str, typer.Option(help="First day (YYYY-MM-DD, UTC).")] = DEFAULT_START,
        seed: Annotated[int, typer.Option(help="Random seed; same seed, same files.")] = 7,
        scale: Annotated[
            float, typer.Option(min=0.001, help="Contact volume multiplier (1 = demo center).")
        ] = 1.0,
        staffing_factor: Annotated[
            float,
            typer.Option(min=0.05, help="Scheduled agents multiplier (0.8 = 20% fewer)."),
        ] = 1.0,
        plant_fcr_problem: Annotated[
            str | None,
            typer.Option(
                metavar="TEAM:YYYY-MM-DD",
                help="That team's contacts come back far more often for 7 days from that day.",
            ),
        ] = None,
        output_format: Annotated[
            str,
            typer.Option(
                "--format",
                help=(
                    "landing (the landing contract), or a native system whose files replace "
                    "the landing files it carries: asterisk (queue_log: phone calls and agent "
                    "states), connect (Amazon Connect contact records: contacts), rasa "
                    "(tracker events: bot sessions). docs/sources.md."
                ),
            ),
        ] = "landing",
        quiet: Annotated[bool, typer.Option(help="No progress on stderr.")] = False,
        bad_rows: Annotated[
            float,
            typer.Option(min=0.0, max=1.0, help="Share of rows to corrupt (guard demo/tests)."),
        ] = 0.0,
    ) -> None:
        """Generate landing files for every contract source (one Parquet per source and day)."""
        from ccmetrics.generator.config import GeneratorConfig, PlantedProblem
        from ccmetrics.generator.engine import generate_landing
        from ccmetrics.native import FORMATS

        if output_format not in FORMATS:
            raise typer.BadParameter(
                f"unknown format {output_format!r}; formats: {', '.join(FORMATS)}",
                param_hint="--format",
            )
        try:
            config = GeneratorConfig(
                days=days,
                start=dt.date.fromisoformat(start),
                seed=seed,
                scale=scale,
                staffing_factor=staffing_factor,
                planted_fcr_problem=(
                    PlantedProblem.parse(plant_fcr_problem) if plant_fcr_problem else None
                ),
            )
        except ValueError as error:
            raise typer.BadParameter(str(error)) from error
        summary = generate_landing(config, out, progress=None if quiet else _print_progress)
        if bad_rows:
            from ccmetrics.faults import plant_bad_rows

            planted = plant_bad_rows(out, share=bad_rows, seed=seed)
            typer.echo(
                f"planted {len(planted.faults):,} bad rows (share {bad_rows:g}); "
                f"list in {out / '_planted_faults.json'}",
                err=True,
            )
        if output_format != "landing":
            import importlib

            writer = importlib.import_module(f"ccmetrics.native.{output_format}.writer")
            typer.echo(writer.write_native(out), err=True)
        if not quiet:
            typer.echo(
                f"wrote {summary.total():,} rows ({summary.total('contacts'):,} contacts, "
                f"{summary.total('bot_sessions'):,} bot sessions) to {out} in "
                f"{summary.seconds:.1f} s ({summary.rows_per_second:,.0f} rows/s)",
                err=True,
            )
