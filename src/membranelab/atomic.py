"""The one way membranelab writes files: atomically, only over regular files, honouring the umask.

A leaf module (it imports nothing else of membranelab), so every layer writes through it: the
command line and the browser's files, the course's notebooks, the bank's figures.

:func:`atomic_write_bytes` writes a temporary file beside the target, fsyncs it, renames it over
the target and fsyncs the directory: a reader sees either the old file or the whole new one,
even if the process is killed or the machine loses power between the calls.  Around that:

* the target must be a regular file, a symlink to one, or not exist yet; a directory, FIFO,
  device or socket is refused with :class:`NotRegularFileError` (run as root, ``-o /dev/null``
  used to replace the machine's /dev/null by a plain file);
* a symlink is written through: its target gets the new content, the link stays a link;
* the new file keeps the existing file's permission bits; a new file gets ``0o666`` minus the
  umask, as ``open()`` would give it (the kernel applies the umask when the file is created).

:func:`append_durably` appends and fsyncs, with the same refusal of what is not a regular file
(opening a FIFO for writing would block until someone reads it).

``private=True`` writes a file only its owner may read or write (``0o600``: tokens, secrets).

:func:`read_regular_bytes` / :func:`read_regular_text` read a file that must be a regular file
of bounded size: ``/dev/zero`` or a FIFO named as an input is refused at once (never read to the
end of memory, never waited on), and so is a file larger than the caller's bound.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import stat
from pathlib import Path

__all__ = [
    "FileTooLargeError",
    "NotRegularFileError",
    "append_durably",
    "atomic_write_bytes",
    "atomic_write_text",
    "check_writable_target",
    "create_exclusive_bytes",
    "fsync_directory",
    "read_regular_bytes",
    "read_regular_text",
]


#: Permission bits of a new file before the umask (what ``open(path, "w")`` uses).
NEW_FILE_MODE = 0o666

NOT_REGULAR = "is {kind}, not a regular file; refusing to {action} it"
TOO_LARGE = "is larger than {limit:,} bytes; refusing to read it"
#: Permission bits of a private file (owner only).
PRIVATE_FILE_MODE = 0o600
EMPTY_PATH = "no file name given (an empty path)"

_KINDS = (
    (stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"), (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class NotRegularFileError(OSError):
    """The target of a write exists and is not a regular file (or a symlink to one)."""

    def __init__(self, path: str | os.PathLike[str], kind: str, action: str = "replace") -> None:
        super().__init__(errno.EINVAL, NOT_REGULAR.format(kind=kind, action=action),
                         os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


class FileTooLargeError(OSError):
    """A file to read is larger than the caller's bound."""

    def __init__(self, path: str | os.PathLike[str], limit: int) -> None:
        super().__init__(errno.EFBIG, TOO_LARGE.format(limit=limit), os.fspath(path))

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


def read_regular_bytes(path: str | os.PathLike[str], max_bytes: int) -> bytes:
    """The content of ``path`` (a regular file, or a symlink to one, of at most ``max_bytes``).

    Raises :class:`NotRegularFileError` for a directory, FIFO, device or socket (opened without
    blocking, never read), :class:`FileTooLargeError` past ``max_bytes``, ``OSError`` else.
    """
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except IsADirectoryError:
        raise NotRegularFileError(path, "a directory", "read") from None
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(path, _kind(info.st_mode), "read")
        if info.st_size > max_bytes:
            raise FileTooLargeError(path, max_bytes)
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:  # grew while being read
                raise FileTooLargeError(path, max_bytes)
    finally:
        os.close(fd)


def read_regular_text(path: str | os.PathLike[str], max_bytes: int, *,
                      encoding: str = "utf-8") -> str:
    """:func:`read_regular_bytes` decoded (``UnicodeDecodeError`` when it is not text)."""
    return read_regular_bytes(path, max_bytes).decode(encoding)


def _kind(mode: int) -> str:
    for test, name in _KINDS:
        if test(mode):
            return name
    return "not a regular file"


