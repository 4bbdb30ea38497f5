"""The report's words, all from the message catalog, in one language.

:class:`Words` is what the figures and the page call: ``words("report.facility")`` for a label,
``words.note(note)`` for a mistake's short name (``report.mistake.<name>`` when the catalog has
one, else the name of the note with its underscores as spaces: a problem's own mistake that has no
catalog entry), ``words.kind(kind)`` for the kinds of rows of the mistakes table.
"""

from __future__ import annotations

from dataclasses import dataclass

from membranelab.messages import gettext, has_message

__all__ = ["Words"]


@dataclass(frozen=True)
class Words:
    """Catalog lookups in ``lang``."""

    lang: str

    def __call__(self, key: str, **params: object) -> str:
        return gettext(key, self.lang, **params)

    def note(self, note: str) -> str:
        """A named mistake's short name (``mistake.log10`` -> "log10 for ln")."""
        name = note.removeprefix("mistake.")
        key = f"report.mistake.{name}"
        return self(key) if has_message(key) else name.replace("_", " ")

    def kind(self, kind: str, note: str) -> str:
        """The label of a row of the mistakes table."""
        return self.note(note) if kind == "mistake" else self(f"report.kind.{kind}")

    def number(self, value: float | None, digits: int = 1) -> str:
        """A statistic for a table cell; an undefined one is a dash."""
        return "\u2014" if value is None else f"{value:.{digits}f}"
