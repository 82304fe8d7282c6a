"""`ccmetrics contract`: print the landing contract."""

from __future__ import annotations

import typer


def register(app: typer.Typer) -> None:
    @app.command("contract")
    def contract_command() -> None:
        """Print the landing contract (sources, columns, types, keys) as Markdown."""
        from ccmetrics.contract_doc import render_markdown

        typer.echo(render_markdown(), nl=False)
