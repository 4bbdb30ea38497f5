"""The course secret of a graded course: the answer key stays with the teacher.

In a course marked ``mode: graded`` (``course/assignments.yaml``), every variant seed is keyed:
``seed = HMAC-SHA256(key, assignment \\x1f student \\x1f problem)`` with the student's key
``key = HMAC-SHA256(secret, "membranelab-variant" \\x1f assignment \\x1f student)``
(:func:`student_key`; :func:`membranelab.bank.variants.variant_seed`).  Without the secret,
the public package computes other numbers, so it cannot regenerate anyone's variant or answers.

Where the secret lives (never in ``source/``, ``release/``, a student's kernel, or git):

1. ``$MEMBRANELAB_COURSE_SECRET`` (64 hex digits), e.g. on the grading machine only; else
2. ``<course>/.membranelab-secret``, made by ``membranelab course secret`` (mode 0600; the
   repository's ``.gitignore`` lists it; nbgrader releases only ``source/<assignment>/``).

During ``nbgrader autograde`` the grading kernel receives only the submitting student's key
for that assignment (:class:`membranelab.nbgrader_ext.InjectStudentId`), never the secret: a
student's code that prints its environment learns its own numbers, which its feedback shows
anyway.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from pathlib import Path

__all__ = ["KEY_VAR", "SECRET_FILE", "SECRET_VAR", "SecretError", "find_secret", "kernel_key",
           "load_secret", "make_secret", "secret_path", "student_key"]

#: Environment variable holding the course secret (hex), which wins over the file.
SECRET_VAR = "MEMBRANELAB_COURSE_SECRET"
#: The secret's file name in the course folder.
SECRET_FILE = ".membranelab-secret"
#: Environment variable of a grading kernel: the submitting student's key (hex) for the
#: assignment being graded.
KEY_VAR = "MEMBRANELAB_VARIANT_KEY"
_BYTES = 32
_LABEL = "membranelab-variant"


class SecretError(ValueError):
    """The course secret is missing or malformed (the message says where it was looked for)."""


def _decode(text: str, where: str) -> bytes:
    try:
        value = bytes.fromhex(text.strip())
    except ValueError:
        raise SecretError(f"{where}: not a hexadecimal secret") from None
    if len(value) < 16:
        raise SecretError(f"{where}: the secret is too short ({len(value)} bytes; at least 16)")
    return value


def secret_path(course_dir: str | Path) -> Path:
    """Where ``membranelab course secret`` keeps the secret of the course in ``course_dir``."""
    return Path(course_dir) / SECRET_FILE


def load_secret(course_dir: str | Path) -> bytes:
    """The course secret: ``$MEMBRANELAB_COURSE_SECRET``, else ``<course>/.membranelab-secret``."""
    env = os.environ.get(SECRET_VAR, "").strip()
    if env:
        return _decode(env, f"${SECRET_VAR}")
    path = secret_path(course_dir)
    try:
        text = path.read_text(encoding="ascii")
    except FileNotFoundError:
        raise SecretError(f"no course secret: {path} does not exist and ${SECRET_VAR} is not "
                          "set; make one with `membranelab course secret`") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError(f"{path}: cannot read the course secret ({exc})") from None
    return _decode(text, str(path))


def make_secret(course_dir: str | Path) -> Path:
    """Create ``<course>/.membranelab-secret`` (mode 0600); refuse to replace an existing one,
    which would change every student's numbers."""
    path = secret_path(course_dir)
    value = secrets.token_hex(_BYTES) + "\n"
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise SecretError(f"{path} exists already; replacing it would change every student's "
                          "numbers (delete it yourself if that is what you want)") from None
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(value)
        handle.flush()
        os.fsync(handle.fileno())
    return path


def student_key(secret: bytes, assignment: str, student: str) -> bytes:
    """The key of one student's variants in one assignment (what a grading kernel receives)."""
    from membranelab.bank.variants import canonical_id

    message = "\x1f".join((_LABEL, canonical_id(assignment), canonical_id(student)))
    message = message.encode("utf-8")
    return hmac.new(secret, message, hashlib.sha256).digest()


def find_secret(start: str | Path | None = None, levels: int = 4) -> bytes | None:
    """The course secret as the teacher's own kernel finds it: ``$MEMBRANELAB_COURSE_SECRET``,
    else ``.membranelab-secret`` in ``start`` (default: the working directory) or one of its
    ``levels`` parents; None when there is none (a student's machine)."""
    env = os.environ.get(SECRET_VAR, "").strip()
    if env:
        return _decode(env, f"${SECRET_VAR}")
    here = Path(start) if start is not None else Path.cwd()
    for folder in [here, *list(here.resolve().parents)[:levels]]:
        path = folder / SECRET_FILE
        if path.is_file():
            return load_secret(folder)
    return None


def kernel_key(assignment: str, student: str) -> bytes | None:
    """The student's key in a notebook kernel: the one the autograder injected
    (``$MEMBRANELAB_VARIANT_KEY``), else derived from a secret the teacher's machine holds
    (:func:`find_secret`), else None."""
    injected = os.environ.get(KEY_VAR, "").strip()
    if injected:
        return _decode(injected, f"${KEY_VAR}")
    secret = find_secret()
    return student_key(secret, assignment, student) if secret is not None else None
