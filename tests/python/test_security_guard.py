"""Security of what the guard writes: Data Docs run no script and show no PII, files holding raw
PII are readable by their owner only, and text columns are bounded (issue 9)."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb
import pandas as pd
import pytest
from corpus.runtime import shared_gx_runtime
from corpus.valid_day import DAY, valid_day, write_day

from ccmetrics.guard.gx_runtime import GxRuntime
from ccmetrics.guard.quarantine import export_quarantine
from ccmetrics.loader import RAW, Reconciliation, check, connect, load
from ccmetrics.private_files import PII_FILE_MODE_ENV, pii_file_mode
from ccmetrics.report.browser import find_chromium, page_session

PAYLOAD = "<img src=x onerror=document.title=1337>"
PLANTED_PHONE = "+1 555 0142 ext 7"
PLANTED_EMAIL = "jane.doe.at.example.com"
ESCAPED = "&lt;img src=x onerror=document.title=1337&gt;"
LONG_REASON = "a" * 5_000_000
LONG_PHONE = "1" * 1_000_000


@pytest.fixture(scope="module")
def gx() -> GxRuntime:
    return shared_gx_runtime()


def _planted_landing(root: Path) -> Path:
    """One contacts day: the script payload in a reason and in a phone number, a malformed
    phone number and e-mail address, a 5 MB reason and a 1,000,000-digit phone number."""
    contacts = valid_day(DAY)["contacts"]
    extra = contacts.iloc[[0, 0]].copy()
    extra["contact_id"] = ["k_long_reason", "k_long_phone"]
    contacts = pd.concat([contacts, extra], ignore_index=True)
    contacts.loc[0, "contact_reason"] = PAYLOAD
    contacts.loc[1, "customer_phone"] = PAYLOAD
    contacts.loc[2, "customer_phone"] = PLANTED_PHONE
    contacts.loc[3, "customer_email"] = PLANTED_EMAIL
    contacts.loc[4, "contact_reason"] = LONG_REASON
    contacts.loc[5, "customer_phone"] = LONG_PHONE
    write_day(root / "landing", {"contacts": contacts}, DAY, fmt="parquet")
    return root / "landing"


@contextlib.contextmanager
def _umask(mask: int) -> Iterator[None]:
    previous = os.umask(mask)
    try:
        yield
    finally:
        os.umask(previous)


@pytest.fixture(scope="module")
def planted(
    tmp_path_factory: pytest.TempPathFactory, gx: GxRuntime
) -> tuple[Path, Path, list[Reconciliation], dict[str, int]]:
    """The planted day loaded under a permissive umask; the WAL's mode is read mid-run."""
    root = tmp_path_factory.mktemp("planted")
    landing = _planted_landing(root)
    db = root / "wh.duckdb"
    wal_modes: dict[str, int] = {}

    def progress(rec: Reconciliation) -> None:
        wal = db.with_name(db.name + ".wal")
        if wal.exists():
            wal_modes[rec.source_file] = stat.S_IMODE(wal.stat().st_mode)

    with _umask(0o022):
        report = load(landing, db=db, docs_dir=root / "docs", runtime=gx, progress=progress)
    assert report.docs_index == (root / "docs").resolve() / "index.html"
    return db, root / "docs", report.batches, wal_modes


def _pages(docs: Path) -> list[Path]:
    return sorted(docs.rglob("*.html"))


def _rows_page(docs: Path) -> Path:
    """The page of the planted contacts' rows validation (a shared runtime may also render
    validations other tests ran directly, without building docs)."""
    (page,) = [
        p
        for p in sorted((docs / "validations" / "contacts" / "rows").rglob("*.html"))
        if "onerror=document.title=1337" in p.read_text(encoding="utf-8")
    ]
    return page


def test_overlong_values_are_quarantined_with_column_length_and_limit(
    planted: tuple[Path, Path, list[Reconciliation], dict[str, int]],
) -> None:
    db, _, batches, _ = planted
    (batch,) = batches
    assert (batch.rows_read, batch.rows_loaded, batch.rows_quarantined) == (6, 0, 6)
    con = duckdb.connect(str(db), read_only=True)
    try:
        reasons = dict(
            con.execute(
                f"select key_value, reasons from {RAW}._quarantine where key_value like 'k_long%'"
            ).fetchall()
        )
    finally:
        con.close()
    assert json.loads(reasons["k_long_reason"]) == [
        "max_length: contact_reason is 5,000,000 characters long; the limit is 256 "
        "(value not shown)"
    ]
    assert json.loads(reasons["k_long_phone"]) == [
        "max_length: customer_phone is 1,000,000 characters long; the limit is 32 (value not shown)"
    ]


