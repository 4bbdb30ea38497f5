"""The output formats, by name: each module of :mod:`membranelab.bank.render.formats` registers
one :class:`Format` (as nbconvert's exporters do); a new format is one new module there.

A format lays out a :class:`~membranelab.bank.render.model.RenderedVariant`: its statement, its
worked solution, and a whole document (what ``membranelab render`` writes into a file with the
format's ``suffix``, and ``membranelab show --format`` prints).
"""

from __future__ import annotations

import importlib
import pkgutil
import threading
from typing import Any, ClassVar

from ..registry import Registry
from .model import RenderedIndex, RenderedVariant

__all__ = ["Format", "format_names", "get_format", "register", "unregister"]


class Format:
    """An output format.  Subclasses set :attr:`name` and :attr:`suffix` and lay out the model;
    ``options`` are the format's own (HTML: ``standalone``, ``mathjax``; ``figures``: where a
    format that shows images draws a solution's figures), unknown ones ignored.  Callers ask
    the class attributes below what a format does, never its name."""

    #: The name users choose it by (``--format``).
    name: ClassVar[str] = ""
    #: The file suffix of its documents (``.md``).
    suffix: ClassVar[str] = ""
    #: Whether its solutions show figures as images: drawn by the ``figures=`` option (a
    #: :data:`~membranelab.bank.render.model.FigureLinks`, such as
    #: :class:`membranelab.bank.figures.FigureFolder`) when given; otherwise, and in a format
    #: that shows none, a figure's caption stands in for it and nothing is drawn.
    shows_figures: ClassVar[bool] = False
    #: Whether its documents load MathJax (and take the ``mathjax=`` option: where from).
    takes_mathjax: ClassVar[bool] = False
    #: The file name of a folder's index of its documents (:meth:`index`), None: no index.
    index_name: ClassVar[str | None] = None

    def statement(self, view: RenderedVariant, **options: Any) -> str:
        """The statement: title, body and parts."""
        raise NotImplementedError

    def solution(self, view: RenderedVariant, **options: Any) -> str:
        """The worked solution and its answers (``view`` built with ``solution=True``)."""
        raise NotImplementedError

    def document(self, view: RenderedVariant, **options: Any) -> str:
        """A whole file: the statement, then the solution when ``view`` has one."""
        raise NotImplementedError

    def index(self, listing: RenderedIndex, **options: Any) -> str:
        """The index of a folder of documents (the file :attr:`index_name`)."""
        raise NotImplementedError(f"{self.name} documents have no index")

    def show(self, view: RenderedVariant, console: Any, **options: Any) -> None:
        """Print ``view`` on a rich ``console`` (``membranelab show``): by default the document's
        text as it is (no markup, highlighting or wrapping: it can be piped into a file)."""
        console.out(self.document(view, **options), highlight=False)


_FORMATS: Registry[type[Format]] = Registry("output format")
_lock = threading.Lock()
_loaded = False


def register(cls: type[Format]) -> type[Format]:
    """Class decorator: make ``cls`` (a :class:`Format`) available under ``cls.name``."""
    if not cls.name or not cls.suffix:
        raise ValueError(f"format {cls.__name__} needs a name and a suffix")
    return _FORMATS.add(cls.name, cls)


def unregister(name: str) -> None:
    """Forget the format ``name`` (tests and plug-ins that add one for a while)."""
    _FORMATS.remove(name)


def _load() -> None:
    """Import every module of the formats package once (each registers its format)."""
    global _loaded
    with _lock:
        if _loaded:
            return
        from . import formats

        for info in sorted(pkgutil.iter_modules(formats.__path__), key=lambda m: m.name):
            importlib.import_module(f"{formats.__name__}.{info.name}")
        _loaded = True


def format_names() -> tuple[str, ...]:
    """The names of every registered format, sorted."""
    _load()
    return tuple(sorted(_FORMATS.names()))


def get_format(name: str) -> Format:
    """The format called ``name`` (ValueError naming the known ones otherwise)."""
    _load()
    cls = _FORMATS.get(name)
    if cls is None:
        raise ValueError(f"fmt must be one of {format_names()}, got {name!r}")
    return cls()

