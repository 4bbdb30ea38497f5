"""Numbers as text: the one place that decides how a number is printed, for each purpose.

It lives in the grading layer, the lowest one that prints numbers (its feedback quotes them); the
bank, the renderers, the course and the app all print through it.

=====================  ===============================================  =========================
function               purpose                                          examples
=====================  ===============================================  =========================
:func:`sig_figs`       an answer or a derived value to N significant    ``-95.0``, ``1.23e-5``
                       figures (fixed point from 1e-3 to 1e5)
:func:`param_text`     a parameter as a statement prints it (integers   ``140``, ``0.0125``
                       bare, others up to 6 significant figures)
:func:`feedback_text`  a number quoted in a grader's message (``%g``,   ``−94.97``
                       typographic minus)
:func:`csv_number`     a score or weight in a CSV file (at most 4       ``0.3333``, ``2.5``
                       decimals, no trailing zeros, never ``-0``)
:func:`points_text`    points as people read them (``%g``)              ``1``, ``0.5``
:func:`split_e`        a number in e-notation cut into mantissa and     ``("1.5", "-7")``
                       exponent, for a renderer to typeset
:func:`sub_e`          every e-notation number of a text re-typeset
:func:`tex_power`      a mantissa and exponent as TeX                   ``1.5 \times 10^{-7}``
:func:`tex_number`     a number in TeX with the figures it was written  ``-95.0``,
                       with (a student's answer, read back)             ``1.50 \times 10^{-7}``
=====================  ===============================================  =========================
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable

__all__ = ["MINUS", "csv_number", "feedback_text", "param_text", "points_text", "sig_figs",
           "split_e", "sub_e", "tex_number", "tex_power"]

#: The typographic minus sign (U+2212).
MINUS = "\u2212"

_WHOLE_E = re.compile(r"^([+-]?\d+(?:\.\d+)?)e([+-]?)0*(\d+)$")
_E_IN_TEXT = re.compile(r"(?<![\w.])(\d+(?:\.\d+)?)e([+-]?)0*(\d+)(?![\w.])")


def sig_figs(value: float, figures: int = 3) -> str:
    """``value`` to ``figures`` significant figures: fixed point when its exponent is between -3
    and 4 (``-95.0``, ``0.00123``), else e-notation (``1.23e-5``, ``2.40e5``); ``0`` for zero or a
    value that rounds to zero; ``inf``/``nan`` as Python writes them."""
    if value == 0 or not math.isfinite(value):
        return "0" if value == 0 else str(value)
    exponent = math.floor(math.log10(abs(value)))
    if -3 <= exponent < 5:
        decimals = max(0, figures - 1 - exponent)
        text = f"{value:.{decimals}f}"
        return "0" if float(text) == 0 else text
    mantissa, exp = f"{value:.{figures - 1}e}".split("e")
    return f"{mantissa}e{int(exp)}"


def param_text(value: float, integer: bool = False) -> str:
    """A parameter value as a statement prints it: an ``integer`` parameter, or a whole value
    below a million, without a point (``140``); others with up to 6 significant figures and a
    short exponent (``0.0125``, ``1.5e-7``, ``2.5e6``)."""
    if integer or float(value).is_integer() and abs(value) < 1e6:
        return str(int(round(value)))
    return f"{value:.6g}".replace("e+0", "e").replace("e-0", "e-").replace("e+", "e")


def feedback_text(value: float, digits: int = 4) -> str:
    """A number quoted in feedback: ``digits`` significant figures (``%g``), a short exponent and
    a typographic minus (``−94.97``, ``1.5e−7``)."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", MINUS)


def csv_number(value: float) -> str:
    """A score or weight as a CSV cell: at most 4 decimals, no trailing zeros, ``0`` for a value
    that rounds to zero of either sign (``0.3333``, ``2.5``, ``1``)."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def points_text(value: float) -> str:
    """Points as people read them: ``1``, ``0.5``, ``2.25``."""
    return f"{float(value):g}"


def split_e(text: str) -> tuple[str, str] | None:
    """``(mantissa, exponent)`` of a number written in e-notation (``"1.5e-07"`` ->
    ``("1.5", "-7")``; a ``+`` exponent sign is dropped), None for any other text."""
    m = _WHOLE_E.match(text.strip())
    if m is None:
        return None
    return m.group(1), ("-" if m.group(2) == "-" else "") + m.group(3)


def sub_e(text: str, typeset: Callable[[str, str], str]) -> str:
    """``text`` with every unsigned number in e-notation (not part of a word) replaced by
    ``typeset(mantissa, exponent)`` (as :func:`split_e` cuts it)."""
    return _E_IN_TEXT.sub(
        lambda m: typeset(m.group(1), ("-" if m.group(2) == "-" else "") + m.group(3)), text)


def tex_power(mantissa: str, exponent: str) -> str:
    """``mantissa`` x 10^``exponent`` in TeX (``1.5 \\times 10^{-7}``)."""
    return rf"{mantissa} \times 10^{{{exponent}}}"


def tex_number(value: float, figures: int) -> str:
    """``value`` in TeX with ``figures`` significant figures kept as written (-95.0 stays -95.0;
    ``1.50e-07`` becomes ``1.50 \\times 10^{-7}``)."""
    text = f"{value:#.{max(1, min(figures, 15))}g}".rstrip(".").replace(".e", "e")
    cut = split_e(text)
    return text if cut is None else tex_power(*cut)