def test_data_docs_show_no_pii_and_no_megabyte_value(
    planted: tuple[Path, Path, list[Reconciliation], dict[str, int]],
) -> None:
    _, docs, _, _ = planted
    pages = _pages(docs)
    assert len(pages) >= 4  # index, two validation pages, suite pages
    for page in pages:
        text = page.read_text(encoding="utf-8")
        assert "0142" not in text, page
        assert "jane.doe" not in text, page
        assert "1" * 100 not in text, page
        assert "a" * 100 not in text, page
        assert "<img src=x" not in text, page
    # The reason is not personal data: it is shown, escaped and cut to 60 characters.
    rows = _rows_page(docs).read_text(encoding="utf-8")
    assert ESCAPED in rows
    assert "a" * 60 + "..." in rows
    assert _rows_page(docs).stat().st_size < 1_000_000


def _open_in_chromium(page: Path, executable: str) -> dict[str, object]:
    """What the page did when opened: its title, its img elements, its visible text."""
    with page_session(executable) as (pipe, session):
        pipe.send("Runtime.enable", session=session)
        # The pages link CSS and scripts on CDNs: offline, waiting for them only costs time.
        pipe.send("Network.enable", session=session)
        pipe.send("Network.setBlockedURLs", {"urls": ["http://*", "https://*"]}, session)
        pipe.send("Page.navigate", {"url": page.resolve().as_uri()}, session)
        deadline = time.monotonic() + 30
        while pipe.evaluate("document.readyState", session) != "complete":
            assert time.monotonic() < deadline, "the page did not load"
            time.sleep(0.1)
        # A failing <img src=x> fires its onerror right after the load; give it time.
        time.sleep(0.5)
        return {
            "title": pipe.evaluate("document.title", session),
            "handlers": pipe.evaluate(
                "document.querySelectorAll('[onerror], img[src=\"x\"]').length", session
            ),
            "text": pipe.evaluate("document.body.innerText", session),
        }


CHROMIUM = find_chromium()


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (apt-get install chromium)")
def test_data_docs_run_no_planted_script_in_a_browser(
    planted: tuple[Path, Path, list[Reconciliation], dict[str, int]],
) -> None:
    _, docs, _, _ = planted
    assert CHROMIUM is not None
    seen = _open_in_chromium(_rows_page(docs), CHROMIUM)
    assert seen["title"] != "1337"
    assert seen["handlers"] == 0
    # Shown as text, exactly as delivered: escaped, not dropped.
    assert PAYLOAD in str(seen["text"])


def test_check_writes_the_same_safe_docs(tmp_path: Path, gx: GxRuntime) -> None:
    landing = _planted_landing(tmp_path)
    report = check([landing], db=tmp_path / "absent.duckdb", docs_dir=tmp_path / "docs", runtime=gx)
    assert report.docs_index is not None and report.docs_index.exists()
    rows = _rows_page(tmp_path / "docs").read_text(encoding="utf-8")
    assert "<img src=x" not in rows and "0142" not in rows and "jane.doe" not in rows
    assert ESCAPED in rows
    assert not (tmp_path / "absent.duckdb").exists()


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_warehouse_wal_and_docs_are_owner_only_under_a_permissive_umask(
    planted: tuple[Path, Path, list[Reconciliation], dict[str, int]],
) -> None:
    db, docs, _, wal_modes = planted
    assert _mode(db) == 0o600
    assert wal_modes == {f"contacts/{DAY.isoformat()}.parquet": 0o600}
    assert _mode(docs) == 0o700
    for path in docs.rglob("*"):
        assert _mode(path) == (0o700 if path.is_dir() else 0o600), path


def test_quarantine_export_is_owner_only_even_over_an_existing_file(
    planted: tuple[Path, Path, list[Reconciliation], dict[str, int]],
    tmp_path: Path,
) -> None:
    from ccmetrics.contract import source

    db, _, _, _ = planted
    out = tmp_path / "fix" / "contacts.csv"
    out.parent.mkdir()
    out.write_text("old")
    out.chmod(0o644)
    con = connect(db, read_only=True)
    try:
        with _umask(0o022):
            assert export_quarantine(con, source("contacts"), out) == 6
    finally:
        con.close()
    assert _mode(out) == 0o600
    assert PLANTED_PHONE in out.read_text(encoding="utf-8")


def test_an_existing_world_readable_warehouse_is_made_owner_only(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    duckdb.connect(str(db)).close()
    db.chmod(0o644)
    connect(db).close()
    assert _mode(db) == 0o600


def test_group_read_is_an_explicit_choice(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PII_FILE_MODE_ENV, "640")
    with _umask(0o022):
        connect(tmp_path / "team" / "wh.duckdb").close()
    assert _mode(tmp_path / "team" / "wh.duckdb") == 0o640
    assert _mode(tmp_path / "team") == 0o750
    for refused in ("644", "0666", "rw", "400"):
        monkeypatch.setenv(PII_FILE_MODE_ENV, refused)
        with pytest.raises(ValueError, match=PII_FILE_MODE_ENV):
            pii_file_mode()
