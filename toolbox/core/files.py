"""Files that hold personal data or secrets are owner-only (0700 folders, 0600 files),
whatever the process umask says: created with that mode and chmod-ed, since the mode
given to open()/mkdir() is still masked by the umask."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> Path:
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)
    return path


def private_file(path: Path) -> Path:
    """Create `path` (empty) if missing; either way make it owner-only."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
    return path


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to a new owner-only file at `path` (atomically, via a .tmp sibling)."""
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
        os.write(fd, data)
    finally:
        os.close(fd)
    tmp.replace(path)


def sqlite_path(url: str) -> Path | None:
    """The file behind a SQLite URL (sqlite:///…, sqla+sqlite:///…), or None."""
    try:
        parsed = make_url(url.removeprefix("sqla+"))
    except Exception:  # noqa: BLE001 – not an SQLAlchemy URL (e.g. redis://): not a file
        return None
    if not parsed.drivername.startswith("sqlite") or not parsed.database:
        return None
    if parsed.database == ":memory:" or parsed.database.startswith("file:"):
        return None
    return Path(parsed.database)


def private_sqlite_files(*urls: str) -> None:
    """SQLite files owner-only: existing ones are made so; new ones are created under an
    owner-only umask (set here for the whole process: it holds health data), which SQLite
    also applies to its -wal and -shm files. Missing files are not created here, so a
    command can still tell a missing database from an empty one (ops/cli_database.py)."""
    os.umask(os.umask(0) | 0o077)
    for url in urls:
        path = sqlite_path(url or "")
        if path is not None and path.exists():
            private_file(path)
