"""The expectation suites, one pair per landing source, built from the contract and the rules.

- `<source>.batch` runs on the file as delivered: all contract columns present (missing ones
  reject the batch), no unexpected extra column (reported, not fatal), and a row count inside
  the volume band (empty day, volume collapse, ten-fold file).
- `<source>.rows` runs on the typed rows plus the context columns of `context_columns`: keys,
  required columns, enums, plain-text ids, text lengths (the contract's `max_length`),
  references, plausible values, timestamp order, timestamps inside the batch's day and not in
  the future, the contract's null-when rules.
  Each failing row is quarantined with a reason per expectation it fails: `meta.check`, then
  the problem with the row's values (`messages`, from the columns `meta` names).

Run-specific values (the run's clock, the volume band) are suite parameters, so a suite is the
same reviewable object for every batch. A run costs a fixed time (most of all in GX), so the
rows of consecutive batches of a source are validated in one run: the batch's file and day
travel with each row (`_source_file`, `_batch_day_start`, `_batch_day_end`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ccmetrics.contract import Source
from ccmetrics.guard.reading import SOURCE_ROW
from ccmetrics.guard.rules import (
    EMAIL_REGEX,
    PHONE_REGEX,
    PLAIN_TEXT_ALLOWED,
    PLAIN_TEXT_REGEX,
    rules_for,
)

if TYPE_CHECKING:
    import great_expectations as gx

SPAN_COLUMN = "_span_seconds"
BATCH_COLUMN = "_source_file"
"""Rows of several batches of a source are validated together; this column tells them apart."""
DAY_START_COLUMN = "_batch_day_start"
DAY_END_COLUMN = "_batch_day_end"
BATCH_TIME_COLUMN = "_batch_time"
TARGETS_COLUMN = "_targets_set"
RATED_ENDED_COLUMN = "_rated_ended_at"
WARNING = "warning"


def known_column(column: str) -> str:
    """Context column: the id in `column` exists (true), is unknown (false), or is not checked
    (null: a null or unidentified id, or a source never delivered)."""
    return f"_known__{column}"


def null_when_column(column: str) -> str:
    """Context column: `column` is null as its NullWhen rule requires (true), is set (false),
    or the rule does not apply to the row (null)."""
    return f"_null_when__{column}"


def batch_key(source: Source) -> list[str]:
    """What identifies a row within a batch: the key, and the version for versioned records."""
    return [source.key] if source.version_column is None else [source.key, source.version_column]


def _meta(check: str, reason: str, severity: str = "error", **details: Any) -> dict[str, Any]:
    """`check` and `reason` name the rule; `details` say which columns and limits it involves,
    so that `messages` can show a failing row's own values."""
    return {"check": check, "reason": reason, "severity": severity, **details}


def _param(name: str) -> dict[str, str]:
    return {"$PARAMETER": name}


@dataclass(frozen=True)
class Expectation:
    """One expectation as data: the class of `great_expectations.expectations` it is and its
    arguments (`meta` included). Great Expectations builds it from this (`to_gx`) and the
    DuckDB engine (`sql_runtime`) evaluates the same object, so both run one definition."""

    kind: str
    kwargs: dict[str, Any]

    @property
    def meta(self) -> dict[str, Any]:
        return dict(self.kwargs["meta"])

    def to_gx(self) -> Any:
        import great_expectations.expectations as gxe

        return getattr(gxe, self.kind)(**self.kwargs)


def _expect(kind: str, **kwargs: Any) -> Expectation:
    return Expectation(kind, kwargs)


def batch_expectations(source: Source) -> list[Expectation]:
    """What a file as delivered must hold: the `<source>.batch` suite."""
    delivered = [SOURCE_ROW, *source.column_names]
    return [
        _expect(
            "ExpectTableColumnsToMatchSet",
            column_set=delivered,
            exact_match=False,
            meta=_meta("schema", "every contract column is delivered"),
        ),
        _expect(
            "ExpectTableColumnsToMatchSet",
            column_set=delivered,
            exact_match=True,
            meta=_meta("schema_extra", "no column outside the contract", WARNING),
        ),
        _expect(
            "ExpectTableRowCountToBeBetween",
            min_value=_param("min_rows"),
            max_value=_param("max_rows"),
            meta=_meta("volume", "row count inside the band around the trailing average"),
        ),
    ]


