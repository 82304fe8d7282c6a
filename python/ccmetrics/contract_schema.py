"""The shape of a source definition: columns, keys, landing folder and the guard's rules.

`ccmetrics.contract` defines the landing contract's sources with these types and
`ccmetrics.native` the native formats' (Asterisk, Amazon Connect, Rasa); both are data, and
this module imports neither, so that each can import it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


@dataclass(frozen=True)
class Bound:
    """A plausible range for a numeric column (either end may be open)."""

    column: str
    min_value: float | None
    max_value: float | None
    why: str


@dataclass(frozen=True)
class Order:
    """`later` must not be before `earlier` (rows where either is null are not checked)."""

    earlier: str
    later: str


@dataclass(frozen=True)
class Span:
    """The duration from `start` to `end`, in seconds, must lie in [0, max_seconds]."""

    start: str
    end: str
    max_seconds: float


@dataclass(frozen=True)
class SetWithoutWarning:
    """Warn (never reject) about good rows where `set_column` is set and `null_column` is not."""

    set_column: str
    null_column: str
    message: str
    """Follows the row count: "3 answered contacts have no queued_at: ..."."""
    unless: tuple[str, tuple[str, ...]] | None = None
    """(column, values): rows whose column holds one of these values are not warned about."""


@dataclass(frozen=True)
class SourceRules:
    bounds: tuple[Bound, ...] = ()
    orders: tuple[Order, ...] = ()
    span: Span | None = None
    exactly_one_of: tuple[str, ...] = ()
    """Exactly one of these columns is set (a survey rates a contact or a bot session)."""
    rated_after_contact: bool = False
    """The row must come after the end of the contact or bot session it points to."""
    daily_volume: bool = True
    """Every day has rows: an empty day or a volume collapse rejects the batch. Master data
    (customers, agents) is delivered only when it changes, so it has no daily volume."""
    upsert: bool = False
    """A delivery holds changed records only: it adds or replaces the records it holds and
    never deletes the day's other records (master data; `load --replace` overrides)."""
    warnings: tuple[SetWithoutWarning, ...] = ()


MAX_LENGTH_ID = 128
"""Ids (`*_id`): far above any real system's keys, far below an abuse."""
MAX_LENGTH_CODE = 64
"""Enums and short codes (channel, disposition, product code)."""
MAX_LENGTH_REASON = 256
"""Contact reasons and bot intents: a menu entry, an intent or a wrap-up code."""
MAX_LENGTH_PHONE = 32
"""Phone numbers: E.164 has at most 15 digits; formatting and an extension fit in 32."""
MAX_LENGTH_EMAIL = 254
"""E-mail addresses: the longest address SMTP can carry (RFC 5321)."""


def default_max_length(name: str, enum: tuple[str, ...] | None, pii: bool) -> int | None:
    """The bound a text column gets from its kind; None when its kind gives none."""
    if enum is not None:
        return MAX_LENGTH_CODE
    if pii and "email" in name:
        return MAX_LENGTH_EMAIL
    if pii and "phone" in name:
        return MAX_LENGTH_PHONE
    if name.endswith("_id"):
        return MAX_LENGTH_ID
    return None


@dataclass(frozen=True)
class TextPattern:
    """What a text column's values may look like, when the plain-id rule is too strict."""

    regex: str
    allowed: str
    """The characters it allows, as the guard's message names them."""


