"""Reading the number at the start of a numeric answer (our regex; pint never sees arithmetic).

:func:`as_text` turns any answer object into text (or refuses it), :func:`split_number` reads
the leading number with its significant figures, :func:`blank_final_period` drops a sentence's
final period.  Each refusal is a :class:`~.tokens.Refusal` carrying a catalog key.
"""

from __future__ import annotations

import math
import numbers
import re
from dataclasses import dataclass, replace

from .limits import DEFAULT_LIMITS, Limits
from .plain import plain_number, plain_text
from .tokens import SUPERSCRIPT_DIGITS, Refusal

__all__ = ["ParsedNumber", "as_text", "blank_final_period", "significant_figures",
           "split_number", "tidy_quantity"]

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
#: Words for a power of ten after a number (5.49 million), with the power.
_SCALE_WORDS = {"thousand": 3, "million": 6, "billion": 9, "万": 4, "百万": 6, "亿": 8}
_SCALE_RE = re.compile(r"\s*(?P<word>thousand|million|billion|百万|万|亿)(?![A-Za-z])",
                       re.IGNORECASE)
#: A ratio written with its second term (105:1, 1/933, 3 比 2): a plain number after ":" "/" 比.
_RATIO_RE = re.compile(r"\s*(?::|/|比)\s*(?P<term>[0-9]+\.?[0-9]*|\.[0-9]+)(?![0-9.eE^*/])")
#: Marks of an approximate value before the number: ≈ -70.4 mV, 约 -80.1 毫伏, ~5 pA.
_APPROXIMATE_RE = re.compile(
    r"\s*(?:≈|≃|≅|~|∼|约|大约|大概|approx\.?|approximately|about|ca\.)\s*", re.IGNORECASE)
#: A sign written as a word before the number (负95毫伏 is -95 mV).
_SIGN_WORDS = {"负": "-", "正": "+"}
#: A number in parentheses at the start: (-95.0) mV.
_WRAPPED_RE = re.compile(r"\s*\((?P<inner>[^()]*)\)")


@dataclass(frozen=True)
class ParsedNumber:
    """The number a student wrote: value, significant figures (min, max), the end of its text
    span, and ``decimal_comma`` (the text as read, e.g. "99.8", when a comma was read as a
    decimal point)."""

    value: float
    sigfigs_min: int
    sigfigs_max: int
    end: int
    decimal_comma: str = ""


# Digits with commas at the start of an answer: 99,8 / 2,430,000 / 1,234.5
_COMMA_NUMBER_RE = re.compile(r"\s*[+-]?\s*(?P<int>[0-9]+)(?P<groups>(?:,[0-9]+)+)(?P<frac>\.[0-9]*)?",
                              re.ASCII)


def read_commas(text: str) -> tuple[str, str]:
    """(text with the leading number's commas resolved, the number as read when a comma was
    taken as a decimal point, else "").

    One comma, no point, and not exactly three digits after it (or a zero before it) can only
    be a decimal comma: ``-99,8`` is -99.8.  Groups of three after a 1-3 digit head are
    thousands: ``2,430,000``, ``1,234.5``.  ``1,234`` could be either and is refused, as is any
    other use of commas.  Removing thousands separators shortens the text (offsets after the
    number move by the number of commas).
    """
    match = _COMMA_NUMBER_RE.match(text)
    if match is None:
        return text, ""
    head, groups, fraction = match.group("int"), match.group("groups"), match.group("frac")
    parts = groups[1:].split(",")
    start, end = match.start("int"), match.end()
    thousands = len(head) <= 3 and head[0] != "0" and all(len(p) == 3 for p in parts)
    if len(parts) == 1 and fraction is None and not thousands:
        read = f"{head}.{parts[0]}"
        return text[:start] + read + text[end:], read
    if thousands and (len(parts) > 1 or fraction is not None):
        return text[:start] + head + "".join(parts) + (fraction or "") + text[end:], ""
    key = "number.comma_ambiguous" if thousands else "number.comma_unclear"
    raise Refusal(key, match.start("groups"), "number.comma", {
        "number": match.group()[match.start("int") - match.start():],
        "decimal": f"{head}.{''.join(parts)}", "whole": head + "".join(parts)})


