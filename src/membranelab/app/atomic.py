"""Atomic file writes: a temporary file in the same directory, fsync, ``os.replace``, fsync dir.

A reader sees either the old file or the whole new one, never a half-written one, even if the
process is killed or the machine loses power between the calls.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

__all__ = ["append_durably", "atomic_write_bytes", "atomic_write_text", "fsync_directory"]


def fsync_directory(directory: Path) -> None:
    """Flush a directory entry (the rename) to disk; a no-op where directories cannot be opened."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes) -> Path:
    """Replace ``path`` by ``data`` atomically (temp file + fsync + os.replace + fsync of the dir)."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp_name)
        raise
    fsync_directory(directory)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> Path:
    """Replace ``path`` by ``text`` atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode(encoding))


def append_durably(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Append ``text`` to ``path`` and fsync before returning (a journal's unit of durability)."""
    with open(path, "ab") as handle:
        handle.write(text.encode(encoding))
        handle.flush()
        os.fsync(handle.fileno())
