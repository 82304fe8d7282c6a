"""Run the guard's suites in DuckDB: one statement per frame, every expectation a filter.

The suites (`suites`) are the definition; this engine evaluates the same expectation objects
with the semantics of Great Expectations' pandas engine, so a row fails here exactly when it
fails there (`tests/python/test_guard_engines.py` runs both over planted faults):
- a column expectation ignores null values (except `not_null`), a column-pair one ignores a
  row where either value is null, a compound-unique one marks every row of a repeated key;
- `match_regex` is a search with Python's `re` semantics: `$` also matches before a final
  newline and `\\s` is Unicode whitespace (DuckDB's RE2 takes both more narrowly);
- bounds are inclusive, lengths count code points.

Great Expectations costs a fixed time per expectation and run (about 0.2 s for a suite) and
seconds to import; this engine costs one scan of the frame. Data Docs need Great Expectations'
own results: `ccmetrics load --docs-dir` runs the suites through `gx_runtime` instead.
"""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, Any

import duckdb

from ccmetrics.guard.casting import quote_identifier, repeated_keys
from ccmetrics.guard.check_results import CheckResult
from ccmetrics.guard.session import configure
from ccmetrics.guard.suites import Expectation, batch_expectations, row_expectations

if TYPE_CHECKING:
    from pathlib import Path

    import pandas as pd

    from ccmetrics.contract import Source

FRAME = "_guard_frame"
INDEX = "_guard_index"
UNICODE_SPACES = "".join(
    chr(code) for code in range(128, sys.maxunicode + 1) if chr(code).isspace()
)
"""What Python's `\\s` matches beyond the ASCII whitespace RE2's `\\s` matches."""


def _python_regex(regex: str) -> str:
    """`regex` for RE2 with Python's `\\s`: Unicode whitespace, inside a class or not."""
    out: list[str] = []
    in_class = False
    position = 0
    while position < len(regex):
        char = regex[position]
        if char == "\\" and position + 1 < len(regex):
            escaped = regex[position + 1]
            if escaped == "s":
                out.append(rf"\s{UNICODE_SPACES}" if in_class else rf"[\s{UNICODE_SPACES}]")
            else:
                out.append(char + escaped)
            position += 2
            continue
        if char == "[" and not in_class:
            in_class = True
        elif char == "]" and in_class and out[-1] != "[":
            in_class = False
        out.append(char)
        position += 1
    return "".join(out)


def _resolved(value: Any, parameters: dict[str, Any]) -> Any:
    if isinstance(value, dict) and "$PARAMETER" in value:
        return parameters[value["$PARAMETER"]]
    return value


class _Statement:
    """The failing-row filter of each row expectation, with its bound values."""

    def __init__(self, parameters: dict[str, Any]) -> None:
        self.parameters = parameters
        self.values: list[Any] = []
        self.repeats: list[tuple[str, str]] = []
        """Each compound key's repeat count: its column, and the join of the frame to the
        key's repeated values."""

    def _bind(self, value: Any) -> str:
        self.values.append(value)
        return f"${len(self.values)}"

    def unexpected(self, expectation: Expectation) -> str:
        """A SQL condition true exactly for the rows the expectation reports as unexpected."""
        kwargs = expectation.kwargs
        kind = expectation.kind
        if kind == "ExpectCompoundColumnsToBeUnique":
            alias = f"_repeats_{len(self.repeats)}"
            keys_alias = f"{alias}_keys"
            keys, matches = repeated_keys(FRAME, kwargs["column_list"], keys_alias)
            self.repeats.append(
                (f"{keys_alias}.repeats as {alias}", f"left join {keys} on {matches}")
            )
            columns = [quote_identifier(column) for column in kwargs["column_list"]]
            every_null = " and ".join(f"{column} is null" for column in columns)
            return f"{alias} is not null and not ({every_null})"
        if kind == "ExpectColumnPairValuesAToBeGreaterThanB":
            a, b = quote_identifier(kwargs["column_A"]), quote_identifier(kwargs["column_B"])
            operator = ">=" if kwargs.get("or_equal") else ">"
            return f"{a} is not null and {b} is not null and not ({a} {operator} {b})"
        column = quote_identifier(kwargs["column"])
        if kind == "ExpectColumnValuesToNotBeNull":
            return f"{column} is null"
        present = f"{column} is not null and "
        if kind == "ExpectColumnValuesToBeInSet":
            return present + f"not list_contains({self._bind(list(kwargs['value_set']))}, {column})"
        if kind == "ExpectColumnValuesToMatchRegex":
            regex = self._bind(_python_regex(kwargs["regex"]))
            # Python's `$` also matches before a final newline.
            return present + (
                f"not regexp_matches({column}, {regex}) and not (ends_with({column}, chr(10)) "
                f"and regexp_matches({column}[:-2], {regex}))"
            )
        if kind == "ExpectColumnValueLengthsToBeBetween":
            return present + self._outside(f"length({column})", kwargs)
        if kind == "ExpectColumnValuesToBeBetween":
            return present + self._outside(column, kwargs)
        raise ValueError(f"the DuckDB guard engine cannot evaluate {kind}")

    def _outside(self, value: str, kwargs: dict[str, Any]) -> str:
        bounds = []
        low = _resolved(kwargs.get("min_value"), self.parameters)
        high = _resolved(kwargs.get("max_value"), self.parameters)
        if low is not None:
            bounds.append(f"{value} < {self._bind(low)}")
        if high is not None:
            bounds.append(f"{value} > {self._bind(high)}")
        return "(" + " or ".join(bounds or ["false"]) + ")"


