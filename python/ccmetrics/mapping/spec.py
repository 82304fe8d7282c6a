"""A CSV mapping file: loaded as text-only YAML, checked by the JSON schema, then by the rules
the schema cannot say (one kind per rule, a kind that fits the canonical column's type,
anchors that exist and form no cycle, every required column mapped)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from ccmetrics.contract import CONTACTS

KINDS = (
    "column",
    "template",
    "constant",
    "same_as",
    "from",
    "file",
    "time",
    "datetime",
    "duration",
    "seconds_between",
)
"""Exactly one of these keys gives a rule its value (besides `cases`)."""

KINDS_BY_TYPE: dict[str, frozenset[str]] = {
    "timestamp": frozenset({"time", "datetime", "same_as", "from", "file", "constant"}),
    "double": frozenset({"duration", "seconds_between", "column", "constant"}),
    "string": frozenset({"column", "template", "constant"}),
    "boolean": frozenset({"column", "constant"}),
}
"""Which kinds fit a canonical column's contract type."""

MODIFIERS: dict[str, frozenset[str]] = {
    "map": frozenset({"column", "template"}),
    "unmapped": frozenset({"column", "template"}),
    "none": frozenset({"column", "template", "time", "datetime", "duration", "from"}),
    "date": frozenset({"time"}),
    "format": frozenset({"datetime"}),
    "after": frozenset({"time", "datetime"}),
    "unit": frozenset({"duration", "from"}),
    "plus": frozenset({"from"}),
}
"""Keys that refine a kind, and the kinds they belong to."""

DEFAULT_DATE_FORMAT = "%Y-%m-%d"
DEFAULT_DATETIME_FORMAT = "%Y-%m-%d %H:%M:%S"


class MappingError(ValueError):
    """A mapping file that cannot be used; the message names the file and the key."""


@dataclass(frozen=True)
class Case:
    when: tuple[tuple[str, frozenset[str]], ...]
    """(source column, values it must have); all must hold."""
    value: str | None


