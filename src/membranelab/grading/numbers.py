"""Reading the number at the start of a numeric answer (our regex; pint never sees arithmetic).

:func:`as_text` turns any answer object into text (or refuses it), :func:`split_number` reads
the leading number with its significant figures, :func:`blank_final_period` drops a sentence's
final period.  Each refusal is a :class:`~.tokens.Refusal` carrying a catalog key.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass

from .limits import DEFAULT_LIMITS, Limits
from .tokens import SUPERSCRIPT_DIGITS, Refusal

__all__ = ["ParsedNumber", "as_text", "blank_final_period", "significant_figures",
           "split_number"]

# A number: sign, then either a bare power of ten (10^-3, 10⁻³) or a mantissa with an
# optional exponent written e-3, *10^-3, x10^(-3) or ×10⁻³.
_NUMBER_RE = re.compile(
    r"\s*(?P<sign>[+-]?)\s*(?:"
    r"10\s*(?:\^|\*\*)\s*(?P<tparen>\()?\s*(?P<tpow>[+-]?[0-9]+)\s*(?(tparen)\))"
    r"|10(?P<tsup>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+)"
    r"|(?P<mantissa>[0-9]+\.?[0-9]*|\.[0-9]+)"
    r"(?:(?P<e>[eE][+-]?[0-9]+)"
    r"|\s*[*x]\s*10\s*(?:\^|\*\*)\s*(?P<paren>\()?\s*(?P<pow>[+-]?[0-9]+)\s*(?(paren)\))"
    r"|\s*[*x]\s*10(?P<sup>[⁻⁺]?[⁰¹²³⁴⁵⁶⁷⁸⁹]+))?)",
    re.ASCII,
)
_WORD_NUMBERS = ("nan", "inf", "infinity")


@dataclass(frozen=True)
class ParsedNumber:
    """The number a student wrote: value, significant figures (min, max) and its text span."""

    value: float
    sigfigs_min: int
    sigfigs_max: int
    end: int


def significant_figures(mantissa: str) -> tuple[int, int]:
    """(fewest, most) significant figures of a written mantissa; '100' is (1, 3), '1.00' (3, 3)."""
    digits = mantissa.replace(".", "").lstrip("0")
    if not digits:
        return 1, 1
    if "." in mantissa:
        return len(digits), len(digits)
    return max(1, len(digits.rstrip("0"))), len(digits)


def split_number(text: str, limits: Limits = DEFAULT_LIMITS, *, example: str = "-95 mV"
                 ) -> ParsedNumber:
    """Read the leading number of ``text`` (1e-3, 3.46*10^-13, 3.46×10⁻¹³, 10^-3); raise
    Refusal when there is none or it is malformed (``example`` is shown as a model answer)."""
    match = _NUMBER_RE.match(text)
    if match is None:
        stripped = text.lstrip()
        offset = len(text) - len(stripped)
        if stripped.lower().lstrip("+-").startswith(_WORD_NUMBERS):
            raise Refusal("number.not_finite", offset)
        raise Refusal("number.missing", offset, params={"column": offset + 1, "example": example})
    exponent_text = match.group("e") or ""
    power = 0
    if exponent_text:
        power = int(exponent_text[1:])
    for group in ("pow", "tpow"):
        if match.group(group) is not None:
            power = int(match.group(group))
    for group in ("sup", "tsup"):
        if match.group(group) is not None:
            power = int(match.group(group).translate(SUPERSCRIPT_DIGITS))
    start = len(text) - len(text.lstrip())
    if abs(power) > limits.max_literal_exponent:
        raise Refusal("number.exponent_range", start, "limits.too_large",
                      {"power": power, "limit": limits.max_literal_exponent})
    mantissa = match.group("mantissa") or "1"
    value = float(f"{match.group('sign')}{mantissa}e{power}")
    if not math.isfinite(value):
        raise Refusal("number.out_of_range", start, "limits.too_large")
    low, high = significant_figures(mantissa)
    end = match.end()
    if end < len(text) and text[end] == "," and text[end + 1 : end + 2].isdigit():
        digits = re.match(r"[0-9]*", text[end + 1 :], re.ASCII)
        raise Refusal("number.decimal_comma", end, params={
            "column": end + 1, "suggestion": f"{mantissa}.{digits.group() if digits else ''}"})
    if end < len(text) and (text[end].isdigit() or text[end] in ".+-^"):
        raise Refusal("number.unexpected", end,
                      params={"char": repr(text[end]), "column": end + 1})
    return ParsedNumber(value, low, high, end)


def blank_final_period(text: str) -> str:
    """Drop a sentence's final period after a unit ("-95 mV."), not a number's ("95.")."""
    if text.endswith(".") and len(text) > 1 and not text[-2].isdigit():
        return text[:-1]
    return text


def as_text(answer: object) -> str:
    """Any object -> the student's text; raise Refusal for what is not text or a number."""
    if isinstance(answer, str):
        return answer
    if isinstance(answer, bytes):
        try:
            return answer.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Refusal("answer.invalid_utf8", error.start, "answer.invalid_type") from None
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        return repr(int(answer)) if isinstance(answer, numbers.Integral) else repr(float(answer))
    if answer is None:
        raise Refusal("answer.empty", 0, "answer.empty")
    raise Refusal("answer.invalid_type", 0, "answer.invalid_type")


