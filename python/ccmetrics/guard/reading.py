"""Find the landing batches and read one into a DataFrame through DuckDB, exactly as delivered."""

from __future__ import annotations

import csv
import datetime as dt
import functools
import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.contract import SOURCES_BY_FOLDER, SOURCES_BY_NAME, Source
from ccmetrics.guard.errors import BatchRejected
from ccmetrics.guard.frames import frame_of
from ccmetrics.guard.rules import LOAD_ORDER

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

    from ccmetrics.mapping import Mapping

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

    @property
    def day_bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """First and last UTC instant (naive) of the batch's day: the UTC day, or, for a CSV
        export read through a mapping, the local day of the mapping's time zone (23 or 25
        hours on a DST change day)."""
        from ccmetrics.mapping.clock import local_day_bounds
        from ccmetrics.mapping.spec import MappingError

        start = dt.datetime.combine(self.day, dt.time())
        utc = (start, start + dt.timedelta(days=1) - dt.timedelta(microseconds=1))
        if self.mapping is None:
            return utc
        try:
            mapping = mapping_of(self.mapping)
        except (MappingError, OSError):
            return utc
        return local_day_bounds(self.day, mapping.zone)

    @property
    def stream(self) -> str:
        """The delivery stream the batch belongs to: its landing folder, or `csv/<name>`."""
        return stream_of(self.relative)


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


CSV_FOLDER = "csv"
"""`<landing>/csv/<name>/` holds a CSV export (`<YYYY-MM-DD>.csv`) and its `mapping.yml`."""
MAPPING_FILE = "mapping.yml"
MAPPED_SOURCE = "contacts"
"""The contract source a mapped CSV export delivers."""


def stream_of(relative: str) -> str:
    """`csv/<name>` for a mapped export's file, else the file's folder."""
    parts = relative.split("/")
    if len(parts) == 3 and parts[0] == CSV_FOLDER:
        return "/".join(parts[:2])
    return "/".join(parts[:-1])


def _stray_csv(entry: Path) -> list[str]:
    """What under `csv/` no batch reads: stray files, folders without a mapping, extra files."""
    warnings: list[str] = []
    for inner in sorted(p for p in entry.iterdir() if not _ignored(p)):
        name = f"{CSV_FOLDER}/{inner.name}"
        if not inner.is_dir():
            warnings.append(
                f"{name}: stray file in the csv folder, not loaded (a mapped export is "
                f"{CSV_FOLDER}/<name>/{MAPPING_FILE} with YYYY-MM-DD.csv files)"
            )
            continue
        if not (inner / MAPPING_FILE).is_file():
            warnings.append(f"{name}/: no {MAPPING_FILE} in it, not loaded")
            continue
        for item in sorted(p for p in inner.iterdir() if not _ignored(p)):
            if item.is_dir():
                warnings.append(f"{name}/{item.name}/: folder inside a csv export, not loaded")
            elif item.name != MAPPING_FILE and item.suffix != ".csv":
                warnings.append(
                    f"{name}/{item.name}: stray file in a csv export folder, not loaded"
                )
    return warnings


def _stray_folder(entry: Path, relative: str) -> list[str]:
    if relative == CSV_FOLDER:
        return _stray_csv(entry)
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


def _is_mapped(path: Path, landing: Path | None) -> bool:
    folder = path.parent
    return (
        folder.parent.name == CSV_FOLDER
        and (folder / MAPPING_FILE).is_file()
        and (landing is None or folder.parent.parent == landing)
    )


def _mapped_batch(path: Path) -> Batch:
    """A CSV export in `csv/<name>/`, read through that folder's mapping.yml into contacts."""
    relative = f"{CSV_FOLDER}/{path.parent.name}/{path.name}"
    match = FILE_NAME.match(path.name)
    if match is None or match.group(2) != "csv":
        raise BatchRejected(
            relative,
            "file name",
            f"YYYY-MM-DD.csv (the local day) or {MAPPING_FILE}",
            repr(path.name),
        )
    try:
        day = dt.date.fromisoformat(match.group(1))
    except ValueError:
        raise BatchRejected(relative, "file name", "a real calendar day", repr(path.name)) from None
    return Batch(SOURCES_BY_NAME[MAPPED_SOURCE], day, path, relative, path.parent / MAPPING_FILE)


def batch_for_file(path: Path, landing: Path | None = None) -> Batch:
    """The batch a landing file holds, from its folder (source) and name (day)."""
    if _is_mapped(path, landing):
        return _mapped_batch(path)
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
        paths = sorted(p for p in folder.iterdir() if p.is_file()) if folder.is_dir() else []
        if name == MAPPED_SOURCE:
            paths += _mapped_paths(landing)
        by_day: dict[dt.date, list[Batch]] = {}
        for path in paths:
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
                rejected.append(_double_delivery(candidates))
                continue
            batches.append(candidates[0])
    return Discovery(batches, rejected, _strays(landing))


