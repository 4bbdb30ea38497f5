"""The seed of a formula's sample points: one no student can know, the same for every grader.

Points drawn from a public seed can be dodged (a bump written with ``abs()`` in a gap between
them is "right" though wrong over much of the domain).  So the points of each reference are
drawn from :func:`formula_seed`: a hash of a secret and the reference.  The secret is the
course's when the caller gives one (every grader of the course then agrees), otherwise this
installation's: 32 random bytes in ``grading-seed`` in the user data directory
(``$MEMBRANELAB_DATA_DIR``, else ``platformdirs.user_data_dir("membranelab")``), created once,
atomically, readable by its owner only (mode 0600).  Every worker process and every regrade on
the installation reads the same file, so they give the same verdict.

The grading service of a graded course grades inside :func:`sampling_secret` with a key derived
from the course secret, so every grader holding the secret draws the same points, and no one
without it can know them (:func:`membranelab.service.secret.sampling_key`).
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import lru_cache
from pathlib import Path

from membranelab.atomic import create_exclusive_bytes

__all__ = ["DATA_DIR_ENV", "SEED_FILE", "formula_seed", "install_secret", "sampling_secret",
           "seed_path"]

#: Environment variable naming the user data directory (as the application's progress store).
DATA_DIR_ENV = "MEMBRANELAB_DATA_DIR"
#: File name of the installation's secret in the data directory.
SEED_FILE = "grading-seed"
_SECRET_BYTES = 32
log = logging.getLogger(__name__)
#: The secret of the grading under way (:func:`sampling_secret`); None: this installation's.
_SAMPLING: ContextVar[bytes | None] = ContextVar("membranelab_sampling_secret", default=None)


def seed_path() -> Path:
    """Where this installation's secret is kept."""
    return _seed_path_for(os.environ.get(DATA_DIR_ENV) or "")


@lru_cache(maxsize=8)
def _seed_path_for(override: str) -> Path:
    """The seed file's path for a value of ``$MEMBRANELAB_DATA_DIR`` ("": unset); a path is
    built once per value, not once per formula graded."""
    if override:
        return Path(override) / SEED_FILE
    return _platform_dir() / SEED_FILE


@lru_cache(maxsize=1)
def _platform_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("membranelab", appauthor=False))


@lru_cache(maxsize=8)
def _read_or_create(path: Path) -> bytes:
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        data = b""
    if len(data) >= _SECRET_BYTES:
        return data[:_SECRET_BYTES]
    fresh = secrets.token_bytes(_SECRET_BYTES)
    try:
        create_exclusive_bytes(path, fresh, mode=0o600)
        return fresh
    except FileExistsError:  # another process made it first: use theirs
        data = path.read_bytes()
        if len(data) >= _SECRET_BYTES:
            return data[:_SECRET_BYTES]
        raise ValueError(f"{path}: the grading seed is damaged; delete it") from None


def install_secret() -> bytes:
    """This installation's secret (created on first use).  Without a writable data directory
    the secret lives for this process only, and the log says so once: the file is not tried
    again by this process (a secret that changed mid-run would change the points formulas are
    sampled at)."""
    path = seed_path()
    if path in _NO_FILE:
        return _process_secret()
    try:
        return _read_or_create(path)
    except (OSError, ValueError) as exc:
        _NO_FILE.add(path)
        log.warning("no grading seed file (%s); using one for this process only", exc)
        return _process_secret()


#: Seed files this process could not read or create (it uses its own secret instead).
_NO_FILE: set[Path] = set()


@lru_cache(maxsize=1)
def _process_secret() -> bytes:
    return secrets.token_bytes(_SECRET_BYTES)


@contextmanager
def sampling_secret(secret: bytes | None) -> Iterator[None]:
    """Within this block (this thread or task), formulas are sampled with ``secret`` where the
    caller of :func:`formula_seed` gives none (None: this installation's secret)."""
    token = _SAMPLING.set(secret)
    try:
        yield
    finally:
        _SAMPLING.reset(token)


def formula_seed(reference: str, symbols: tuple[str, ...], secret: bytes | None = None) -> int:
    """The sampling seed of one reference formula: the secret (``secret``, else the one of the
    enclosing :func:`sampling_secret`, else this installation's) hashed with the reference and
    its symbols; a 64-bit integer."""
    key = secret if secret is not None else _SAMPLING.get()
    return _seed(reference, symbols, key if key is not None else install_secret())


@lru_cache(maxsize=1024)
def _seed(reference: str, symbols: tuple[str, ...], key: bytes) -> int:
    digest = hashlib.sha256(key + b"\0" + reference.encode() + b"\0"
                            + ",".join(symbols).encode()).digest()
    return int.from_bytes(digest[:8], "big")
