"""Renders the landing contract as Markdown (docs/landing_contract.md is this output)."""

from __future__ import annotations

from ccmetrics.contract import DEFAULT_UNKNOWN_CUSTOMER_IDS, LOADER_COLUMNS, SOURCES
from ccmetrics.contract_schema import (
    MAX_LENGTH_CODE,
    MAX_LENGTH_EMAIL,
    MAX_LENGTH_ID,
    MAX_LENGTH_PHONE,
    MAX_LENGTH_REASON,
    Column,
    NullWhen,
    Source,
)
from ccmetrics.guard.reading import MAX_CSV_LINE_BYTES

_HEADER = """\
# Landing contract

Generated from `python/ccmetrics/contract.py` by `ccmetrics contract`; a test keeps the two in
step. Do not edit by hand.

- One folder per source, one file per UTC day: `<landing>/<source>/<YYYY-MM-DD>.parquet`
  (`.csv` with a header row is accepted too). The day is the UTC day of the source's day
  column.
- All timestamps are UTC. Values without an offset are taken as UTC; values with an offset
  are converted to UTC by the loader.
- Re-delivering a day replaces that day's batch, unless the new file would leave fewer good
  rows than are loaded for that day (an empty file, a file whose rows all fail the guard):
  that is refused unless `ccmetrics load --replace` is given. Customers and agents (master
  data, delivered when records change) are upserted instead: a file adds or replaces the
  records it holds and never deletes the day's other records (unless `--replace`). A record
  delivered again with a newer version (`record_updated_at`) wins in staging; identical rows
  delivered twice count once.
- Only contacts are required. A source that was never delivered (customers, agents, ...) is
  simply absent: references to it are not checked, and metrics that need it are not available.
- Unidentified callers: `customer_id` of contacts and bot sessions is null when the caller was
  not identified. The ids listed in dbt var `unknown_customer_ids` (default
  {unknown_ids}; compared trimmed and lower-cased) mean the same; reference checks
  skip null and those ids.
- PII columns never reach the marts: staging replaces them with a keyed hash (HMAC-SHA-256,
  key in `CCMETRICS_PII_KEY`, read at run time; see docs/security.md).
- Text columns are bounded: each string column has a maximum length in characters (ids
  {id_length}, enums and codes {code_length}, reasons and intents {reason_length}, phone
  numbers {phone_length}, e-mail addresses {email_length}). The guard quarantines a longer
  value with a reason that gives the column, the length and the limit, never the value.
  A CSV line may be at most {csv_line_mb} MiB; a longer one makes the file unreadable.
- The loader adds {loader_columns} to every raw table.
"""


def _column_row(column: Column) -> str:
    notes = []
    if column.enum:
        notes.append("one of " + ", ".join(f"`{value}`" for value in column.enum))
    if column.references:
        notes.append(f"references `{column.references}`")
    if column.pii:
        notes.append("PII: hashed in staging")
    if column.max_length is not None:
        notes.append(f"at most {column.max_length} characters")
    nullable = "yes" if column.nullable else "no"
    extra = f" ({'; '.join(notes)})" if notes else ""
    return f"| `{column.name}` | {column.type} | {nullable} | {column.description}{extra} |"


def _null_when_line(rule: NullWhen) -> str:
    columns = " and ".join(f"`{name}`" for name in rule.columns)
    return (
        f"- When `{rule.when_column}` is `{rule.when_value}`, {columns} are null ({rule.why}); "
        "a row that breaks this is quarantined."
    )


def _source_section(source: Source) -> str:
    lines = [
        f"## `{source.name}` (system `{source.system}`)",
        "",
        source.description,
        "",
        f"- Key: `{source.key}`; daily file by the UTC day of `{source.day_column}`.",
    ]
    if source.version_column:
        lines.append(f"- Versioned by `{source.version_column}`: the latest version wins.")
    lines += [_null_when_line(rule) for rule in source.null_when]
    lines.append("- Feeds: " + ", ".join(f"`{metric}`" for metric in source.metrics) + ".")
    lines += ["", "| column | type | nullable | meaning |", "|---|---|---|---|"]
    lines += [_column_row(column) for column in source.columns]
    return "\n".join(lines)


def render_markdown() -> str:
    header = _HEADER.format(
        id_length=MAX_LENGTH_ID,
        code_length=MAX_LENGTH_CODE,
        reason_length=MAX_LENGTH_REASON,
        phone_length=MAX_LENGTH_PHONE,
        email_length=MAX_LENGTH_EMAIL,
        csv_line_mb=MAX_CSV_LINE_BYTES // (1024 * 1024),
        loader_columns=", ".join(f"`{name}`" for name in LOADER_COLUMNS),
        unknown_ids=", ".join(f"`{value}`" for value in DEFAULT_UNKNOWN_CUSTOMER_IDS),
    )
    sections = [_source_section(source) for source in SOURCES]
    return header + "\n" + "\n\n".join(sections) + "\n"
