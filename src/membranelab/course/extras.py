"""What an optional install adds, and the one line a command says when it is missing.

``pip install membranelab`` practises, shows, serves and grades; the nbgrader course needs the
``[course]`` extra (nbgrader, which brings nbformat and Jupyter).  A course command run without it
stops with one line naming the command to install it (catalog key ``course.needs_extra``), never
an ``ImportError``.
"""

from __future__ import annotations

import importlib.util

from membranelab.errors import CliError
from membranelab.messages import gettext

__all__ = ["COURSE_MODULES", "missing_modules", "require_course"]

#: The modules the ``[course]`` extra provides that the course commands import.
COURSE_MODULES = ("nbformat", "nbgrader")


def missing_modules(names: tuple[str, ...]) -> list[str]:
    """The names among ``names`` that cannot be imported here."""
    return [name for name in names if importlib.util.find_spec(name) is None]


def require_course(lang: str = "en") -> None:
    """Raise the one-line :class:`CliError` when the ``[course]`` extra is not installed."""
    missing = missing_modules(COURSE_MODULES)
    if missing:
        raise CliError(gettext("course.needs_extra", lang, missing=", ".join(missing)))
