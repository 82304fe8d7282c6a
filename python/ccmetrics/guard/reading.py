"""Find the landing batches and read one into a DataFrame through DuckDB, exactly as delivered."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.contract import SOURCES_BY_FOLDER, SOURCES_BY_NAME, Source
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.rules import LOAD_ORDER

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

FILE_NAME = re.compile(r"^(\d{4}-\d{2}-\d{2})\.([A-Za-z0-9]+)$")
SOURCE_ROW = "_source_row"
MAX_CSV_LINE_BYTES = 16 * 1024 * 1024
"""A CSV line longer than this makes the file unreadable (the batch is rejected). DuckDB's
default (2 MB) would reject a whole day for one oversized cell; up to this size the file reads
and the guard quarantines the row (the contract's `max_length`) instead."""


@dataclass(frozen=True)
class Batch:
    """One landing file: one source, one UTC day."""

    source: Source
    day: dt.date
    path: Path
    relative: str
    """Path relative to the landing root, as stored in `_source_file`."""
    mapping: Path | None = None
    """A CSV export read through this mapping file into the source's columns (`ccmetrics
    map`); None: the file is read by its source's own reader."""

    @property
    def format(self) -> str:
        return self.path.suffix.lstrip(".")


@dataclass(frozen=True)
class RawBatch:
    batch: Batch
    frame: pd.DataFrame
    """The file's columns as delivered, plus `_source_row` (1-based row in the file)."""
    types: dict[str, str]
    """DuckDB type of every delivered column (all VARCHAR for CSV)."""
    sha256: str


@dataclass(frozen=True)
class Discovery:
    batches: list[Batch]
    rejected: list[BatchRejected]
    """Files that cannot be a batch (bad name) or days delivered twice in one landing."""
    warnings: list[str]
    """Folders and files under the landing root that are not loaded: each named."""


def _ignored(path: Path) -> bool:
    """Hidden and `_`-prefixed entries (`_planted_faults.json`) are the tools' own files."""
    return path.name.startswith((".", "_"))


SYSTEM_FOLDERS: frozenset[str] = frozenset(
    folder.split("/")[0] for folder in SOURCES_BY_FOLDER if "/" in folder
)
"""Top folders of the native formats (`asterisk/` holds `asterisk/queue_log/`)."""


def _stray_folder(entry: Path, relative: str) -> list[str]:
    if relative in SOURCES_BY_FOLDER:
        return [
            f"{relative}/{inner.name}/: folder inside a source folder, not loaded"
            for inner in sorted(entry.iterdir())
            if inner.is_dir() and not _ignored(inner)
        ]
    if relative in SYSTEM_FOLDERS:
        return [
            warning
            for inner in sorted(entry.iterdir())
            if not _ignored(inner)
            for warning in (
                _stray_folder(inner, f"{relative}/{inner.name}")
                if inner.is_dir()
                else [f"{relative}/{inner.name}: stray file in a system folder, not loaded"]
            )
        ]
    return [
        f"{relative}/: not a contract source folder, not loaded "
        f"(sources: {', '.join(SOURCES_BY_FOLDER)})"
    ]


def _strays(landing: Path) -> list[str]:
    """Everything under the landing root that no batch will read, named for the user."""
    warnings: list[str] = []
    for entry in sorted(p for p in landing.iterdir() if not _ignored(p)):
        if entry.is_dir():
            warnings += _stray_folder(entry, entry.name)
        else:
            warnings.append(
                f"{entry.name}: stray file at the landing root, not loaded (a batch is "
                "<source>/YYYY-MM-DD.parquet or .csv)"
            )
    return warnings


def _source_of(path: Path, landing: Path | None) -> tuple[Source | None, str]:
    """The source whose landing folder holds the file, and that folder as the user sees it."""
    folder = path.parent
    nested = f"{folder.parent.name}/{folder.name}"
    if nested in SOURCES_BY_FOLDER and folder.parent != landing:
        return SOURCES_BY_FOLDER[nested], nested
    return SOURCES_BY_FOLDER.get(folder.name), folder.name


def batch_for_file(path: Path, landing: Path | None = None) -> Batch:
    """The batch a landing file holds, from its folder (source) and name (day)."""
    source, folder = _source_of(path, landing)
    root = landing
    if root is None:
        root = path.parents[folder.count("/") + 1]
    relative = path.relative_to(root).as_posix() if path.is_relative_to(root) else path.name
    if source is None:
        raise BatchRejected(
            relative, "source", "a folder named like a contract source", f"folder {folder!r}"
        )
    match = FILE_NAME.match(path.name)
    expected = " or ".join(f"YYYY-MM-DD.{suffix}" for suffix in source.file_suffixes)
    if match is None or match.group(2) not in source.file_suffixes:
        raise BatchRejected(relative, "file name", expected, repr(path.name))
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise BatchRejected(relative, "file name", "a real calendar day", repr(path.name)) from None
    return Batch(source, day, path, relative)


def discover(landing: Path, sources: tuple[str, ...] = (), day: dt.date | None = None) -> Discovery:
    """Every batch under the landing root, in load order (referenced sources first, by day).

    A missing landing root is an error, never "0 batches": a typo must not look like a day
    without data."""
    if not landing.is_dir():
        problem = "is not a folder" if landing.exists() else "does not exist"
        raise FileNotFoundError(f"landing root {landing} {problem}: nothing to load")
    batches: list[Batch] = []
    rejected: list[BatchRejected] = []
    for name in LOAD_ORDER:
        if sources and name not in sources:
            continue
        folder = landing / SOURCES_BY_NAME[name].landing_folder
        if not folder.is_dir():
            continue
        by_day: dict[dt.date, list[Batch]] = {}
        for path in sorted(p for p in folder.iterdir() if p.is_file()):
            if _ignored(path):
                continue
            try:
                batch = batch_for_file(path, landing)
            except BatchRejected as exc:
                rejected.append(exc)
                continue
            if day is None or batch.day == day:
                by_day.setdefault(batch.day, []).append(batch)
        for batch_day in sorted(by_day):
            candidates = by_day[batch_day]
            if len(candidates) > 1:
                names = " and ".join(b.relative for b in candidates)
                rejected.append(
                    BatchRejected(
                        candidates[0].relative,
                        "single delivery",
                        "one file per source and day",
                        names,
                    )
                )
                continue
            batches.append(candidates[0])
    return Discovery(batches, rejected, _strays(landing))


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _csv_header(batch: Batch) -> list[str]:
    try:
        # utf-8-sig: a CSV saved by Excel starts with a byte-order mark, which is not part of
        # the first column's name (DuckDB skips it too, and takes CRLF line ends as they are).
        with batch.path.open(newline="", encoding="utf-8-sig") as handle:
            header = next(csv.reader(handle), None)
    except UnicodeDecodeError as exc:
        raise BatchRejected(
            batch.relative,
            "readable",
            "a UTF-8 encoded CSV file",
            f"a non-UTF-8 byte at byte {exc.start} of the file",
        ) from None
    except csv.Error as exc:
        raise BatchRejected(
            batch.relative, "readable", "a well-formed CSV header", str(exc)
        ) from None
    if not header:
        raise BatchRejected(
            batch.relative, "not empty", "a CSV header and at least one row", "an empty file"
        )
    if len(set(header)) != len(header):
        raise BatchRejected(
            batch.relative, "schema", "unique column names", f"duplicated columns in {header}"
        )
    return header


_CSV_CAUSES = re.compile(
    r"Expected Number of Columns.*|.*unterminated quote.*|Invalid unicode.*|.*not utf-8.*|"
    r"Maximum line size.*|No magic bytes.*|.*too small to be a Parquet file.*",
    re.IGNORECASE,
)


def _duckdb_error_summary(exc: Exception) -> str:
    """The error's first line and its cause, never the (possibly sensitive) row content."""
    lines = [line.strip() for line in str(exc).splitlines() if line.strip()]
    first = lines[0] if lines else type(exc).__name__
    cause = next((line for line in lines[1:] if _CSV_CAUSES.fullmatch(line)), None)
    summary = first if cause is None else f"{first} ({cause})"
    return summary[:300]


def _sql_string(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def read_batch(con: duckdb.DuckDBPyConnection, batch: Batch, numbered: bool = True) -> RawBatch:
    """Read a landing file as delivered: CSV as text, Parquet with its own types.

    `numbered` adds `_source_row`; a corrections file brings its own (the original rows)."""
    import duckdb

    if batch.source.reader is not None:
        return _read_native(batch)
    path = _sql_string(str(batch.path))
    if batch.format == "csv":
        header = _csv_header(batch)
        columns = "{" + ", ".join(f"{_sql_string(c)}: 'VARCHAR'" for c in header) + "}"
        # No sniffing: a short, long or unterminated row must fail, never be guessed around.
        query = (
            f"select * from read_csv({path}, columns={columns}, header=true, auto_detect=false,"
            " strict_mode=true, null_padding=false, delim=',', quote='\"', escape='\"',"
            f" max_line_size={MAX_CSV_LINE_BYTES})"
        )
    else:
        query = f"select * from read_parquet({path})"
    try:
        relation = con.sql(query)
        types = {
            name: str(kind) for name, kind in zip(relation.columns, relation.types, strict=True)
        }
        frame = relation.df()
    except (duckdb.Error, OSError) as exc:
        raise BatchRejected(
            batch.relative,
            "readable",
            f"a well-formed {batch.format} file",
            _duckdb_error_summary(exc),
        ) from None
    if not numbered:
        return RawBatch(batch, frame, types, file_sha256(batch.path))
    if SOURCE_ROW in frame.columns:
        raise BatchRejected(
            batch.relative,
            "schema",
            "no loader columns in a landing file",
            f"a column named {SOURCE_ROW}",
        )
    frame.insert(0, SOURCE_ROW, range(1, len(frame) + 1))
    frame.index = frame[SOURCE_ROW].to_numpy()
    return RawBatch(batch, frame, types, file_sha256(batch.path))


def _read_native(batch: Batch) -> RawBatch:
    """A native format's file, parsed by its source's reader: every column as text."""
    reader = batch.source.reader
    assert reader is not None
    try:
        frame = reader(batch.path)
    except (ValueError, OSError, UnicodeDecodeError) as exc:
        raise BatchRejected(
            batch.relative, "readable", f"a well-formed {batch.source.name} file", str(exc)[:300]
        ) from None
    frame.index = frame[SOURCE_ROW].to_numpy()
    types = {name: "VARCHAR" for name in frame.columns if name != SOURCE_ROW}
    return RawBatch(batch, frame, types, file_sha256(batch.path))
