"""The course secret of a graded course: the answer key stays with the teacher, out of reach.

In a course marked ``mode: graded`` (``course/assignments.yaml``), every variant seed is keyed:
``seed = HMAC-SHA256(key, assignment \\x1f student \\x1f problem)`` with the student's key
``key = HMAC-SHA256(secret, "membranelab-variant" \\x1f assignment \\x1f student)``
(:func:`student_key`; :func:`membranelab.bank.variants.variant_seed`).  Without the secret,
the public package computes other numbers, so it cannot regenerate anyone's variant or answers.

Where the secret lives -- never in the course folder, a student's kernel, a feedback page or git:

1. ``$MEMBRANELAB_COURSE_SECRET`` (64 hex digits), which wins; else
2. ``<user config dir>/membranelab/courses/<course id>.secret`` (:func:`secret_path`; on Linux
   ``~/.config/membranelab/courses/``, or under ``$XDG_CONFIG_HOME``), made by
   ``membranelab course secret`` (mode 0600, created atomically, never replacing anything).  The
   course id is ``course.id`` in ``assignments.yaml``, else the course folder's name.

A file named ``.membranelab-secret`` anywhere under the course folder (where courses made before
kept it) is refused by every course command (:func:`refuse_stray`), naming the file and the one
command that moves it out (``membranelab course secret --move``, :func:`move_secret`): nbgrader
copies, releases and feeds back files of the course folder, and student code run there can read
them.  No student kernel ever receives the secret or a student key: a graded course is graded
by ``membranelab course grade``, which runs no student code.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
from pathlib import Path
from typing import Any

from membranelab.messages import gettext

__all__ = ["SECRET_FILE", "SECRET_VAR", "SecretError", "course_id", "find_secret", "load_secret",
           "make_secret", "move_secret", "refuse_stray", "sampling_key", "secret_path",
           "stray_secrets", "student_key"]

#: Environment variable holding the course secret (hex), which wins over the file.
SECRET_VAR = "MEMBRANELAB_COURSE_SECRET"
#: The name courses made before kept their secret under, in the course folder (now refused).
SECRET_FILE = ".membranelab-secret"
#: The application name of the user config directory (platformdirs).
APP_NAME = "membranelab"
_BYTES = 32
_LABEL = "membranelab-variant"


class SecretError(ValueError):
    """The course secret is missing, malformed, or where it must not be: a catalog ``key`` and
    its parameters (:meth:`text` in a language; ``str()`` is English)."""

    def __init__(self, key: str, **params: Any) -> None:
        self.key, self.params = key, params
        super().__init__(gettext(key, "en", **params))

    def text(self, lang: str = "en") -> str:
        """The message in ``lang``."""
        return gettext(self.key, lang, **self.params)


def _decode(text: str, where: str) -> bytes:
    try:
        value = bytes.fromhex(text.strip())
    except ValueError:
        raise SecretError("secret.not_hex", where=where) from None
    if len(value) < 16:
        raise SecretError("secret.too_short", where=where, n=len(value))
    return value


def course_id(course_dir: str | Path) -> str:
    """The course's id: ``course.id`` of its ``assignments.yaml``, else the folder's name."""
    from .assignments import AssignmentsError, load_settings

    folder = Path(course_dir).resolve()
    path = folder / "assignments.yaml"
    if path.is_file():
        try:
            settings = load_settings(path)
        except AssignmentsError:
            settings = None
        if settings is not None and settings.id:
            return settings.id
    return folder.name or "course"


def secret_path(course_dir: str | Path) -> Path:
    """Where ``membranelab course secret`` keeps this course's secret: the user's config
    directory, one file per course id, outside the course folder."""
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME)) / "courses" / f"{course_id(course_dir)}.secret"


def stray_secrets(course_dir: str | Path) -> list[Path]:
    """Every ``.membranelab-secret`` under the course folder (symlinked folders not followed)."""
    found = []
    for folder, dirs, files in os.walk(course_dir):
        dirs.sort()
        if SECRET_FILE in files or SECRET_FILE in dirs:
            found.append(Path(folder) / SECRET_FILE)
    return found


def refuse_stray(course_dir: str | Path, command: str) -> None:
    """SecretError naming the first secret file under the course folder, the command refused
    and the command that moves it out; nothing when there is none."""
    stray = stray_secrets(course_dir)
    if stray:
        raise SecretError("secret.in_course", path=str(stray[0]), command=command,
                          dir=str(course_dir))


def _read_file(path: Path) -> bytes:
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        raise
    if not stat.S_ISREG(info.st_mode):
        raise SecretError("secret.not_regular", path=str(path))
    try:
        text = path.read_text(encoding="ascii")
    except (OSError, UnicodeDecodeError) as exc:
        raise SecretError("secret.unreadable", path=str(path), reason=type(exc).__name__) from None
    return _decode(text, str(path))


def find_secret(course_dir: str | Path, command: str = "course") -> bytes | None:
    """The course secret: ``$MEMBRANELAB_COURSE_SECRET``, else this course's file in the user
    config directory; None when there is neither.  SecretError while a secret file sits in the
    course folder, or when the one found is malformed."""
    refuse_stray(course_dir, command)
    env = os.environ.get(SECRET_VAR, "").strip()
    if env:
        return _decode(env, f"${SECRET_VAR}")
    try:
        return _read_file(secret_path(course_dir))
    except FileNotFoundError:
        return None


def load_secret(course_dir: str | Path, command: str = "course") -> bytes:
    """The course secret (:func:`find_secret`); SecretError saying how to make one if none."""
    secret = find_secret(course_dir, command)
    if secret is None:
        raise SecretError("secret.missing", course=course_id(course_dir),
                          path=str(secret_path(course_dir)), var=SECRET_VAR, dir=str(course_dir))
    return secret


def _create(path: Path, text: str) -> None:
    """Create ``path`` holding ``text``, mode 0600, atomically (a whole file or none) and never
    over anything that exists (a hard link of a finished temporary file: EEXIST, whatever is
    there)."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temp = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temp, 0o600)
        try:
            os.link(temp, path)
        except FileExistsError:
            raise SecretError("secret.exists", path=str(path)) from None
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temp)
    from membranelab.atomic import fsync_directory

    fsync_directory(path.parent)


