"""The one tokenizer of expressions: typographic normalisation, whitelist tokens, caret pointer.

Steps, in order: :func:`normalize` folds what input methods and word processors type (NFKC:
full-width ``－９９．８ｍＶ`` is ``-99.8mV``; the ideographic full stop ``。`` is a point; every
dash that stands for a minus is ``-``), :func:`blank_assignment` blanks a leading ``name =``,
then :func:`tokenize` splits into NUMBER, NAME and OP tokens and refuses any other character
with a message naming its column (columns and carets refer to the normalized text).

A :class:`Dialect` says what else the text may hold: student formulas (:data:`STUDENT`) hold
only the tokens above; the bank's trusted expressions (:data:`BANK`) also hold comparison
operators and, after a number, a UNIT token (``3 mV``, ``55 kJ/mol``: the unit is written without
spaces, names joined by ``*`` and ``/``, each with an optional integer power).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass

from membranelab.messages import render_message

from .limits import DEFAULT_LIMITS, Limits

__all__ = [
    "BANK",
    "COMPARISONS",
    "Dialect",
    "NUMBER_PATTERN",
    "STUDENT",
    "SUPERSCRIPT_DIGITS",
    "TRANSLATIONS",
    "Refusal",
    "Token",
    "blank_assignment",
    "normalize",
    "pointer",
    "tokenize",
]

#: Characters mapped after NFKC folding: typographic variants of an ASCII operator, of a
#: space, or of a point (nothing else is mapped).
TRANSLATIONS: Mapping[str, str] = {
    "\u2212": "-",  # MINUS SIGN, as typed by word processors
    "\u2010": "-",  # HYPHEN
    "\u2011": "-",  # NON-BREAKING HYPHEN
    "\u2012": "-",  # FIGURE DASH
    "\u2013": "-",  # EN DASH, often pasted for a minus
    "\u2014": "-",  # EM DASH
    "\u02d7": "-",  # MODIFIER LETTER MINUS SIGN
    "\u2796": "-",  # HEAVY MINUS SIGN
    "\u3002": ".",  # IDEOGRAPHIC FULL STOP (Chinese input methods)
    "\uff61": ".",  # HALFWIDTH IDEOGRAPHIC FULL STOP
    "\u00d7": "*",  # MULTIPLICATION SIGN
    "\u00f7": "/",  # DIVISION SIGN (÷), as on calculators
    "\u00b7": "*",  # MIDDLE DOT
    "\u22c5": "*",  # DOT OPERATOR
    "\u00a0": " ",  # NO-BREAK SPACE
    "\u2009": " ",  # THIN SPACE
    "\u202f": " ",  # NARROW NO-BREAK SPACE
    "\t": " ",
    "\n": " ",
    "\r": " ",
}

#: A decimal number: digits with an optional point and an optional e-exponent (1e-3, .5, 2.).
NUMBER_PATTERN = r"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?"

# Why each token kind is safe: NUMBER becomes a sympy Rational built from digits; NAME is only
# looked up in the part's declared symbols and FUNCTIONS (never in a namespace); OP is a
# fixed set of arithmetic characters.  Quotes, dots after names, brackets, commas, "=", "_"
# at the start of a name ("__import__") and every non-ASCII character are refused.
_TOKEN_RE = re.compile(
    rf"(?P<space> +)|(?P<number>{NUMBER_PATTERN})|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|[-+*/^()])|(?P<superscript>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
)
#: Comparison operators (bank expressions only: constraints, invariants, choice conditions).
COMPARISONS = ("<=", ">=", "==", "!=", "<", ">")
# The bank's tokens: the same, plus comparisons (longest first).
_BANK_TOKEN_RE = re.compile(
    rf"(?P<space> +)|(?P<number>{NUMBER_PATTERN})|(?P<name>[A-Za-z][A-Za-z0-9_]*)"
    r"|(?P<op>\*\*|<=|>=|==|!=|[-+*/^()<>])|(?P<superscript>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)",
)
# A unit right after a number (spaces between them allowed, none inside): names such as mV, uM,
# kJ, joined by * or /, each with an optional integer power (m**3, m^-2).  Its meaning is pint's.
_UNIT_WORD = r"[A-Za-z\u00b5][A-Za-z0-9_\u00b5]*(?:(?:\*\*|\^)-?[0-9]+)?"
_UNIT_RE = re.compile(rf" *(?P<unit>{_UNIT_WORD}(?:[*/]{_UNIT_WORD})*)")


@dataclass(frozen=True)
class Dialect:
    """What a text may hold beyond numbers, names, arithmetic and parentheses (keyword-only)."""

    name: str
    #: one comparison at the top (``K_in > 10 * K_out``): constraints and conditions
    comparisons: bool = False
    #: a number followed by a unit is a quantity (``3 mV``); otherwise a name after a number is
    #: an implicit product or an error
    units: bool = False
    #: ``2x``, ``R T/F``, ``(a)(b)``: a factor followed by a name or "(" is multiplied
    implicit_products: bool = False


#: Students' formulas: implicit products, no comparisons, no units.
STUDENT = Dialect("student", implicit_products=True)
#: The bank's trusted expressions: one comparison, quantities with units, explicit products.
BANK = Dialect("bank", comparisons=True, units=True)
#: Superscript digits and signs (as in 10⁻³ or m²) to ASCII, one character for one.
SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺", "0123456789-+")
_COMMA_DECIMAL_RE = re.compile(r"[0-9]+,[0-9]+", re.ASCII)


@dataclass(frozen=True)
class Token:
    """One token: kind is "number", "name", "op" or "unit"; offset indexes the text."""

    kind: str
    text: str
    offset: int


class Refusal(Exception):
    """A refusal: catalog key and parameters of its message, the offset it points at and a
    stable note (caught by the parser); ``message`` is the English text."""

    def __init__(self, key: str, offset: int, note: str = "parse.error",
                 params: Mapping[str, object] | None = None) -> None:
        self.key = key
        self.params = dict(params or {})
        self.message = render_message(key, self.params)
        self.offset = offset
        self.note = note
        super().__init__(self.message)


def pointer(text: str, offset: int, width: int = 40) -> str:
    """Two lines: an excerpt of ``text`` around ``offset`` and a caret under that character."""
    start = max(0, offset - width // 2)
    excerpt = text[start : start + width]
    shown = "".join(ch if ch.isprintable() and ch not in "\u200b\u200c\u200d" else "?"
                    for ch in excerpt)
    prefix = "..." if start > 0 else ""
    caret = " " * (len(prefix) + offset - start) + "^"
    return f"  {prefix}{shown}\n  {caret}"


def _describe_char(ch: str) -> str:
    """A character as the student can recognise it, with its Unicode name when unusual."""
    if ch.isascii() and ch.isprintable():
        return f"'{ch}'"
    name = unicodedata.name(ch, "")
    code = f"U+{ord(ch):04X}"
    return f"'{ch}' ({code} {name})" if ch.isprintable() and name else f"{code} {name}".strip()


# a leading name in any script (E_K, ΔV, V_{m}, 电位) and "=" (not "==")
_ASSIGNMENT_RE = re.compile(r"\s*[^\W\d][\w{}]*\s*=(?!=)")


def blank_assignment(text: str) -> str:
    """Replace a leading ``name =`` (as in ``E_K = -95 mV`` or ``ΔV = -I_p/G``) by spaces,
    keeping offsets."""
    match = _ASSIGNMENT_RE.match(text)
    return " " * match.end() + text[match.end() :] if match else text


#: Kept as typed by NFKC folding: superscript exponents (10⁻³, m²) that the number and unit
#: grammars read themselves, and the micro sign.
_KEEP = frozenset("⁰¹²³⁴⁵⁶⁷⁸⁹⁻⁺µ")
_ASCII_TABLE = str.maketrans({ch: to for ch, to in TRANSLATIONS.items() if ch.isascii()})


def normalize(text: str) -> str:
    """Step 1: NFKC-fold each character (full-width forms of Chinese input methods, ℃, ㎷),
    then map typographic minus, times, spaces and full stops to ASCII."""
    if text.isascii():
        return text.translate(_ASCII_TABLE)
    out = []
    for ch in text:
        if ch.isascii() or ch in _KEEP:
            out.append(TRANSLATIONS.get(ch, ch))
            continue
        mapped = TRANSLATIONS.get(ch)
        if mapped is None:
            mapped = "".join(TRANSLATIONS.get(c, c)
                             for c in unicodedata.normalize("NFKC", ch))
        out.append(mapped)
    return "".join(out)


def tokenize(text: str, limits: Limits = DEFAULT_LIMITS, dialect: Dialect = STUDENT
             ) -> list[Token]:
    """Step 2: split normalized text into tokens; refuse any character outside the whitelist
    (the ``dialect`` adds comparison operators and UNIT tokens after numbers)."""
    pattern = _BANK_TOKEN_RE if dialect.comparisons else _TOKEN_RE
    tokens: list[Token] = []
    position = 0
    while position < len(text):
        match = pattern.match(text, position)
        if match is None:
            key, params = _unexpected_character(text, position)
            raise Refusal(key, position, "parse.error", params)
        kind = match.lastgroup or ""
        if kind == "superscript":  # x² is x^2, G⁻¹ is G^-1: a power, as typed on a phone
            tokens.extend(_superscript(match.group(), position))
        elif kind != "space":
            tokens.append(Token(kind, match.group(), position))
            if kind == "number" and dialect.units:
                unit = _UNIT_RE.match(text, match.end())
                if unit is not None:
                    tokens.append(Token("unit", unit.group("unit"), unit.start("unit")))
                    match = unit
            if len(tokens) > limits.max_tokens:
                raise Refusal("parse.too_many_tokens", position, "limits.too_large",
                              {"limit": limits.max_tokens, "column": position + 1})
        position = match.end()
    return tokens


def _superscript(text: str, offset: int) -> list[Token]:
    """The tokens of a superscript exponent: ``^``, a sign when there is one, the digits."""
    plain = text.translate(SUPERSCRIPT_DIGITS)
    out = [Token("op", "^", offset)]
    if plain[0] in "+-":
        out.append(Token("op", plain[0], offset))
        plain = plain[1:]
    return [*out, Token("number", plain, offset)]


def _unexpected_character(text: str, position: int) -> tuple[str, dict[str, object]]:
    """The message key and parameters for a character no token may start with."""
    ch = text[position]
    column = position + 1
    if ch == "," and _COMMA_DECIMAL_RE.match(text, max(0, position - 1)) is not None:
        left = re.search(r"[0-9]+$", text[:position])
        right = re.match(r"[0-9]+", text[position + 1 :])
        suggestion = f"{left.group() if left else ''}.{right.group() if right else ''}"
        return "number.decimal_comma", {"column": column, "suggestion": suggestion}
    if ch == "_":
        return "parse.underscore", {"column": column}
    if ch in "'\"":
        return "parse.quotes", {"column": column}
    if ch in "[]{}":
        return "parse.brackets", {"char": repr(ch), "column": column}
    if not ch.isascii():
        return "parse.non_ascii", {"char": _describe_char(ch), "column": column}
    return "parse.bad_character", {"char": _describe_char(ch), "column": column}
