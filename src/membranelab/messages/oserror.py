"""An operating system's error in the user's language.

Python's ``OSError.strerror`` is the C library's English ("No such file or directory").  A
message that names why a file could not be read or written passes :func:`os_reason` as its
parameter instead: for the common ``errno`` codes a catalog entry (``os.<code>``, rendered in the
message's language, see :mod:`.catalog`; the English is the C library's own text, so an
English message reads as before), else the system's own text.
"""

from __future__ import annotations

import errno
from typing import Any

__all__ = ["OS_REASONS", "os_reason"]

#: errno code -> catalog key of its sentence.
OS_REASONS = {
    errno.ENOENT: "os.enoent",
    errno.EACCES: "os.eacces",
    errno.EPERM: "os.eacces",
    errno.EISDIR: "os.eisdir",
    errno.ENOTDIR: "os.enotdir",
    errno.EEXIST: "os.eexist",
    errno.ENOSPC: "os.enospc",
    errno.EROFS: "os.erofs",
}


def os_reason(exc: BaseException) -> Any:
    """Why ``exc`` happened, as a message parameter: ``{"msg": key}`` for a known ``errno``,
    else the exception's own text (``strerror``, or ``str(exc)``)."""
    key = OS_REASONS.get(getattr(exc, "errno", None) or -1)
    if key is not None:
        return {"msg": key}
    return getattr(exc, "strerror", None) or str(exc)
