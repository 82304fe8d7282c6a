"""`ccmetrics map --check`: the first rows as they would load and every value not mapped."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from ccmetrics.contract import CONTACTS
from ccmetrics.mapping.apply import Mapped, Problem
from ccmetrics.mapping.spec import Mapping

HIDDEN = "(hidden: personal data)"
MAX_LINES_SHOWN = 5


@dataclass(frozen=True)
class ProblemGroup:
    column: str
    source: str
    value: str
    kind: str
    expected: str
    lines: tuple[int, ...]

    @property
    def count(self) -> int:
        return len(self.lines)


def _pii(column: str) -> bool:
    return CONTACTS.column(column).pii


def group_problems(problems: list[Problem]) -> list[ProblemGroup]:
    """One entry per (canonical column, source column, value), most frequent first."""
    lines: dict[tuple[str, str, str, str, str], list[int]] = defaultdict(list)
    for problem in problems:
        value = HIDDEN if _pii(problem.column) else problem.value
        key = (problem.column, problem.source, value, problem.kind, problem.expected)
        lines[key].append(problem.line)
    groups = [ProblemGroup(*key, tuple(found)) for key, found in lines.items()]
    return sorted(groups, key=lambda g: (-g.count, g.column, g.value))


def _shown(column: str, value: object) -> str:
    if value is None or value != value:
        return "(null)"
    if _pii(column):
        return HIDDEN
    text = str(value)
    return text.removesuffix("+00:00")


def render(mapping: Mapping, mapped: Mapped, file_name: str, rows: int) -> str:
    """The check report as text."""
    frame = mapped.frame
    mapped_columns = [rule.target for rule in mapping.rules]
    shown = [name for name in CONTACTS.column_names if name in mapped_columns]
    out = [
        f"{file_name} through {mapping.path.name} (local times in {mapping.zone_name}): "
        f"{len(frame)} rows",
        "",
        f"First {min(rows, len(frame))} rows as they would load (timestamps in UTC, personal "
        "data hidden; unmapped columns are null):",
    ]
    width = max(len(name) for name in shown)
    for _, record in frame.head(rows).iterrows():
        out.append(f"  line {int(record['_source_row'])}")
        out += [f"    {name:<{width}}  {_shown(name, record[name])}" for name in shown]
    groups = group_problems(mapped.problems)
    out.append("")
    if not groups:
        out.append("Every value was mapped.")
        return "\n".join(out) + "\n"
    affected = len({problem.line for problem in mapped.problems})
    out.append(
        f"Values it could not map: {len(groups)} distinct, on {affected} rows (these rows "
        "would be quarantined):"
    )
    header = ("column", "source column", "value", "problem", "count", "first lines")
    table = [
        (
            group.column,
            group.source,
            group.value if group.value == HIDDEN else repr(group.value),
            group.kind + (f" (expected {group.expected})" if group.expected else ""),
            str(group.count),
            ", ".join(str(line) for line in group.lines[:MAX_LINES_SHOWN])
            + (", ..." if group.count > MAX_LINES_SHOWN else ""),
        )
        for group in groups
    ]
    widths = [max(len(row[i]) for row in (header, *table)) for i in range(len(header))]
    for row in (header, *table):
        out.append("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))
    return "\n".join(line.rstrip() for line in out) + "\n"
