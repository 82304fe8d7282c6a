"""The `ccmetrics` command line: a thin layer; each command lives in ccmetrics.commands.

Command modules import their heavy dependencies (Great Expectations, pandas, dbt) inside the
command body so that `ccmetrics --help` and the light commands start fast.
"""

from __future__ import annotations

import typer

from ccmetrics.commands import contract, generate, guard, mapping, marts, report

app = typer.Typer(
    name="ccmetrics",
    help="Contact-center metrics on dbt and DuckDB: generate, check, load, query and report.",
    no_args_is_help=True,
    add_completion=False,
)

for module in (contract, generate, guard, mapping, marts, report):
    module.register(app)