def _mapped_paths(landing: Path) -> list[Path]:
    """The CSV files of every `csv/<name>/` folder that has a mapping.yml."""
    root = landing / CSV_FOLDER
    if not root.is_dir():
        return []
    return [
        path
        for folder in sorted(p for p in root.iterdir() if p.is_dir() and not _ignored(p))
        if (folder / MAPPING_FILE).is_file()
        for path in sorted(p for p in folder.iterdir() if p.is_file() and p.suffix == ".csv")
    ]


def _double_delivery(candidates: list[Batch]) -> BatchRejected:
    names = " and ".join(b.relative for b in candidates)
    if len({b.stream for b in candidates}) == 1:
        return BatchRejected(
            candidates[0].relative, "single delivery", "one file per source and day", names
        )
    # The loader replaces a source's day as a whole: two streams of one day would replace
    # each other's rows, so neither loads.
    return BatchRejected(
        candidates[0].relative,
        "single delivery",
        f"one delivery of {candidates[0].source.name} per day (a day's rows are replaced as a "
        "whole on re-delivery, so two feeds of one day would replace each other)",
        f"{names}; deliver the day through one of them",
    )


def mixed_delivery(con: duckdb.DuckDBPyConnection, batch: Batch) -> str | None:
    """The files of another delivery stream already loaded for the batch's source and day
    (a landing `contacts/<day>` file against a mapped `csv/<name>/<day>.csv`, or two mapped
    exports), named; None when there are none or the warehouse has no such table."""
    tables = con.execute(
        "select database_name from duckdb_tables() where schema_name = 'raw' and table_name = ?",
        [batch.source.name],
    ).fetchall()
    others: set[str] = set()
    for (database,) in tables:
        table = f'"{database}".raw."{batch.source.name}"'
        files = con.execute(
            f"select distinct _source_file from {table} where _batch_date = ?", [batch.day]
        ).fetchall()
        others |= {name for (name,) in files if name and stream_of(name) != batch.stream}
    if not others:
        return None
    return ", ".join(sorted(others))


def file_sha256(path: Path) -> str:
    """The file's digest; for a mapped CSV export, of the file and its mapping.yml together
    (a changed mapping makes the same export a new delivery)."""
    digest = hashlib.sha256()
    mapping = path.parent / MAPPING_FILE
    parts = [path, mapping] if path != mapping and _is_mapped(path, None) else [path]
    for part in parts:
        with part.open("rb") as handle:
            for block in iter(lambda handle=handle: handle.read(1 << 20), b""):
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

    if batch.mapping is not None:
        return _read_mapped(con, batch)
    if numbered and batch.source.name == MAPPED_SOURCE:
        _refuse_mixed_delivery(con, batch)
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
        frame = frame_of(con, relation)
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


def mapping_of(path: Path) -> Mapping:
    """The mapping file, loaded once per version of the file."""
    stat = path.stat()
    return _cached_mapping(path, stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=32)
def _cached_mapping(path: Path, mtime_ns: int, size: int) -> Mapping:
    from ccmetrics.mapping import load_mapping

    del mtime_ns, size  # the cache key: a changed file is loaded again
    return load_mapping(path)


def _refuse_mixed_delivery(con: duckdb.DuckDBPyConnection, batch: Batch) -> None:
    loaded = mixed_delivery(con, batch)
    if loaded is None:
        return
    raise BatchRejected(
        batch.relative,
        "single delivery",
        f"one delivery of {batch.source.name} per day (a day's rows are replaced as a whole, "
        "so this file would replace rows of another feed)",
        f"{batch.day} is loaded from {loaded}; deliver the day through one of them",
    )


def _read_mapped(con: duckdb.DuckDBPyConnection, batch: Batch) -> RawBatch:
    """A CSV export read through its mapping into the source's columns, all as text."""
    from ccmetrics.mapping import FileProblem, MappingError, apply_mapping

    assert batch.mapping is not None
    try:
        mapping = mapping_of(batch.mapping)
    except (MappingError, OSError) as exc:
        raise BatchRejected(
            batch.relative,
            "mapping",
            f"a valid {MAPPING_FILE} (check it with ccmetrics map --check)",
            str(exc)[:300],
        ) from None
    _refuse_mixed_delivery(con, batch)
    try:
        mapped = apply_mapping(mapping, batch.path, batch.day)
    except FileProblem as exc:
        raise BatchRejected(
            batch.relative, "readable", f"a CSV export {MAPPING_FILE} can read", str(exc)[:300]
        ) from None
    types = {name: "VARCHAR" for name in mapped.frame.columns if name != SOURCE_ROW}
    return RawBatch(batch, mapped.frame, types, file_sha256(batch.path))
