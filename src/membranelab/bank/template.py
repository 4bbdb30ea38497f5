"""``{{...}}`` placeholders of statements, prompts, hints and worked solutions.

Forms (whitespace inside the braces is ignored)::

    {{K_out}}            a parameter, as sampled, in its own unit (the text supplies the unit)
    {{E_K}}              a part's reference answer in the part's unit and significant figures
                         (choice: the right choice; symbolic: the formula in LaTeX); otherwise a
                         derived value in its display unit (3 significant figures; SI if none)
    {{E_K|mV}}           any numeric name converted to a unit (3 significant figures)
    {{E_K|mV|4}}         ... with 4 significant figures
    {{E_K|mV|.2}}        ... with 2 decimals (for arithmetic written out: -80 - (-72.38) = -7.62)
    {{formula:nernst}}   the LaTeX of a formula of membranelab.formulas (no dollars)
    {{erratum:<id>}}     a paragraph: what the source document says and why it is wrong
    {{figure:<id>}}      a figure of the problem (a Markdown image when rendered with a folder)

Names resolve in that order: parameter, part, derived. Unknown names are load errors.
"""

from __future__ import annotations

import re
from collections.abc import Callable

__all__ = ["PLACEHOLDER", "Placeholder", "parse_placeholder", "substitute", "placeholders"]

#: One placeholder; group 1 is its content.
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")


class Placeholder:
    """A parsed placeholder: ``prefix`` ('' / 'formula' / 'erratum' / 'figure'), ``name``,
    ``unit`` and ``sigfigs`` or ``decimals`` (None when not given)."""

    __slots__ = ("text", "prefix", "name", "unit", "sigfigs", "decimals")

    def __init__(self, text: str) -> None:
        self.text = text
        self.prefix, self.unit, self.sigfigs, self.decimals = "", None, None, None
        head, *rest = [s.strip() for s in text.split("|")]
        if ":" in head:
            self.prefix, head = (s.strip() for s in head.split(":", 1))
            if self.prefix not in ("formula", "erratum", "figure"):
                raise ValueError(f"unknown placeholder kind {self.prefix!r} in {{{{{text}}}}}")
            if rest:
                raise ValueError(f"{{{{{text}}}}}: {self.prefix}: takes no unit")
        if not re.fullmatch(r"[A-Za-z_][A-Za-z_0-9\-]*", head or ""):
            raise ValueError(f"bad name {head!r} in {{{{{text}}}}}")
        self.name = head
        if len(rest) > 2:
            raise ValueError(f"{{{{{text}}}}}: at most a unit and a number of figures")
        if rest:
            self.unit = rest[0] or None
        if len(rest) == 2 and rest[1].startswith("."):
            if not rest[1][1:].isdigit() or not 0 <= int(rest[1][1:]) <= 6:
                raise ValueError(f"{{{{{text}}}}}: decimals must be .0 to .6")
            self.decimals = int(rest[1][1:])
        elif len(rest) == 2:
            if not rest[1].isdigit() or not 1 <= int(rest[1]) <= 10:
                raise ValueError(f"{{{{{text}}}}}: significant figures must be 1..10")
            self.sigfigs = int(rest[1])


def parse_placeholder(text: str) -> Placeholder:
    """The :class:`Placeholder` of a placeholder's content; ValueError when malformed."""
    return Placeholder(text)


def placeholders(template: str) -> list[Placeholder]:
    """Every placeholder of ``template``, parsed (ValueError on the first malformed one)."""
    return [Placeholder(m.group(1)) for m in PLACEHOLDER.finditer(template)]


def substitute(template: str, resolve: Callable[[Placeholder], str]) -> str:
    """``template`` with each placeholder replaced by ``resolve(placeholder)``."""
    return PLACEHOLDER.sub(lambda m: resolve(Placeholder(m.group(1))), template)