def tidy_quantity(text: str) -> str:
    """What a teacher reads past, blanked or replaced one character for one (offsets kept):
    a mark of an approximate value before the number (≈, ~, 约, about), a sign written as a
    word (负, 正), parentheses around the number alone, and ``;`` or ``,`` at the end."""
    first = text.lstrip()[:1]
    if first.isdigit() or first in ("-", "+", "."):  # the usual case: a number first
        trimmed = text.rstrip()
        return trimmed.rstrip(";, ").rstrip() if trimmed.endswith((";", ",")) else trimmed
    match = _APPROXIMATE_RE.match(text)
    if match is not None and match.end() < len(text):
        text = " " * match.end() + text[match.end():]
    stripped = len(text) - len(text.lstrip())
    if text[stripped:stripped + 1] in _SIGN_WORDS:
        text = text[:stripped] + _SIGN_WORDS[text[stripped]] + text[stripped + 1:]
    wrapped = _WRAPPED_RE.match(text)
    if wrapped is not None and _NUMBER_RE.fullmatch(wrapped.group("inner").strip()):
        text = (text[: wrapped.start("inner") - 1] + " " + wrapped.group("inner") + " "
                + text[wrapped.end():])
    trimmed = text.rstrip()
    while trimmed and trimmed[-1] in ";,":
        trimmed = trimmed[:-1].rstrip()
    return trimmed


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
    """Read the leading number of ``text`` (1e-3, 3.46*10^-13, 3.46×10⁻¹³, 10^-3, and commas by
    :func:`read_commas`); raise Refusal when there is none or it is malformed (``example`` is
    shown as a model answer).  ``end`` indexes ``text`` as given."""
    resolved, decimal = read_commas(text)
    number = _split_number(resolved, limits, example)
    removed = len(text) - len(resolved)  # thousands separators, all inside the number
    return replace(number, end=number.end + removed, decimal_comma=decimal)


def _split_number(text: str, limits: Limits, example: str) -> ParsedNumber:
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
    scale = _SCALE_RE.match(text, end) if end < len(text) else None
    if scale is not None:
        value *= 10.0 ** _SCALE_WORDS[scale.group("word").lower()]
        end = scale.end()
    ratio = _RATIO_RE.match(text, end) if end < len(text) else None
    if ratio is not None and match.group("e") is None and float(ratio.group("term")) != 0:
        term = ratio.group("term")
        if mantissa.strip("0.") == "1" and term.strip("0.") != "1":  # 1/933: the term counts
            low, high = significant_figures(term)
        elif term.strip("0.") != "1":
            term_low, term_high = significant_figures(term)
            low, high = min(low, term_low), min(high, term_high)
        value /= float(term)
        end = ratio.end()
    if end < len(text) and (text[end].isdigit() or text[end] in ".+-^"):
        raise Refusal("number.unexpected", end,
                      params={"char": repr(text[end]), "column": end + 1})
    return ParsedNumber(value, low, high, end)


def blank_final_period(text: str) -> str:
    """Drop a sentence's final period after a unit ("-95 mV.") or after a number that has its
    point already ("99.8."), not a number's own point ("95.")."""
    if text.endswith(".") and len(text) > 1:
        last_word = text[:-1].split()[-1] if text[:-1].split() else ""
        if not text[-2].isdigit() or "." in last_word:
            return text[:-1]
    return text


def as_text(answer: object) -> str:
    """Any object -> the student's text; raise Refusal for what is not text or a number."""
    if isinstance(answer, str):
        return plain_text(answer)
    if isinstance(answer, bytes):
        try:
            return answer.decode("utf-8")
        except UnicodeDecodeError as error:
            raise Refusal("answer.invalid_utf8", error.start, "answer.invalid_type") from None
    if isinstance(answer, numbers.Real) and not isinstance(answer, bool):
        text = plain_number(answer)
        if text is None:
            raise Refusal("number.out_of_range", 0, "limits.too_large")
        return text
    if answer is None:
        raise Refusal("answer.empty", 0, "answer.empty")
    raise Refusal("answer.invalid_type", 0, "answer.invalid_type")


