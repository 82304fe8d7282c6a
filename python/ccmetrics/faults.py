"""Plant a known share of bad rows into generated landing files, to prove the guard catches them.

`plant_bad_rows` corrupts exactly `round(share x rows)` rows of each source (spread over its
day files), each with one row-level fault the guard must quarantine: an unknown enum value, a
negative or absurd value, an end before its start, an orphan reference, an out-of-range score,
a null key, a future timestamp, an SQL or spreadsheet-formula payload. It writes
`_planted_faults.json` (source, file, row, fault) at the landing root, so that a test or a demo
can compare the quarantine with exactly what was planted.

A fault never spills over to another row: rows are picked among those whose key is unique in
their file, keys of referenced sources (customers, agents, contacts, bot sessions) are never
nulled, and the timestamp that decides a row's day is never moved.
"""

from __future__ import annotations

import datetime as dt
import json
import random
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from ccmetrics.contract import SOURCES_BY_NAME, Source

if TYPE_CHECKING:
    import pandas as pd

MANIFEST = "_planted_faults.json"
SQL_PAYLOAD = "'; drop table raw.contacts; --"
FORMULA_PAYLOAD = "=cmd|' /C calc'!A0"
GHOST = "ghost_"
FUTURE = dt.datetime(2099, 1, 1)
HOUR = dt.timedelta(hours=1)

Fault = Callable[["pd.DataFrame", int], None]


@dataclass(frozen=True)
class PlantedFault:
    source: str
    file: str
    """Relative to the landing root, as in `_source_file`."""
    row: int
    """1-based row in the file, as in `_source_row`."""
    fault: str


@dataclass
class FaultManifest:
    share: float
    seed: int
    faults: list[PlantedFault] = field(default_factory=list)

    def keys(self) -> set[tuple[str, str, int]]:
        return {(f.source, f.file, f.row) for f in self.faults}

    def write(self, landing: Path) -> Path:
        path = landing / MANIFEST
        payload = {
            "share": self.share,
            "seed": self.seed,
            "faults": [asdict(f) for f in self.faults],
        }
        path.write_text(json.dumps(payload, indent=1) + "\n")
        return path

    @classmethod
    def read(cls, landing: Path) -> FaultManifest:
        payload = json.loads((landing / MANIFEST).read_text())
        return cls(
            payload["share"], payload["seed"], [PlantedFault(**item) for item in payload["faults"]]
        )


def _set(column: str, value: object) -> Fault:
    def fault(frame: pd.DataFrame, position: int) -> None:
        text = _is_text(frame[column]) and value is not None
        frame.iloc[position, frame.columns.get_loc(column)] = str(value) if text else value

    return fault


def _is_text(series: pd.Series) -> bool:
    return series.dtype == object or str(series.dtype) in ("str", "string")


def _before(start: str, end: str) -> Fault:
    """`end` an hour before `start`."""

    def fault(frame: pd.DataFrame, position: int) -> None:
        import pandas as pd

        started = pd.Timestamp(frame.iloc[position][start])
        frame.iloc[position, frame.columns.get_loc(end)] = _like(frame[end], started - HOUR)

    return fault


def _ghost(column: str, clear: str | None = None) -> Fault:
    """An id that exists nowhere (optionally clearing the exclusive partner column)."""

    def fault(frame: pd.DataFrame, position: int) -> None:
        frame.iloc[position, frame.columns.get_loc(column)] = f"{GHOST}{position}"
        if clear is not None:
            frame.iloc[position, frame.columns.get_loc(clear)] = None

    return fault


def _like(series: pd.Series, value: dt.datetime) -> object:
    """A timestamp in the representation the column already uses (text in CSV)."""
    if _is_text(series):
        return value.strftime("%Y-%m-%d %H:%M:%S")
    return value


def _future(column: str) -> Fault:
    def fault(frame: pd.DataFrame, position: int) -> None:
        frame.iloc[position, frame.columns.get_loc(column)] = _like(frame[column], FUTURE)

    return fault


