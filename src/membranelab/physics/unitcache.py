"""pint's parsed unit definitions, kept between runs: the registry in 0.05 s instead of 0.3 s.

Every command, every grading worker and every server worker builds the one pint registry
(:func:`membranelab.physics.units.ureg`).  pint can keep what it parsed of its definition files in
a cache folder (``UnitRegistry(cache_folder=...)``, through flexcache), which it reads back with
:mod:`pickle`.  A pickle runs code when read, so the folder must be this user's alone; and
flexcache writes its files in place, so a reader racing a writer could read half a file.  Hence:

* the folder is ``$MEMBRANELAB_CACHE_DIR/pint-<pint version>``, else the user's cache directory
  (``platformdirs.user_cache_dir("membranelab")``); ``MEMBRANELAB_CACHE_DIR=off`` turns it off;
* it is used only if it is a real directory (not a symlink), owned by this user, and neither
  group- nor world-writable; otherwise pint parses its files as without a cache;
* it is filled once, whole: a private temporary folder beside it is filled by a registry built
  with it, then renamed into place (a rename is atomic; the loser of a race throws its copy away);
* a registry that fails to build from the folder (a damaged or foreign file) is built again
  without it, and the failure is recorded as an incident.
"""

from __future__ import annotations

import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from membranelab.incident import record_incident

__all__ = ["CACHE_ENV", "cache_folder", "registry"]

log = logging.getLogger(__name__)

#: Where membranelab keeps caches (``off``: keep none).
CACHE_ENV = "MEMBRANELAB_CACHE_DIR"


def cache_folder(version: str) -> Path | None:
    """The folder pint's cache of version ``version`` belongs in (None: cache turned off)."""
    root = os.environ.get(CACHE_ENV)
    if root is not None and root.strip().lower() in ("off", "0", "no", "none", ""):
        return None
    if root is None:
        try:
            from platformdirs import user_cache_dir
        except ImportError:  # a dependency, but the cache is only a speed-up
            return None
        root = user_cache_dir("membranelab")
    return Path(root) / f"pint-{version}"


def _private(path: Path) -> bool:
    """Whether ``path`` is a directory of this user's alone (not a symlink)."""
    try:
        info = path.lstat()
    except OSError:
        return False
    return (stat.S_ISDIR(info.st_mode) and info.st_uid == os.getuid()
            and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def _fill(folder: Path, build: Callable[[Path | None], Any]) -> Any:
    """A registry built while filling a private temporary folder renamed to ``folder``."""
    try:
        folder.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".pint-", dir=folder.parent))  # mode 0700
    except OSError as exc:
        log.info("pint's cache is not kept in %s: %s", folder.parent, exc)
        return build(None)
    try:
        registry = build(scratch)
        try:
            os.rename(scratch, folder)
        except OSError:  # another process filled it first (or cannot rename): keep theirs
            pass
        return registry
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def registry(version: str, build: Callable[[Path | None], Any]) -> Any:
    """``build(folder)``: the registry, with pint's cache in ``folder`` where that is safe, else
    ``build(None)`` (no cache)."""
    folder = cache_folder(version)
    if folder is None:
        return build(None)
    if not folder.exists() and not folder.is_symlink():
        return _fill(folder, build)
    if not _private(folder):
        log.warning("pint's cache %s is not this user's alone: not used", folder)
        return build(None)
    try:
        return build(folder)
    except Exception:  # noqa: BLE001 -- a damaged cache costs only the time to parse again
        record_incident(log, "pint's cache %s could not be read: parsed again without it",
                        folder)
        return build(None)