def check_writable_target(path: str | os.PathLike[str]) -> Path:
    """The file a write to ``path`` must replace: ``path`` itself, or the file a symlink (chain)
    points to.  Raises :class:`NotRegularFileError` for a directory, FIFO, device or socket and
    ``FileNotFoundError`` for an empty path."""
    if not os.fspath(path):
        raise FileNotFoundError(errno.ENOENT, EMPTY_PATH, "")
    target = Path(os.path.realpath(path)) if os.path.islink(path) else Path(path)
    try:
        info = os.stat(target)
    except FileNotFoundError:
        return target
    if not stat.S_ISREG(info.st_mode):
        raise NotRegularFileError(path, _kind(info.st_mode))
    return target


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


def _create_temporary(directory: Path, name: str, mode: int = NEW_FILE_MODE) -> tuple[int, Path]:
    """A new empty file beside the target, created with ``mode`` (the umask applies)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    for _ in range(100):
        candidate = directory / f".{name}.{secrets.token_hex(6)}.tmp"
        try:
            return os.open(candidate, flags, mode), candidate
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary file name", str(directory))


def atomic_write_bytes(path: str | os.PathLike[str], data: bytes, *,
                       private: bool = False) -> Path:
    """Replace the file at ``path`` (or behind the symlink at ``path``) by ``data`` atomically
    (``private``: readable and writable by its owner only, from its creation on).

    Returns the path written.  Raises :class:`NotRegularFileError` when ``path`` is a directory,
    FIFO, device or socket, and ``OSError`` when the directory cannot be written.
    """
    target = check_writable_target(path)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    try:
        mode: int | None = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = None
    if private:
        mode = PRIVATE_FILE_MODE
    fd, temporary = _create_temporary(directory, target.name,
                                      PRIVATE_FILE_MODE if private else NEW_FILE_MODE)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            if mode is not None:
                os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    fsync_directory(directory)
    return Path(path)


def create_exclusive_bytes(path: str | os.PathLike[str], data: bytes, *, mode: int = 0o600
                           ) -> Path:
    """Create the file ``path`` holding ``data``, atomically and only if it does not exist.

    The data is written and fsynced to a temporary file (created with ``mode``, minus the
    umask) which is then hard-linked as ``path``: a reader sees no file or the whole file, and
    of two processes creating it at once one wins and the other gets ``FileExistsError``.
    """
    target = Path(path)
    if not str(path):
        raise ValueError(EMPTY_PATH)
    directory = target.parent if str(target.parent) else Path(".")
    directory.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    temporary = directory / f".{target.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temporary, flags, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.link(temporary, target)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
    fsync_directory(directory)
    return target


def atomic_write_text(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8",
                      private: bool = False) -> Path:
    """Replace ``path`` by ``text`` atomically (see :func:`atomic_write_bytes`)."""
    return atomic_write_bytes(path, text.encode(encoding), private=private)


def append_durably(path: str | os.PathLike[str], text: str, *, encoding: str = "utf-8") -> None:
    """Append ``text`` to ``path`` and fsync before returning (a journal's unit of durability).

    A FIFO, device or directory at ``path`` raises :class:`NotRegularFileError` (never blocks).
    """
    if not os.fspath(path):
        raise FileNotFoundError(errno.ENOENT, EMPTY_PATH, "")
    flags = (os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NONBLOCK
             | getattr(os, "O_CLOEXEC", 0))
    try:
        fd = os.open(path, flags, NEW_FILE_MODE)
    except OSError as error:
        if error.errno in (errno.ENXIO, errno.EISDIR):  # a FIFO without reader, a directory
            kind = "a directory" if error.errno == errno.EISDIR else "a FIFO (named pipe)"
            raise NotRegularFileError(path, kind) from None
        raise
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFileError(path, _kind(info.st_mode))
        data = text.encode(encoding)
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    finally:
        os.close(fd)