FAULTS: dict[str, dict[str, Fault]] = {
    "customers": {
        "unknown_segment": _set("segment", "vip_galaxy"),
        "churned_before_created": _before("created_at", "churned_at"),
        "malformed_email": _set("email", "not-an-email"),
    },
    "agents": {
        "negative_hourly_cost": _set("hourly_cost", -25.0),
        "formula_team": _set("team_id", FORMULA_PAYLOAD),
    },
    "contacts": {
        "unknown_channel": _set("channel", "fax"),
        "negative_talk_seconds": _set("talk_seconds", -30.0),
        "absurd_hold_seconds": _set("hold_seconds", 9.9e8),
        "end_before_start": _before("started_at", "ended_at"),
        "orphan_customer": _ghost("customer_id"),
        "sql_injection_reason": _set("contact_reason", SQL_PAYLOAD),
        "future_end": _future("ended_at"),
    },
    "bot_sessions": {
        "unknown_outcome": _set("outcome", "teleported"),
        "end_before_start": _before("started_at", "ended_at"),
        "orphan_customer": _ghost("customer_id"),
        "negative_turns": _set("turns", -3),
    },
    "surveys": {
        "csat_9": _set("csat_score", 9),
        "nps_11": _set("nps_score", 11),
        "null_key": _set("survey_id", None),
        "orphan_contact": _ghost("contact_id", clear="bot_session_id"),
    },
    "agent_states": {
        "unknown_state": _set("state", "napping"),
        "end_before_start": _before("started_at", "ended_at"),
        "null_key": _set("state_interval_id", None),
        "orphan_agent": _ghost("agent_id"),
    },
    "schedules": {
        "unknown_activity": _set("activity", "karaoke"),
        "end_before_start": _before("starts_at", "ends_at"),
        "null_key": _set("schedule_id", None),
    },
    "qa_evaluations": {
        "score_250": _set("score", 250.0),
        "negative_fatal_errors": _set("fatal_errors", -1),
        "null_key": _set("evaluation_id", None),
    },
    "kb_events": {
        "unknown_actor": _set("actor_type", "ghost"),
        "null_key": _set("kb_event_id", None),
        "formula_article": _set("article_id", FORMULA_PAYLOAD),
    },
    "ai_recommendations": {
        "negative_revenue": _set("revenue", -50.0),
        "orphan_customer": _ghost("customer_id"),
        "null_key": _set("recommendation_id", None),
    },
    "cost_lines": {
        "unknown_category": _set("category", "yacht"),
        "negative_amount": _set("amount", -100.0),
        "null_key": _set("cost_line_id", None),
    },
}


def _read(path: Path) -> tuple[pd.DataFrame, object]:
    import pandas as pd
    import pyarrow.parquet as pq

    if path.suffix == ".csv":
        return pd.read_csv(path, dtype=str, keep_default_na=False).replace({"": None}), None
    table = pq.read_table(path)
    return table.to_pandas(), table.schema


def _write(path: Path, frame: pd.DataFrame, schema: object) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
        return
    # A bad feed can deliver a null where the writer declared none: relax the declaration.
    relaxed = pa.schema([f.with_nullable(True) for f in schema])  # type: ignore[attr-defined]
    pq.write_table(pa.Table.from_pandas(frame, schema=relaxed, preserve_index=False), path)


def _candidates(frame: pd.DataFrame, source: Source) -> list[int]:
    """Positions whose batch key is unique in the file: a fault there cannot hit another row."""
    key = [source.key] if source.version_column is None else [source.key, source.version_column]
    unique = ~frame.duplicated(subset=key, keep=False) & frame[source.key].notna()
    return [int(p) for p in range(len(frame)) if unique.iloc[p]]


def plant_bad_rows(landing_dir: Path, share: float, seed: int) -> FaultManifest:
    """Corrupt `share` of the rows of every source under `landing_dir`; see the module doc."""
    if not 0 <= share <= 1:
        raise ValueError(f"share must be between 0 and 1, got {share}")
    rng = random.Random(seed)
    manifest = FaultManifest(share, seed)
    for name, faults in FAULTS.items():
        folder = landing_dir / name
        if not folder.is_dir():
            continue
        source = SOURCES_BY_NAME[name]
        files = sorted(p for p in folder.iterdir() if p.suffix in (".csv", ".parquet"))
        loaded = {path: _read(path) for path in files}
        pool = [
            (path, pos) for path, (frame, _) in loaded.items() for pos in _candidates(frame, source)
        ]
        total = sum(len(frame) for frame, _ in loaded.values())
        wanted = min(round(share * total), len(pool))
        chosen = sorted(rng.sample(pool, wanted))
        names = sorted(faults)
        rng.shuffle(names)
        touched: set[Path] = set()
        for index, (path, position) in enumerate(chosen):
            fault = names[index % len(names)]
            faults[fault](loaded[path][0], position)
            touched.add(path)
            relative = path.relative_to(landing_dir).as_posix()
            manifest.faults.append(PlantedFault(name, relative, position + 1, fault))
        for path in touched:
            _write(path, *loaded[path])
    manifest.write(landing_dir)
    return manifest
