"""`ccmetrics map --check MAPPING FILE`: try a CSV mapping on an export before loading it.

Prints the first rows as they would load (canonical contacts columns, UTC, personal data
hidden) and every value the mapping could not map (column, value, count, first lines).
Exit codes: 0 every value mapped, 1 some values could not be mapped (those rows would be
quarantined), 2 the mapping is invalid or the file cannot be read through it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Annotated

import typer

UNMAPPED = 1
INVALID = 2


def _day_of(path: Path) -> dt.date | None:
    """The file's day from its name (`{file_day}` in templates); None for another name."""
    try:
        return dt.date.fromisoformat(path.stem)
    except ValueError:
        return None


def register(app: typer.Typer) -> None:
    @app.command("map")
    def map_command(
        file: Annotated[Path, typer.Argument(help="The CSV export to map.", show_default=False)],
        check: Annotated[
            Path,
            typer.Option(
                "--check",
                help="The mapping (YAML) to check the export with.",
                show_default=False,
            ),
        ],
        rows: Annotated[int, typer.Option("--rows", min=0, help="Rows to show.")] = 5,
    ) -> None:
        """Check a CSV mapping on an export: the first rows as they would load and every
        value it could not map (exit 1 when there is one, 2 when the mapping is invalid)."""
        from ccmetrics.mapping import FileProblem, MappingError, apply_mapping, load_mapping
        from ccmetrics.mapping.report import render

        try:
            mapping = load_mapping(check)
        except MappingError as exc:
            typer.secho(f"invalid mapping: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(INVALID) from None
        if not file.is_file():
            typer.secho(f"{file} is not a file", fg=typer.colors.RED, err=True)
            raise typer.Exit(INVALID)
        try:
            mapped = apply_mapping(mapping, file, _day_of(file))
        except FileProblem as exc:
            typer.secho(f"{file.name}: {exc}", fg=typer.colors.RED, err=True)
            raise typer.Exit(INVALID) from None
        typer.echo(render(mapping, mapped, file.name, rows), nl=False)
        if mapped.problems:
            raise typer.Exit(UNMAPPED)
