"""Files that hold raw personal data are readable by their owner only, whatever the umask.

The working warehouse (its `raw` tables keep phone numbers and e-mail addresses as delivered),
its write-ahead log, quarantine exports (the rows as delivered) and the Great Expectations Data
Docs (sample values of failing rows) are created with mode 0600 (folders 0700). A team that
needs group read sets `CCMETRICS_PII_FILE_MODE=640` (or `660`); a mode that lets others read
is refused. The published file and the mart exports hold no raw PII and keep the usual modes.
"""

from __future__ import annotations

import contextlib
import functools
import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import ParamSpec, TextIO, TypeVar

PII_FILE_MODE_ENV = "CCMETRICS_PII_FILE_MODE"
DEFAULT_PII_FILE_MODE = 0o600
P = ParamSpec("P")
R = TypeVar("R")


def pii_file_mode() -> int:
    """The mode of files holding raw PII: 0600, or `CCMETRICS_PII_FILE_MODE` (octal)."""
    configured = os.environ.get(PII_FILE_MODE_ENV, "").strip()
    if not configured:
        return DEFAULT_PII_FILE_MODE
    try:
        mode = int(configured, 8)
    except ValueError:
        raise ValueError(
            f"{PII_FILE_MODE_ENV} must be an octal file mode such as 600 or 640, got {configured!r}"
        ) from None
    if mode & ~0o660 or not mode & stat.S_IRUSR or not mode & stat.S_IWUSR:
        raise ValueError(
            f"{PII_FILE_MODE_ENV} must give the owner read and write and nobody outside the "
            f"group any access (600, 640 or 660), got {configured!r}"
        )
    return mode


def _folder_mode(mode: int) -> int:
    """A folder's mode for a file mode: whoever may read a file may list the folder."""
    return mode | ((mode & 0o444) >> 2) | stat.S_IXUSR


def creating_private_files(function: Callable[P, R]) -> Callable[P, R]:
    """Run `function` inside `private_files()`."""

    @functools.wraps(function)
    def wrapper(*args: P.args, **kwargs: P.kwargs) -> R:
        with private_files():
            return function(*args, **kwargs)

    return wrapper


@contextmanager
def private_files() -> Iterator[int]:
    """Create files in the block with the PII mode (the process umask, restored after).

    The umask is what makes DuckDB's write-ahead log and GX's pages private from their first
    byte; a chmod afterwards would leave a window. Yields the file mode."""
    previous = os.umask(private_umask())
    try:
        yield pii_file_mode()
    finally:
        os.umask(previous)


def private_umask() -> int:
    """The umask that creates files with the PII mode (and folders their readers can list)."""
    return 0o777 & ~_folder_mode(pii_file_mode())


def restrict(path: Path) -> None:
    """Give an existing file (or folder) the PII mode, e.g. a warehouse created by an older
    version or by `dbt build`."""
    if not path.exists():
        return
    mode = pii_file_mode()
    wanted = _folder_mode(mode) if path.is_dir() else mode
    if stat.S_IMODE(path.stat().st_mode) == wanted:
        return
    # Another member of the group may own it (a shared 640/660 setup): only they can chmod.
    with contextlib.suppress(PermissionError):
        path.chmod(wanted)


def restrict_tree(root: Path) -> None:
    """`restrict` a folder and everything in it."""
    if not root.exists():
        return
    restrict(root)
    for path in root.rglob("*"):
        if not path.is_symlink():
            restrict(path)


def open_private(path: Path) -> TextIO:
    """Open `path` for writing with the PII mode, also when it already exists."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    descriptor = os.open(path, flags, pii_file_mode())
    os.fchmod(descriptor, pii_file_mode())
    return os.fdopen(descriptor, "w", newline="", encoding="utf-8")
