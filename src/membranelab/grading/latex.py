"""LaTeX a student pastes (``\\frac{RT}{zF}\\ln\\frac{c_{out}}{c_{in}}``) as the grammar's plain text.

A text translation, never an evaluation: a fixed table of commands becomes the characters the
tokenizer reads (``\\frac{a}{b}`` is ``((a)/(b))``, ``\\ln`` is ``ln``, ``\\cdot`` is ``*``,
``c_{out}`` is ``c_out``, other braces are parentheses); any other command is left with its
backslash, which the tokenizer refuses with a caret.  Text without a backslash or brace is
returned unchanged (offsets kept), so only pasted LaTeX loses exact carets.
"""

from __future__ import annotations

import re

__all__ = ["detex", "looks_like_latex"]

#: Commands that are a function name, an operator or spacing, and what they become.
_COMMANDS = {
    "ln": "ln", "log": "log", "exp": "exp", "lg": "lg", "sqrt": "sqrt",
    "cdot": "*", "times": "*", "div": "/", "left": "", "right": "", "quad": " ",
    "qquad": " ", "Delta": "Δ", "mathrm": "", "text": "", "operatorname": "", "mathit": "",
}
#: Commands of two arguments written as a fraction.
_FRACTIONS = ("frac", "dfrac", "tfrac")
_SPACING = re.compile(r"\\[,;:! ]")
_COMMAND = re.compile(r"\\([A-Za-z]+)")
#: A subscript in braces: c_{out} -> c_out (letters and digits only).
_SUBSCRIPT = re.compile(r"_\{\s*([A-Za-z0-9]+)\s*\}")
#: Commands that only set a font: their argument is kept (E_{\mathrm{Na}} is E_{Na}).
_WRAPPERS = re.compile(r"\\(?:mathrm|text|operatorname|mathit|rm)\s*\{([^{}]*)\}")
#: Longest text translated (bounded work; longer text is left to the tokenizer's refusal).
MAX_LATEX = 2_000


def looks_like_latex(text: str) -> bool:
    """Whether ``text`` holds LaTeX markup (a backslash command or braces)."""
    return "\\" in text or "{" in text


def _group(text: str, start: int) -> tuple[str, int] | None:
    """The braced group starting at ``start`` (after spaces): (its inside, index after it)."""
    index = start
    while index < len(text) and text[index] == " ":
        index += 1
    if index >= len(text):
        return None
    if text[index] != "{":
        return text[index], index + 1  # \frac12: one character each
    depth = 0
    for position in range(index, len(text)):
        if text[position] == "{":
            depth += 1
        elif text[position] == "}":
            depth -= 1
            if depth == 0:
                return text[index + 1 : position], position + 1
    return None


def _fractions(text: str) -> str:
    """``\\frac{a}{b}`` -> ``((a)/(b))``, innermost first; unbalanced braces are left alone."""
    out: list[str] = []
    index = 0
    pattern = re.compile(r"\\(?:" + "|".join(_FRACTIONS) + r")(?![A-Za-z])")
    while True:
        match = pattern.search(text, index)
        if match is None:
            out.append(text[index:])
            return "".join(out)
        numerator = _group(text, match.end())
        denominator = _group(text, numerator[1]) if numerator else None
        if numerator is None or denominator is None:
            out.append(text[index:])
            return "".join(out)
        out.append(text[index : match.start()])
        out.append(f"(({_fractions(numerator[0])})/({_fractions(denominator[0])}))")
        index = denominator[1]


def detex(text: str) -> str:
    """Translate LaTeX markup into the grammar's text (see the module docstring)."""
    if not looks_like_latex(text) or len(text) > MAX_LATEX:
        return text
    text = text.strip().strip("$").strip()
    text = _WRAPPERS.sub(r"\1", text)
    text = _SUBSCRIPT.sub(r"_\1", text)
    text = _fractions(text)
    text = re.sub(r"\\sqrt\s*\{", "sqrt{", text)
    text = _SPACING.sub(" ", text)
    text = _COMMAND.sub(lambda m: _COMMANDS.get(m.group(1), m.group()) + (
        " " if m.group(1) in _COMMANDS and _COMMANDS[m.group(1)].isalpha() else ""), text)
    return text.replace("{", "(").replace("}", ")")
