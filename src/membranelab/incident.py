"""Incidents: an internal failure logged with its traceback under a short id the user is shown.

A bug must never look like the student's mistake, and must never vanish.  Where code catches an
unexpected exception so that one failure does not stop the rest (a batch, the other parts of a
problem, a notebook's test cell), it calls :func:`record_incident` inside the ``except`` block::

    _log = logging.getLogger(__name__)
    ...
    except Exception:
        incident = record_incident(_log, "grading part %s of %s", part.id, problem.id)
        return internal_error(incident)           # "internal error, incident 3f9a2c: ..."

The log record carries the traceback (``exc_info``) and the id (in its message and as the
record's ``incident`` attribute), so the teacher who is told "incident 3f9a2c" finds the record
with ``grep 3f9a2c``.  Failures that are expected (an unknown unit, a missing gradebook entry) are
caught by their own exception types instead and are not incidents.

The package's loggers stay silent unless an application configures logging (the library
convention: ``membranelab/__init__.py`` puts a ``NullHandler`` on the ``membranelab`` logger).  The command line and the notebook
runtime call :func:`enable_incident_log`, which appends warnings and errors to a file (the
``MEMBRANELAB_LOG`` variable, else ``membranelab.log`` in the user's log folder) -- never to the
terminal or a notebook, where a traceback would reach a student.

This module is a leaf: it imports only the message catalog (another leaf) from membranelab, so
every layer may use it.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

__all__ = [
    "INTERNAL_ERROR_KEY",
    "LOG_ENV_VAR",
    "enable_incident_log",
    "incident_log_path",
    "internal_error",
    "new_incident_id",
    "record_incident",
]

#: The catalog key of the sentence a user reads after an internal failure ("internal error,
#: incident %(incident)s: please tell your teacher"); results carry it with ``{"incident": id}``.
INTERNAL_ERROR_KEY = "error.internal"

#: Environment variable naming the incident log file (default: see :func:`incident_log_path`).
LOG_ENV_VAR = "MEMBRANELAB_LOG"

_PACKAGE_LOGGER = "membranelab"
_FORMAT = "%(asctime)s %(levelname)s %(name)s [pid %(process)d] %(message)s"


def new_incident_id() -> str:
    """A fresh random incident id: 6 lowercase hex digits (16.7 million values)."""
    return secrets.token_hex(3)


def record_incident(logger: logging.Logger, what: str, *args: object,
                    exc_info: BaseException | bool = True) -> str:
    """Log a failure with its traceback as a new incident (ERROR); return the incident's id.

    ``what`` (a %-format with ``args``, as for :meth:`logging.Logger.error`) says what was being
    done.  Call it inside an ``except`` block (``exc_info=True``: the exception being handled),
    or pass the exception; ``exc_info=False`` when ``what`` carries a traceback already (one
    received from another process).
    """
    incident = new_incident_id()
    logger.error("incident %s: " + what, incident, *args, exc_info=exc_info,
                 extra={"incident": incident})
    return incident


def internal_error(incident: str, lang: str | None = None) -> str:
    """The user's sentence for ``incident`` from the message catalog, in ``lang`` (None: the
    language in force, see :func:`membranelab.messages.resolve_lang`)."""
    from membranelab.messages import gettext  # a leaf too; loaded when a failure happens

    return gettext(INTERNAL_ERROR_KEY, lang=lang, incident=incident)


def incident_log_path() -> Path:
    """``$MEMBRANELAB_LOG``, else ``membranelab.log`` in the platform's user log folder."""
    explicit = os.environ.get(LOG_ENV_VAR, "").strip()
    if explicit:
        return Path(explicit).expanduser()
    from platformdirs import user_log_dir

    return Path(user_log_dir("membranelab", appauthor=False)) / "membranelab.log"


def enable_incident_log(path: str | os.PathLike[str] | None = None) -> Path:
    """Append the package's warnings and errors to ``path`` (default :func:`incident_log_path`).

    Idempotent per path; the file (and its folder) is created only when a record is written.
    Returns the path.  Applications call this; libraries and tests need not.
    """
    target = Path(path) if path is not None else incident_log_path()
    target = target.expanduser().absolute()
    logger = logging.getLogger(_PACKAGE_LOGGER)
    for handler in logger.handlers:
        if isinstance(handler, _IncidentFileHandler) and handler.baseFilename == str(target):
            return target
    handler = _IncidentFileHandler(target)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter(_FORMAT))
    logger.addHandler(handler)
    return target


class _IncidentFileHandler(logging.FileHandler):
    """A file handler that opens (and creates the folder of) its file at the first record."""

    def __init__(self, path: Path) -> None:
        super().__init__(path, mode="a", encoding="utf-8", delay=True)

    def _open(self):  # noqa: ANN202 - logging's own signature
        Path(self.baseFilename).parent.mkdir(parents=True, exist_ok=True)
        return super()._open()

    def emit(self, record: logging.LogRecord) -> None:
        """Write ``record``; a file that cannot be opened is handled like a failed write."""
        try:
            super().emit(record)
        except OSError:  # logging opens the file outside its own error handling
            self.handleError(record)

    def handleError(self, record: logging.LogRecord) -> None:  # noqa: N802 - logging's name
        """An unwritable log file is ignored: logging's default prints a traceback to stderr,
        which a notebook shows the student."""
