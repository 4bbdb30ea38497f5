"""Reading the names of a student's formula as a teacher would, before the grammar runs.

One pass over the tokens (:func:`resolve_names`), with the part's declared symbols.  A name
that is a declared symbol or a function stays as it is.  Any other name is read, when it can be
read in exactly one way, as:

* a function in another case or spelling, before "(" (``Ln``, ``LN``, ``EXP``, ``log_e``);
* the declared symbol it spells without its ``_`` (``gK`` is ``g_K``, ``cout`` is ``c_out``);
* a run of declared symbols, each a token of its own (``RT`` is ``R T``, ``CV`` is ``C V``), so
  a power after the run binds to its last symbol only (``CV^2`` is ``C*V^2``, ``nm^(-1)`` is
  ``n/m``).

Where two of these readings exist (``gK`` with symbols ``g``, ``K`` and ``g_K``) the name is
refused as ambiguous (:class:`~.tokens.Refusal`, not read: no try is spent); where none does it
is left to the back end, which refuses it with the allowed names.  Each reading is reported as
(written, read) so the feedback can say how the answer was read.
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping

from .grammar import FUNCTION_NAMES
from .tokens import Refusal, Token

__all__ = ["FUNCTION_SPELLINGS", "resolve_names"]

#: Other spellings of the grammar's functions, lower-cased (read only before "(").
FUNCTION_SPELLINGS: Mapping[str, str] = {
    **{name: name for name in FUNCTION_NAMES},
    "log_e": "ln", "loge": "ln", "log_10": "log10", "lge": "ln",
}
#: Most readings counted for one name (two already make it ambiguous).
_ENOUGH = 2


def _pieces(symbols: Iterable[str]) -> dict[str, str]:
    """What a piece of a letter run may be: a symbol as declared, or without its ``_``."""
    pieces = {name: name for name in symbols}
    for name in list(pieces):
        pieces.setdefault(name.replace("_", ""), name)
    return pieces


def _splits(text: str, pieces: Mapping[str, str]) -> list[list[str]]:
    """Up to two ways of writing ``text`` as two or more pieces (each a declared symbol)."""
    found: list[list[str]] = []
    longest = max((len(piece) for piece in pieces), default=0)

    def walk(start: int, taken: list[str]) -> None:
        if len(found) >= _ENOUGH:
            return
        if start == len(text):
            if len(taken) >= 2:
                found.append(list(taken))
            return
        for end in range(start + 1, min(len(text), start + longest) + 1):
            symbol = pieces.get(text[start:end])
            if symbol is not None:
                taken.append(symbol)
                walk(end, taken)
                taken.pop()

    walk(0, [])
    return found


def _readings(token: Token, following: Token | None, symbols: Container[str],
              pieces: Mapping[str, str]) -> list[tuple[str, list[str]]]:
    """The ways to read one unknown name: ("function" | "symbol" | "run", names)."""
    text = token.text
    readings: list[tuple[str, list[str]]] = []
    if following is not None and following.kind == "op" and following.text == "(":
        function = FUNCTION_SPELLINGS.get(text.lower())
        if function is not None:
            readings.append(("function", [function]))
    joined = pieces.get(text)
    if joined is not None and joined != text:
        readings.append(("symbol", [joined]))
    if len(readings) < _ENOUGH:
        readings.extend(("run", split) for split in _splits(text, pieces))
    return readings


def resolve_names(tokens: list[Token], symbols: Container[str] | Iterable[str]
                  ) -> tuple[list[Token], list[tuple[str, str]]]:
    """(tokens with every readable unknown name rewritten, the readings as (written, read)).

    Raises :class:`~.tokens.Refusal` (``parse.name_ambiguous``) for a name with two readings.
    """
    names = set(symbols)  # type: ignore[arg-type]
    pieces = _pieces(names)
    out: list[Token] = []
    readings: list[tuple[str, str]] = []
    for index, token in enumerate(tokens):
        if (token.kind != "name" or token.text in names or token.text in FUNCTION_NAMES
                or token.text == "e"):
            out.append(token)
            continue
        following = tokens[index + 1] if index + 1 < len(tokens) else None
        found = _readings(token, following, names, pieces)
        if not found:
            out.append(token)  # the back end refuses it, naming the allowed names
            continue
        if len(found) > 1:
            shown = " / ".join("·".join(read) for _, read in found)
            raise Refusal("parse.name_ambiguous", token.offset, params={
                "name": repr(token.text), "column": token.offset + 1, "readings": shown})
        kind, read = found[0]
        if kind == "run":
            position = token.offset
            rest = token.text
            for symbol in read:
                written = symbol if rest.startswith(symbol) else symbol.replace("_", "")
                out.append(Token("name", symbol, position))
                position += len(written)
                rest = rest[len(written):]
        else:
            out.append(Token("name", read[0], token.offset))
        readings.append((token.text, "·".join(read)))
    return out, readings
