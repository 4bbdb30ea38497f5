"""The terminal: Markdown whose TeX becomes Unicode, shown by rich.

Only the common, unambiguous constructs are converted (Greek letters, ``\\frac``, ``\\ln``,
``\\mathrm``, sub/superscripts, operators); anything else stays as TeX source, which is still
readable.  Jupyter and HTML keep the original TeX and render it natively.

The format's documents are that text (``.txt``); :meth:`Terminal.show` prints a model on a rich
console (``membranelab show``), :func:`terminal_markdown` any Markdown, and :func:`plain` makes
untrusted text safe inside rich markup.
"""

from __future__ import annotations

import re
from typing import Any

from ..model import RenderedVariant
from ..registry import Format, register
from .markdown import Markdown

__all__ = ["Terminal", "plain", "tex_to_unicode", "terminal_markdown"]

_SYMBOLS = {
    r"\alpha": "α", r"\beta": "β", r"\gamma": "γ", r"\delta": "δ", r"\Delta": "Δ",
    r"\epsilon": "ε", r"\varepsilon": "ε", r"\mu": "µ", r"\sigma": "σ", r"\tau": "τ",
    r"\Omega": "Ω", r"\omega": "ω", r"\pi": "π", r"\rho": "ρ", r"\theta": "θ", r"\phi": "φ",
    r"\lambda": "λ", r"\Sigma": "Σ", r"\sum": "Σ", r"\cdot": "·", r"\times": "×",
    r"\approx": "≈", r"\neq": "≠", r"\leq": "≤", r"\geq": "≥", r"\le": "≤", r"\ge": "≥",
    r"\to": "→", r"\rightarrow": "→", r"\infty": "∞", r"\pm": "±", r"\circ": "°",
    r"\ln": "ln", r"\log": "log", r"\exp": "exp", r"\sqrt": "√", r"\propto": "∝",
    r"\quad": "  ", r"\qquad": "    ", r"\,": " ", r"\;": " ", r"\!": "", r"\%": "%",
    r"\left": "", r"\right": "", r"\partial": "∂", r"\degree": "°", r"\ddagger": "‡",
    r"\dagger": "†", r"\ell": "ℓ",
}
#: Commands that name a letter: the space TeX needs after them is not kept (\Delta G -> ΔG).
_LETTERS = {name for name, value in _SYMBOLS.items() if len(value) == 1 and value.isalpha()}
_SUP = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_BRACED = r"\{([^{}]*)\}"


def _script(match: re.Match[str], table: dict[int, str], marker: str) -> str:
    body = match.group(1) if match.group(1) is not None else match.group(2)
    if body and all(ord(ch) in table for ch in body):
        return body.translate(table)
    return f"{marker}{body}" if body.isalnum() else f"{marker}({body})"


def _frac(match: re.Match[str]) -> str:
    num, den = match.group(1).strip(), match.group(2).strip()
    num = num if re.fullmatch(r"[\w.]+", num) else f"({num})"
    # a denominator goes bare only when it is one number or one (subscripted) symbol: RT/(zF)
    den = den if re.fullmatch(r"[\d.]+|[^\W\d_](?:_\w+)?[₀-₉]*", den) else f"({den})"
    return f"{num}/{den}"


def _exponent(match: re.Match[str]) -> str:
    body = match.group(1).strip()
    return f"^{body}" if re.fullmatch(r"[\w.]+", body) else f"^({body})"