def row_expectations(source: Source) -> list[Expectation]:
    """What every typed row (with its context columns) must hold: the `<source>.rows` suite."""
    rules = rules_for(source)
    found: list[Expectation] = []
    for column in source.columns:
        name = column.name
        if not column.nullable:
            found.append(
                _expect(
                    "ExpectColumnValuesToNotBeNull",
                    column=name,
                    meta=_meta("not_null", f"{name} is required", column=name),
                )
            )
        if column.enum is not None:
            found.append(
                _expect(
                    "ExpectColumnValuesToBeInSet",
                    column=name,
                    value_set=list(column.enum),
                    meta=_meta("enum", f"{name} is one of {', '.join(column.enum)}", column=name),
                )
            )
        elif column.type == "string" and column.pii and "email" in name:
            found.append(
                _expect(
                    "ExpectColumnValuesToMatchRegex",
                    column=name,
                    regex=EMAIL_REGEX,
                    meta=_meta(
                        "format", f"{name} is an e-mail address", column=name, kind="e-mail address"
                    ),
                )
            )
        elif column.type == "string" and column.pii and "phone" in name:
            found.append(
                _expect(
                    "ExpectColumnValuesToMatchRegex",
                    column=name,
                    regex=PHONE_REGEX,
                    meta=_meta(
                        "format", f"{name} is a phone number", column=name, kind="phone number"
                    ),
                )
            )
        elif column.type == "string":
            found.append(
                _expect(
                    "ExpectColumnValuesToMatchRegex",
                    column=name,
                    regex=PLAIN_TEXT_REGEX if column.pattern is None else column.pattern.regex,
                    meta=_meta(
                        "plain_text",
                        f"{name} is a plain id or code (no quotes, ;, =, |)",
                        column=name,
                        allowed=(
                            PLAIN_TEXT_ALLOWED if column.pattern is None else column.pattern.allowed
                        ),
                    ),
                )
            )
        if column.max_length is not None and column.enum is None:
            # An enum column is bounded by its values already.
            found.append(
                _expect(
                    "ExpectColumnValueLengthsToBeBetween",
                    column=name,
                    max_value=column.max_length,
                    meta=_meta(
                        "max_length",
                        f"{name} has at most {column.max_length} characters",
                        column=name,
                        max_length=column.max_length,
                    ),
                )
            )
        if column.references is not None:
            found.append(
                _expect(
                    "ExpectColumnValuesToBeInSet",
                    column=known_column(name),
                    value_set=[True],
                    meta=_meta(
                        "reference",
                        f"{name} exists in {column.references}",
                        column=name,
                        references=column.references,
                        source=source.name,
                    ),
                )
            )
        if column.type == "timestamp":
            found.append(
                _expect(
                    "ExpectColumnValuesToBeBetween",
                    column=name,
                    max_value=_param("now"),
                    meta=_meta("not_future", f"{name} is not in the future", column=name),
                )
            )

    key = batch_key(source)
    found.append(
        _expect(
            "ExpectCompoundColumnsToBeUnique",
            column_list=[*key, BATCH_COLUMN],
            meta=_meta(
                "unique_key",
                f"one row per {' and '.join(key)} in the batch",
                columns=key,
            ),
        )
    )
    day_rule = f"{source.day_column} falls on the batch's UTC day"
    if source.version_column is not None:
        day_rule += f" (or, for a new version, {source.version_column})"
    day_details = {"day_column": source.day_column, "version_column": source.version_column}
    found.append(
        _expect(
            "ExpectColumnPairValuesAToBeGreaterThanB",
            column_A=BATCH_TIME_COLUMN,
            column_B=DAY_START_COLUMN,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta("in_batch_day", day_rule, **day_details),
        )
    )
    found.append(
        _expect(
            "ExpectColumnPairValuesAToBeGreaterThanB",
            column_A=DAY_END_COLUMN,
            column_B=BATCH_TIME_COLUMN,
            or_equal=True,
            ignore_row_if="either_value_is_missing",
            meta=_meta("in_batch_day", day_rule, **day_details),
        )
    )

    for bound in rules.bounds:
        found.append(
            _expect(
                "ExpectColumnValuesToBeBetween",
                column=bound.column,
                min_value=bound.min_value,
                max_value=bound.max_value,
                meta=_meta(
                    "plausible",
                    bound.why,
                    column=bound.column,
                    min_value=bound.min_value,
                    max_value=bound.max_value,
                ),
            )
        )
    for order in rules.orders:
        found.append(
            _expect(
                "ExpectColumnPairValuesAToBeGreaterThanB",
                column_A=order.later,
                column_B=order.earlier,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=_meta(
                    "order",
                    f"{order.later} is not before {order.earlier}",
                    earlier=order.earlier,
                    later=order.later,
                ),
            )
        )
    if rules.span is not None:
        found.append(
            _expect(
                "ExpectColumnValuesToBeBetween",
                column=SPAN_COLUMN,
                min_value=0,
                max_value=rules.span.max_seconds,
                meta=_meta(
                    "duration",
                    f"{rules.span.start} to {rules.span.end} lasts 0 to "
                    f"{rules.span.max_seconds:.0f} seconds",
                    start=rules.span.start,
                    end=rules.span.end,
                    max_seconds=rules.span.max_seconds,
                ),
            )
        )
    if rules.exactly_one_of:
        found.append(
            _expect(
                "ExpectColumnValuesToBeInSet",
                column=TARGETS_COLUMN,
                value_set=[1],
                meta=_meta(
                    "one_target",
                    f"exactly one of {', '.join(rules.exactly_one_of)}",
                    columns=list(rules.exactly_one_of),
                ),
            )
        )
    if rules.rated_after_contact:
        found.append(
            _expect(
                "ExpectColumnPairValuesAToBeGreaterThanB",
                column_A=source.day_column,
                column_B=RATED_ENDED_COLUMN,
                or_equal=True,
                ignore_row_if="either_value_is_missing",
                meta=_meta(
                    "after_rated",
                    f"{source.day_column} is after the rated contact ended",
                    column=source.day_column,
                ),
            )
        )
    for rule in source.null_when:
        for name in rule.columns:
            found.append(
                _expect(
                    "ExpectColumnValuesToBeInSet",
                    column=null_when_column(name),
                    value_set=[True],
                    meta=_meta(
                        "null_when",
                        f"{name} is null when {rule.when_column} is {rule.when_value}",
                        column=name,
                        when_column=rule.when_column,
                        when_value=rule.when_value,
                        why=rule.why,
                    ),
                )
            )
    return found


def suite(source: Source, kind: str) -> gx.ExpectationSuite:
    """The `<source>.<kind>` suite (`batch` or `rows`) as a Great Expectations object."""
    import great_expectations as gx

    built = gx.ExpectationSuite(name=f"{source.name}.{kind}")
    expectations = batch_expectations(source) if kind == "batch" else row_expectations(source)
    for expectation in expectations:
        built.add_expectation(expectation.to_gx())
    return built