MEMBER_NAME = TextPattern(
    r"^[A-Za-z0-9][A-Za-z0-9 _./:#@+\-]*$",
    "letters, digits, space and _ . / : # @ + - only",
)
"""A name a telephony or contact-center system gives an agent or a device: a login that is an
e-mail address, a channel such as `Local/101@from-queue/n`. Still no quotes, `;`, `=`, `|`."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    """One of: string, timestamp, date, integer, double, boolean, decimal."""
    nullable: bool
    description: str
    enum: tuple[str, ...] | None = None
    pii: bool = False
    references: str | None = None
    """`source.column` this column points to, when it is a foreign key."""
    pattern: TextPattern | None = None
    """Text columns that are neither enums nor e-mail/phone PII: the values' shape; None: a
    plain id or code (`PLAIN_TEXT_REGEX` of the guard's rules)."""
    max_length: int | None = None
    """Most characters a value of a string column may have (the guard quarantines a longer
    one); defaults by kind (`default_max_length`). Every string column has one."""

    def __post_init__(self) -> None:
        if self.type != "string":
            if self.max_length is not None:
                raise ValueError(f"{self.name}: only string columns have a max_length")
            return
        if self.max_length is None:
            bound = default_max_length(self.name, self.enum, self.pii)
            if bound is None:
                raise ValueError(f"{self.name}: a string column needs a max_length")
            object.__setattr__(self, "max_length", bound)
        if self.max_length is not None and self.max_length < 1:
            raise ValueError(f"{self.name}: max_length must be positive")


@dataclass(frozen=True)
class NullWhen:
    """On rows whose `when_column` is `when_value`, every column of `columns` is null."""

    when_column: str
    when_value: str
    columns: tuple[str, ...]
    why: str


@dataclass(frozen=True)
class ProvidedIds:
    """A native source delivers records of a landing-contract entity: the guard takes its ids
    as known when another source references that entity (a survey rating a Connect contact)."""

    entity: str
    """The landing contract source whose ids these are (`contacts`, `bot_sessions`)."""
    id_column: str
    """The native column holding the entity's id, as staging publishes it."""
    ended_column: str
    """The native column of the moment the record ended (latest per id), for the check that a
    rating comes after what it rates."""


@dataclass(frozen=True)
class Source:
    name: str
    system: str
    """The dbt source (operational system) the table belongs to."""
    description: str
    key: str
    day_column: str
    """The timestamp or date column whose UTC day decides which daily file a row lands in."""
    columns: tuple[Column, ...]
    version_column: str | None = None
    """Where a record can be re-delivered with changes: the column that orders versions."""
    event_column: str | None = None
    """When the day column is the version (a record delivered again on the day it changed),
    the column of when the record itself happened: the day a change belongs to."""
    metrics: tuple[str, ...] = field(default_factory=tuple)
    null_when: tuple[NullWhen, ...] = ()
    """Columns that must be empty on some rows (the guard quarantines a row that breaks it)."""
    folder: str | None = None
    """Landing folder of the source's daily files, relative to the landing root (`asterisk/
    queue_log`); None: the source's name."""
    file_suffixes: tuple[str, ...] = ("parquet", "csv")
    """Extensions a daily file may have (`<YYYY-MM-DD>.<suffix>`)."""
    reader: Callable[[Path], pd.DataFrame] | None = None
    """Parses a daily file of a native format into the source's columns, all as text, plus
    `_source_row` (the file's line or record number, 1-based). None: a Parquet or CSV file
    with the contract's columns, read by DuckDB."""
    rules: SourceRules | None = None
    """The guard's rules beyond the contract (`ccmetrics.guard.rules`); None: the landing
    contract's rule book entry for this source."""
    provides: tuple[ProvidedIds, ...] = ()
    """Landing-contract entities whose ids this native source delivers."""

    @property
    def changed_day_column(self) -> str:
        """The column whose day a delivered row changes (`day_column` unless `event_column`)."""
        return self.event_column or self.day_column

    @property
    def landing_folder(self) -> str:
        return self.folder if self.folder is not None else self.name

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(f"{self.name} has no column {name!r}")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(col.name for col in self.columns)


def col(name: str, type_: str, nullable: bool, description: str, **kwargs: object) -> Column:
    """A contract column, in the short form the source definitions use."""
    return Column(name, type_, nullable, description, **kwargs)  # type: ignore[arg-type]
