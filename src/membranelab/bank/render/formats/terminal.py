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
    r"\dagger": "†", r"\ell": "ℓ", r"\Rightarrow": "⇒", r"\implies": "⇒", r"\Leftarrow": "⇐",
    r"\ ": " ",
}
#: Commands that prefix a symbol: the space TeX needs after them is not kept (\Delta G -> ΔG);
#: other letters keep it (p\gamma E_K -> pγ E_K).
_LETTERS = {r"\Delta", r"\delta", r"\mu", r"\pi"}
_SUP = str.maketrans("0123456789+-−=()n", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿ")
_SUB = str.maketrans("0123456789+-=()", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎")
_BRACED = r"\{([^{}]*)\}"


def _followed_by_word(match: re.Match[str]) -> bool:
    """Whether the text right after the match starts a word (a letter, digit or a backslash
    command): then a space must keep the two apart (g_leak E_leak, (RT/F) ln)."""
    rest = match.string[match.end():match.end() + 1]
    return bool(rest) and (rest.isalnum() or rest == "\\")


def _script(match: re.Match[str], table: dict[int, int], marker: str) -> str:
    body = match.group(1) if match.group(1) is not None else match.group(2)
    if body and all(ord(ch) in table for ch in body):
        return body.translate(table)
    if not body.isalnum():
        return f"{marker}({body})"
    # a spelled-out subscript runs into the next symbol unless a space ends it: g_leak E_leak
    return f"{marker}{body}" + (" " if _followed_by_word(match) else "")


#: One factor: nothing in it that a slash could split ([Cl⁻]_in, 4, RT, c_out).
_ATOM = r"[\w.\[\]⁺⁻′']+"


def _frac(match: re.Match[str]) -> str:
    function = match.group(1)
    num, den = match.group(2).strip(), match.group(3).strip()
    num = num if re.fullmatch(_ATOM, num) else f"({num})"
    # a denominator goes bare only when it is one number or one (subscripted) symbol: RT/(zF)
    bare = r"[\d.]+|[^\W\d_](?:_\w+)?[₀-₉]*|\[[^\[\]\s]+\](?:_\w+)?"
    den = den if re.fullmatch(bare, den) else f"({den})"
    if function:  # ln a/b would read as (ln a)/b: the argument of a function is bracketed
        return f"{function.strip()}({num}/{den})"
    if _followed_by_word(match):  # RT/F ln(...) reads as RT/(F ln ...): bracket the fraction
        return f"({num}/{den}) "
    return f"{num}/{den}"


def _exponent(match: re.Match[str]) -> str:
    body = match.group(1).strip()
    return f"^{body}" if re.fullmatch(r"[\w.]+", body) else f"^({body})"


def _convert_math(tex: str) -> str:
    tex = re.sub(r"\\dot\s*\{?([A-Za-z])\}?", "\\1\u0307", tex)  # \dot S -> Ṡ
    tex = re.sub(r"\\tilde\s*\{?(\\[A-Za-z]+|[A-Za-z])\}?", "\\1\u0303", tex)  # \tilde\mu -> µ̃
    tex = re.sub(r"(?<=[\w)])\\(ln|log|exp)(?![A-Za-z])", r" \\\1", tex)  # RT\ln -> RT ln
    text = re.sub(r"\\(?:mathrm|text|mathit|operatorname|mathbf)" + _BRACED, r"\1", tex)
    text = re.sub(r"\^\{?\\circ\}?", "°", text)
    text = re.sub(r"\^\{?\\(d?dagger)\}?", lambda m: _SYMBOLS["\\" + m.group(1)], text)
    text = re.sub(r"\^(?:\{([^{}]*)\}|([^\s\\{]))", lambda m: _script(m, _SUP, "^"), text)
    text = re.sub(r"_(?:\{([^{}]*)\}|([^\s\\{]))", lambda m: _script(m, _SUB, "_"), text)
    text = re.sub(r"\\sqrt" + _BRACED, r"√(\1)", text)
    text = re.sub(r"\\[dt]?frac(\d)(\d)", r"\1/\2", text)  # TeX's shorthand \frac43
    for name in sorted(_SYMBOLS, key=len, reverse=True):
        value = _SYMBOLS[name] + (" " if name in (r"\ln", r"\log", r"\exp") else "")
        boundary = r"(?![A-Za-z])" if name[-1].isalpha() else ""
        boundary += " ?" if name in _LETTERS else ""
        text = re.sub(re.escape(name) + boundary, value.replace("\\", r"\\"), text)
    for _ in range(4):  # nested fractions and groups, innermost first
        text = re.sub(r"\\(?:mathrm|text|mathit|operatorname|mathbf)" + _BRACED, r"\1", text)
        # a bare group (not a command's argument: after a space or an operator) is only grouping
        text = re.sub(r"(?<=[\s(=+\-*/,])" + _BRACED, r"\1", text)
        text = re.sub(r"((?:ln|log|exp) ?)?\\[dt]?frac" + _BRACED + _BRACED, _frac, text)
        text = re.sub(r"\^" + _BRACED, _exponent, text)
    text = re.sub(r"\b(ln|log|exp)  +", r"\1 ", text)  # the space TeX had and the one added
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