def _table_result(
    expectation: Expectation, frame: pd.DataFrame, parameters: dict[str, Any]
) -> CheckResult:
    kwargs = expectation.kwargs
    if expectation.kind == "ExpectTableColumnsToMatchSet":
        expected = list(kwargs["column_set"])
        observed = [str(column) for column in frame.columns]
        missing = [column for column in expected if column not in observed]
        unexpected = [column for column in observed if column not in expected]
        success = not missing and not (kwargs.get("exact_match") and unexpected)
        return CheckResult(
            expectation.meta,
            success,
            observed_value=observed,
            mismatched={"missing": missing, "unexpected": unexpected},
        )
    if expectation.kind == "ExpectTableRowCountToBeBetween":
        rows = len(frame)
        low = _resolved(kwargs.get("min_value"), parameters)
        high = _resolved(kwargs.get("max_value"), parameters)
        success = (low is None or rows >= low) and (high is None or rows <= high)
        return CheckResult(expectation.meta, success, observed_value=rows)
    raise ValueError(f"the DuckDB guard engine cannot evaluate {expectation.kind}")


class SqlRuntime:
    """Validates frames in an in-memory DuckDB; holds nothing between validations."""

    def __init__(self) -> None:
        self.con = duckdb.connect()
        configure(self.con)

    def validate(
        self, source: Source, kind: str, frame: pd.DataFrame, parameters: dict[str, Any]
    ) -> list[CheckResult]:
        if kind == "batch":
            return [
                _table_result(expectation, frame, parameters)
                for expectation in batch_expectations(source)
            ]
        return self._rows(row_expectations(source), frame, parameters)

    def _rows(
        self, expectations: list[Expectation], frame: pd.DataFrame, parameters: dict[str, Any]
    ) -> list[CheckResult]:
        statement = _Statement(parameters)
        conditions: list[str] = []
        errors: dict[int, str] = {}
        for number, expectation in enumerate(expectations):
            try:
                conditions.append(statement.unexpected(expectation))
            except (KeyError, ValueError) as exc:
                errors[number] = str(exc)
                conditions.append("false")
        lists = ", ".join(f"coalesce(list({INDEX}) filter (where {c}), [])" for c in conditions)
        counts = "".join(f", {column}" for column, _ in statement.repeats)
        joins = " ".join(join for _, join in statement.repeats)
        rows = f"select {FRAME}.*{counts} from {FRAME} {joins}"
        # The rows failing any expectation first, then each expectation's list over those few:
        # one disjunction per row costs half of sixty filtered aggregates over every row.
        any_failure = " or ".join(f"({c})" for c in conditions) or "false"
        self.con.register(FRAME, frame.assign(**{INDEX: frame.index.to_numpy()}))
        try:
            failing = self.con.execute(
                f"with failing as (select * from ({rows}) where {any_failure}) "
                f"select {lists} from failing",
                statement.values,
            )
            found = failing.fetchall()[0]
        except duckdb.Error as exc:
            # One expectation the data cannot answer (a column of the wrong type) fails alone,
            # as it does in Great Expectations; the others still run.
            return [
                CheckResult(expectation.meta, False, error=str(exc).splitlines()[0])
                if len(expectations) == 1
                else self._rows([expectation], frame, parameters)[0]
                for expectation in expectations
            ]
        finally:
            self.con.unregister(FRAME)
        return [
            CheckResult(expectation.meta, False, error=errors[number])
            if number in errors
            else CheckResult(expectation.meta, not unexpected, list(unexpected))
            for number, (expectation, unexpected) in enumerate(
                zip(expectations, found, strict=True)
            )
        ]

    def build_docs(self, docs_dir: Path | None = None) -> Path | None:
        """No Data Docs: they are Great Expectations' rendering of its own results."""
        return None