@dataclass(frozen=True)
class Rule:
    """How one canonical column is filled."""

    target: str
    kind: str
    """One of KINDS, or `cases` for a rule made of cases only."""
    settings: dict[str, Any] = field(default_factory=dict)
    cases: tuple[Case, ...] = ()

    def get(self, key: str, default: Any = None) -> Any:
        return self.settings.get(key, default)

    @property
    def none(self) -> frozenset[str]:
        return frozenset(self.settings.get("none") or ())

    @property
    def anchors(self) -> tuple[str, ...]:
        after = self.settings.get("after")
        if after is None:
            return ()
        return (after,) if isinstance(after, str) else tuple(after)

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Canonical columns this rule reads."""
        if self.kind == "same_as":
            return (self.settings["same_as"],)
        if self.kind == "from":
            return (self.settings["from"],)
        if self.kind == "seconds_between":
            return tuple(self.settings["seconds_between"])
        return self.anchors

    @property
    def source_columns(self) -> tuple[str, ...]:
        """Columns of the CSV file this rule reads."""
        import re

        names = [column for case in self.cases for column, _ in case.when]
        for key in ("column", "date", "time", "datetime", "duration"):
            if key in self.settings:
                names.append(self.settings[key])
        names += self.settings.get("plus") or []
        if self.kind == "template":
            names += [
                name
                for name in re.findall(r"\{([^{}]+)\}", self.settings["template"])
                if name != "file_day"
            ]
        return tuple(dict.fromkeys(names))


@dataclass(frozen=True)
class Mapping:
    path: Path
    zone_name: str
    date_format: str
    ambiguous_time: str
    nonexistent_time: str
    delimiter: str
    encoding: str
    rules: tuple[Rule, ...]
    """In evaluation order: a rule comes after the canonical columns it reads."""
    description: str = ""

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.zone_name)

    @property
    def source_columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(name for rule in self.rules for name in rule.source_columns))


def text_only_loader() -> type:
    """PyYAML's safe loader, but every scalar stays text (only null is resolved): `NO`, `0`,
    `0:00:00` (a base-60 integer in YAML 1.1) and `2026-03-02` keep the spelling of the file."""
    import yaml

    class TextLoader(yaml.SafeLoader):
        pass

    TextLoader.yaml_implicit_resolvers = {
        first: [(tag, regexp) for tag, regexp in resolvers if tag == "tag:yaml.org,2002:null"]
        for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
    }
    return TextLoader


@cache
def schema() -> dict[str, Any]:
    text = resources.files("ccmetrics.mapping").joinpath("schema.json").read_text()
    return dict(json.loads(text))


def _where(path: Any) -> str:
    parts = [str(part) for part in path]
    return ".".join(parts) if parts else "(top level)"


def _schema_errors(document: Any) -> list[str]:
    import jsonschema

    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(
        validator.iter_errors(document), key=lambda e: (_where(e.absolute_path), e.message)
    )
    messages = []
    for error in errors:
        where = _where(error.absolute_path)
        if "propertyNames" in error.schema_path:
            where = f"{where}.{error.instance}" if error.absolute_path else str(error.instance)
            messages.append(
                f"{where}: not a canonical contacts column "
                f"(columns: {', '.join(CONTACTS.column_names)})"
            )
            continue
        messages.append(f"{where}: {error.message}")
    return messages


def _rule(target: str, body: dict[str, Any]) -> Rule:
    where = f"columns.{target}"
    kinds = [kind for kind in KINDS if kind in body]
    if len(kinds) > 1:
        raise MappingError(f"{where}: give one of {', '.join(kinds)}, not several")
    if not kinds and "cases" not in body:
        raise MappingError(f"{where}: needs one of {', '.join(KINDS)} (or cases)")
    kind = kinds[0] if kinds else "cases"
    for key, owners in MODIFIERS.items():
        if key in body and kind not in owners:
            raise MappingError(
                f"{where}.{key}: only with {' or '.join(sorted(owners))}, not with {kind}"
            )
    if kind == "from" and "plus" not in body:
        raise MappingError(f"{where}.from: needs plus (the source columns of the durations)")
    if kind == "time" and "date" not in body:
        raise MappingError(f"{where}.time: needs date (the source column of the local date)")
    column_type = CONTACTS.column(target).type
    allowed = KINDS_BY_TYPE[column_type]
    if kind != "cases" and kind not in allowed:
        raise MappingError(
            f"{where}.{kind}: {target} is a {column_type}; use {' or '.join(sorted(allowed))}"
        )
    cases = tuple(
        Case(
            tuple((column, frozenset(values)) for column, values in case["when"].items()),
            case["value"],
        )
        for case in body.get("cases") or ()
    )
    settings = {key: value for key, value in body.items() if key != "cases"}
    return Rule(target, kind, settings, cases)


def _ordered(rules: dict[str, Rule]) -> tuple[Rule, ...]:
    ordered: list[Rule] = []
    state: dict[str, str] = {}

    def visit(name: str, chain: tuple[str, ...]) -> None:
        if state.get(name) == "done":
            return
        if state.get(name) == "visiting":
            raise MappingError(f"columns: {' -> '.join((*chain, name))} refer to each other")
        state[name] = "visiting"
        for needed in rules[name].depends_on:
            if needed not in rules:
                raise MappingError(f"columns.{name}: refers to {needed}, which has no rule")
            visit(needed, (*chain, name))
        state[name] = "done"
        ordered.append(rules[name])

    for name in rules:
        visit(name, ())
    return tuple(ordered)


def parse_mapping(document: Any, path: Path) -> Mapping:
    """A mapping from its loaded YAML document; MappingError names the first problem's key."""
    errors = _schema_errors(document)
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise MappingError(f"{path.name}: {errors[0]}{more}")
    try:
        rules = {target: _rule(target, body) for target, body in document["columns"].items()}
        missing = [
            column.name
            for column in CONTACTS.columns
            if not column.nullable and column.name not in rules
        ]
        if missing:
            raise MappingError(f"columns: no rule for required column(s) {', '.join(missing)}")
        ordered = _ordered(rules)
        zone_name = document["time_zone"]
        try:
            ZoneInfo(zone_name)
        except (ZoneInfoNotFoundError, ValueError):
            raise MappingError(f"time_zone: {zone_name!r} is not an IANA time zone") from None
    except MappingError as exc:
        raise MappingError(f"{path.name}: {exc}") from None
    csv_options = document.get("csv") or {}
    return Mapping(
        path=path,
        zone_name=zone_name,
        date_format=document.get("date_format", DEFAULT_DATE_FORMAT),
        ambiguous_time=document.get("ambiguous_time", "earlier"),
        nonexistent_time=document.get("nonexistent_time", "shift"),
        delimiter=csv_options.get("delimiter", ","),
        encoding=csv_options.get("encoding", "utf-8"),
        rules=ordered,
        description=document.get("description", ""),
    )


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file; MappingError says what is wrong and where."""
    import yaml

    try:
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=text_only_loader())
    except OSError as exc:
        raise MappingError(f"{path}: cannot be read ({exc.strerror})") from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        at = f" at line {mark.line + 1}" if mark is not None else ""
        raise MappingError(f"{path.name}: not valid YAML{at}") from None
    return parse_mapping(document, path)