def make_secret(course_dir: str | Path) -> Path:
    """Create this course's secret in the user config directory (mode 0600); refuse to replace
    an existing one, which would change every student's numbers."""
    refuse_stray(course_dir, "course secret")
    path = secret_path(course_dir)
    if os.path.lexists(path):
        raise SecretError("secret.exists", path=str(path))
    _create(path, secrets.token_hex(_BYTES) + "\n")
    return path


def move_secret(course_dir: str | Path) -> tuple[list[Path], Path]:
    """Move a secret kept in the course folder (courses made before) to :func:`secret_path`:
    (the files removed, the new place).  Refused when they hold different secrets, or when the
    new place already holds another one."""
    stray = stray_secrets(course_dir)
    if not stray:
        raise SecretError("secret.nothing_to_move", name=SECRET_FILE, dir=str(course_dir))
    values = {path: _read_file(path) for path in stray}
    first = stray[0]
    for path, value in values.items():
        if value != values[first]:
            raise SecretError("secret.move_conflict", path=str(first), other=str(path))
    target = secret_path(course_dir)
    if os.path.lexists(target):
        if _read_file(target) != values[first]:
            raise SecretError("secret.move_conflict", path=str(first), other=str(target))
    else:
        _create(target, values[first].hex() + "\n")
    for path in stray:
        path.unlink()
    return stray, target


def student_key(secret: bytes, assignment: str, student: str) -> bytes:
    """The key of one student's variants in one assignment (only the grader computes it)."""
    from membranelab.bank.variants import canonical_id

    message = "\x1f".join((_LABEL, canonical_id(assignment), canonical_id(student)))
    return hmac.new(secret, message.encode("utf-8"), hashlib.sha256).digest()


def sampling_key(secret: bytes) -> bytes:
    """The key a graded course's formula sample points are drawn with (derived from the
    secret, never the secret itself; :func:`membranelab.grading.seeds.sampling_secret`)."""
    return hmac.new(secret, b"membranelab formula sample points", hashlib.sha256).digest()