def _convert_math(tex: str) -> str:
    tex = re.sub(r"\\dot\s*\{?([A-Za-z])\}?", "\\1\u0307", tex)  # \dot S -> Ṡ
    text = re.sub(r"\\(?:mathrm|text|mathit|operatorname|mathbf)" + _BRACED, r"\1", tex)
    text = re.sub(r"\^\{?\\circ\}?", "°", text)
    text = re.sub(r"\^\{?\\(d?dagger)\}?", lambda m: _SYMBOLS["\\" + m.group(1)], text)
    text = re.sub(r"\^(?:\{([^{}]*)\}|([^\s\\{]))", lambda m: _script(m, _SUP, "^"), text)
    text = re.sub(r"_(?:\{([^{}]*)\}|([^\s\\{]))", lambda m: _script(m, _SUB, "_"), text)
    text = re.sub(r"\\sqrt" + _BRACED, r"√(\1)", text)
    for name in sorted(_SYMBOLS, key=len, reverse=True):
        value = _SYMBOLS[name] + (" " if name in (r"\ln", r"\log", r"\exp") else "")
        boundary = r"(?![A-Za-z])" if name[-1].isalpha() else ""
        boundary += " ?" if name in _LETTERS else ""
        text = re.sub(re.escape(name) + boundary, value.replace("\\", r"\\"), text)
    for _ in range(4):  # nested fractions and groups, innermost first
        text = re.sub(r"\\(?:mathrm|text|mathit|operatorname|mathbf)" + _BRACED, r"\1", text)
        # a bare group (not a command's argument: after a space or an operator) is only grouping
        text = re.sub(r"(?<=[\s(=+\-*/,])" + _BRACED, r"\1", text)
        text = re.sub(r"\\[dt]?frac" + _BRACED + _BRACED, _frac, text)
        text = re.sub(r"\^" + _BRACED, _exponent, text)
    return text.replace("{", "").replace("}", "")


def tex_to_unicode(markdown: str) -> str:
    """Markdown whose ``$...$`` and ``$$...$$`` math is rewritten as readable Unicode text."""
    def display(match: re.Match[str]) -> str:
        return "\n\n    " + _convert_math(match.group(1).strip()) + "\n\n"

    text = re.sub(r"\$\$(.+?)\$\$", display, markdown, flags=re.S)
    text = re.sub(r"\\\[(.+?)\\\]", display, text, flags=re.S)
    return re.sub(r"(?<![\\\w])\$(?!\s)(.+?)(?<![\s\\])\$", lambda m: _convert_math(m.group(1)), text)


def plain(text: str) -> str:
    """Untrusted or data text (a prompt, feedback, a title) made safe inside rich markup:
    TeX made readable, and ``[...]`` escaped so that ``[K+]`` is not taken for a style tag."""
    from rich.markup import escape

    return escape(tex_to_unicode(str(text)))


def terminal_markdown(markdown: str) -> Any:  # rich.markdown.Markdown
    """A rich Markdown renderable of ``markdown`` with its math made terminal-friendly."""
    from rich.markdown import Markdown

    return Markdown(tex_to_unicode(markdown))


@register
class Terminal(Format):
    """Text for a terminal (``.txt``): the Markdown format with its math in Unicode; on a rich
    console (:meth:`show`) the Markdown is rendered too."""

    name = "terminal"
    suffix = ".txt"
    links_figures = False  # text: a figure's caption stands in for it

    def statement(self, view: RenderedVariant, **options: Any) -> str:
        return tex_to_unicode(Markdown().statement(view))

    def solution(self, view: RenderedVariant, **options: Any) -> str:
        return tex_to_unicode(Markdown().solution(view))

    def document(self, view: RenderedVariant, **options: Any) -> str:
        return tex_to_unicode(Markdown().document(view))

    def show(self, view: RenderedVariant, console: Any, *, header: str = "",
             solution_heading: str = "", **options: Any) -> None:
        """Print ``view`` on a rich ``console``: a rule holding ``header`` (rich markup), the
        statement, then (when ``view`` has one) a rule holding ``solution_heading`` (plain text)
        and the solution."""
        console.rule(header)
        console.print(terminal_markdown(Markdown().statement(view)))
        if view.solution is not None:
            console.rule(f"[bold green]{plain(solution_heading)}")
            console.print(terminal_markdown(Markdown().solution(view)))
