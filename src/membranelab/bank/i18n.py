"""Translated problems: overlays that hold only a problem's text in another language.

Layout (documented in ``problems/README.md``)::

    problems/<id>.<lang>.md     front matter: title, parts (prompt, hints, choices, why),
                                figures (captions); the Markdown body is the statement
    solutions/<id>.<lang>.md    the worked solution

``<lang>`` is a language code of :data:`OVERLAY_LANGS` (``zh``: simplified Chinese). An overlay
holds no numbers of its own: the parameters, derived values, answers, tolerances and mistakes stay
in ``problems/<id>.md``. :func:`check_overlay` makes sure a translation cannot change them: the same
parts, the same ``{{placeholders}}`` in every text, the same numbers written out in the text, the same
choice ids and the same number of hints, or a :class:`BankError` naming the overlay file and the
field.

A part's texts besides its prompt and hints belong to its answer kind
(:attr:`~membranelab.bank.protocols.AnswerKind.overlay_fields`): the kind reads them, checks them
against the original and applies them (a choice part's choices, keyed by id -- the choice's
English text as the original lists it -- and their ``why`` and ``aliases``:
:mod:`membranelab.bank.kinds.choice`, which also grades a choice written in any language).
"""

from __future__ import annotations

import logging
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import BankError
from .frontmatter import read_front_matter, split_front_matter
from .model import BASE_LANG, OVERLAY_LANGS, Part, Problem
from .template import PLACEHOLDER

__all__ = ["OVERLAY_LANGS", "BASE_LANG", "Overlay", "PartText", "overlay_paths", "read_overlay",
           "check_overlay", "apply_overlay", "join_lines", "check_translations", "localize",
           "is_overlay_file"]

log = logging.getLogger(__name__)

_TOP_KEYS = {"id", "lang", "title", "parts", "figures"}
#: Fields of every part in an overlay; its answer kind adds its own (``overlay_fields``).
_PART_KEYS = frozenset({"prompt", "hints"})


@dataclass(frozen=True)
class PartText:
    """A part's translatable text: ``prompt``, ``hints`` (same count as the original), and
    ``kind``, its answer kind's own texts as the kind read them
    (:meth:`~membranelab.bank.protocols.AnswerKind.translation`; None for a kind without any)."""

    prompt: str
    hints: tuple[str, ...] = ()
    kind: Any = None


@dataclass(frozen=True)
class Overlay:
    """The text of one problem in language ``lang`` (see the module docstring)."""

    lang: str
    title: str
    body: str
    solution: str
    parts: Mapping[str, PartText]
    captions: Mapping[str, str]
    file: Path
    solution_file: Path


def is_overlay_file(path: Path) -> bool:
    """True for ``<id>.<lang>.md`` (an overlay, not a problem of its own)."""
    stem = Path(path).stem
    return "." in stem and stem.rsplit(".", 1)[1] in OVERLAY_LANGS


def overlay_paths(problem: Problem, lang: str) -> tuple[Path, Path] | None:
    """(statement overlay, solution overlay) paths of ``problem`` in ``lang``; None for a
    problem not read from files."""
    if problem.file is None:
        return None
    solution = problem.solution_file or problem.file.parent.parent / "solutions" / problem.file.name
    return (problem.file.with_name(f"{problem.id}.{lang}.md"),
            solution.with_name(f"{problem.id}.{lang}.md"))


def _fail(file: Path, fld: str, message: str) -> BankError:
    return BankError(file, fld, message)


def _text(file: Path, value: Any, fld: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, fld, f"expected non-empty text, found {value!r}")
    return value


def _texts_by_id(file: Path, value: Any, fld: str) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, Mapping):
        raise _fail(file, fld, "expected a mapping of id to text")
    return {str(k): _text(file, v, f"{fld}.{k}") for k, v in value.items()}


def read_overlay(problem: Problem, lang: str) -> Overlay | None:
    """The overlay of ``problem`` in ``lang`` as written (None when the statement overlay does not
    exist); malformed files raise :class:`BankError`. See :func:`check_overlay` for the checks
    against the original."""
    paths = overlay_paths(problem, lang)
    if paths is None or not paths[0].is_file():
        return None
    file, solution_file = paths
    try:
        front, body = split_front_matter(file.read_text(encoding="utf-8"), file)
    except (OSError, UnicodeDecodeError) as exc:
        raise _fail(file, "file", f"cannot read: {exc}") from None
    if front is None:
        raise _fail(file, "front matter", "missing: the file must start with a '---' YAML block")
    meta = read_front_matter(front, file) or {}
    if not isinstance(meta, Mapping):
        raise _fail(file, "front matter", "expected a mapping")
    unknown = sorted(set(meta) - _TOP_KEYS)
    if unknown:
        raise _fail(file, unknown[0], f"unknown field; an overlay holds only "
                    f"{', '.join(sorted(_TOP_KEYS))} (numbers stay in {problem.file.name if problem.file else problem.id})")
    if meta.get("id", problem.id) != problem.id:
        raise _fail(file, "id", f"{meta['id']!r} differs from the problem {problem.id!r}")
    if meta.get("lang", lang) != lang:
        raise _fail(file, "lang", f"{meta['lang']!r} differs from the file name's {lang!r}")
    parts_spec = meta.get("parts") or {}
    if not isinstance(parts_spec, Mapping):
        raise _fail(file, "parts", "expected a mapping of part id to its text")
    kinds = {p.id: p.answer_kind for p in problem.parts}
    parts = {}
    for pid, spec in parts_spec.items():
        fld = f"parts.{pid}"
        kind = kinds.get(str(pid))
        allowed = _PART_KEYS | (kind.overlay_fields if kind is not None else frozenset())
        if not isinstance(spec, Mapping):
            raise _fail(file, fld, f"expected a mapping ({', '.join(sorted(allowed))})")
        unknown = sorted(set(spec) - allowed)
        if unknown:
            raise _fail(file, f"{fld}.{unknown[0]}",
                        f"unknown field; allowed: {', '.join(sorted(allowed))}")
        hints = spec.get("hints") or []
        if not isinstance(hints, list):
            raise _fail(file, f"{fld}.hints", "expected a list of texts")
        texts = {k: v for k, v in spec.items() if k not in _PART_KEYS}
        parts[str(pid)] = PartText(
            prompt=_text(file, spec.get("prompt"), f"{fld}.prompt"),
            hints=tuple(_text(file, h, f"{fld}.hints[{i}]") for i, h in enumerate(hints)),
            kind=None if kind is None else kind.translation(
                texts, lambda f, message: _fail(file, f, message), fld))
    captions = _texts_by_id(file, meta.get("figures"), "figures")
    try:
        solution_text = solution_file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise _fail(file, "solution", f"no translated solution at {solution_file}") from None
    _, solution = split_front_matter(solution_text, solution_file)
    return Overlay(lang=lang, title=_text(file, meta.get("title"), "title"), body=body,
                   solution=solution, parts=MappingProxyType(parts),
                   captions=MappingProxyType(captions), file=file, solution_file=solution_file)


# Numbers written out in the text (not inside a placeholder): digits with an optional decimal part
# and exponent (a comma is never decimal: NFKC turns the Chinese comma "，" into one). A translation
# must write the same ones.
_NUMBER = re.compile(r"\d+(?:\.\d+)?(?:[eE][+-]?\d+)?")


def _signature(text: str) -> tuple[list[str], list[str]]:
    """(sorted placeholders, sorted numbers outside placeholders) of a text (NFKC first)."""
    phs = sorted(" ".join(m.group(1).split()) for m in PLACEHOLDER.finditer(text))
    rest = unicodedata.normalize("NFKC", PLACEHOLDER.sub(" ", text))
    return phs, sorted(_NUMBER.findall(rest))


def _same(file: Path, fld: str, original: str, translated: str) -> None:
    (p0, n0), (p1, n1) = _signature(original), _signature(translated)
    if p0 != p1:
        missing, extra = _difference(p0, p1)
        raise _fail(file, fld, f"placeholders differ from the original: missing {missing}, "
                    f"extra {extra} (a translation may not change what is filled in)")
    if n0 != n1:
        missing, extra = _difference(n0, n1)
        raise _fail(file, fld, f"numbers differ from the original: missing {missing}, extra "
                    f"{extra} (a translation may not change numbers)")


def _difference(original: list[str], translated: list[str]) -> tuple[list[str], list[str]]:
    """(in the original only, in the translation only), counting repeats."""
    a, b = Counter(original), Counter(translated)
    return sorted((a - b).elements()), sorted((b - a).elements())


def check_overlay(problem: Problem, overlay: Overlay) -> None:
    """Raise :class:`BankError` (naming the overlay file and field) unless ``overlay`` translates
    ``problem`` without changing it: the same parts, the same placeholders and numbers in every
    text, the same number of hints, the same choice ids and per-choice explanations, the same
    figures."""
    file = overlay.file
    _same(file, "title", problem.title, overlay.title)
    _same(file, "body", problem.body, overlay.body)
    _same(overlay.solution_file, "solution", problem.solution, overlay.solution)
    ids = [p.id for p in problem.parts]
    if set(overlay.parts) != set(ids):
        raise _fail(file, "parts", f"the original has parts {ids}, the translation "
                    f"{list(overlay.parts)}")
    for part in problem.parts:
        text, fld = overlay.parts[part.id], f"parts.{part.id}"
        _same(file, f"{fld}.prompt", part.prompt, text.prompt)
        if len(text.hints) != len(part.hints):
            raise _fail(file, f"{fld}.hints", f"the original has {len(part.hints)} hints, the "
                        f"translation {len(text.hints)}")
        for i, (h0, h1) in enumerate(zip(part.hints, text.hints, strict=True)):
            _same(file, f"{fld}.hints[{i}]", h0, h1)
        part.answer_kind.check_translation(
            text.kind, lambda f, message: _fail(file, f, message),
            lambda f, original, translated: _same(file, f, original, translated), fld)
    figures = {f.id: f for f in problem.figures}
    if set(overlay.captions) != set(figures):
        raise _fail(file, "figures", f"captions for {sorted(overlay.captions)} differ from the "
                    f"original's figures {sorted(figures)}")
    for fid, fig in figures.items():
        _same(file, f"figures.{fid}", fig.caption, overlay.captions[fid])


def _localize_part(part: Part, text: PartText) -> Part:
    return replace(part, prompt=text.prompt, hints=text.hints,
                   answer_kind=part.answer_kind.localized(text.kind))


# Chinese text has no spaces between words, so a line break inside a paragraph, which Markdown
# and browsers show as a space, is dropped where it touches Chinese text: nothing between two
# Chinese characters or next to Chinese punctuation, one space between Chinese and Latin text.
# Breaks between paragraphs and lines that open or close a block (list item, table row, display
# math, heading, quote) are kept.
_CJK_CHARS = "\u2e80-\u2fff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
_CJK_PUNCT = "\u3000-\u303f\uff00-\uffef\u201c\u201d\u2014\u2026"
_CJK = re.compile(f"[{_CJK_CHARS}{_CJK_PUNCT}]")
_PUNCT = re.compile(f"[{_CJK_PUNCT}]")
_LINE_BREAK = re.compile(r"(?<=([^\n]))[ \t]*\n[ \t]*(?=([^\n]+))")
_BLOCK_START = re.compile(r"[-*+] |\||#|>|\$\$|\d+[.)] |\{\{figure:")


def _join(m: re.Match[str]) -> str:
    before, after = m.group(1), m.group(2)
    line_end = m.string.rfind("\n", 0, m.start()) + 1
    if (_BLOCK_START.match(after) or m.string[line_end:m.start()].rstrip().endswith("$$")
            or m.string[line_end:m.start()].lstrip().startswith("|")):
        return m.group(0)
    first = after[0]
    if _CJK.match(before) and _CJK.match(first):
        return ""
    if _CJK.match(before) or _CJK.match(first):
        return "" if _PUNCT.match(before) or _PUNCT.match(first) else " "
    return m.group(0)


def join_lines(text: str) -> str:
    """``text`` with the line breaks inside paragraphs that touch Chinese text joined."""
    return _LINE_BREAK.sub(_join, text)


def apply_overlay(problem: Problem, overlay: Overlay) -> Problem:
    """``problem`` with the overlay's text (numbers, answers and ids unchanged); the result's
    ``lang`` is the overlay's and its ``original`` the English problem (whose ``localizer`` it
    keeps)."""
    figures = tuple(replace(f, caption=overlay.captions[f.id]) if f.id in overlay.captions else f
                    for f in problem.figures)
    parts = tuple(_localize_part(p, overlay.parts[p.id]) for p in problem.parts)
    return replace(problem, title=overlay.title, body=join_lines(overlay.body),
                   solution=join_lines(overlay.solution),
                   parts=parts, figures=figures, lang=overlay.lang, original=problem)


_lock = threading.Lock()


def _cache(problem: Problem) -> dict[str, Problem | BankError]:
    cache = problem.__dict__.get("_localized")
    if cache is None:
        cache = {}
        object.__setattr__(problem, "_localized", cache)
    return cache


def check_translations(problem: Problem, *, strict: bool = False) -> tuple[str, ...]:
    """Read and check every overlay ``problem`` has; the languages whose overlay is in use.

    ``strict``: the first fault raises :class:`BankError` (tests, ``membranelab check``).
    Otherwise (loading the bank) a faulty overlay is logged as an error and the problem shows
    its original text in that language: a translation that no longer matches its original (say,
    the original gained a hint) is never shown, and never stops the bank from loading.
    """
    found = []
    for lang in OVERLAY_LANGS:
        paths = overlay_paths(problem, lang)
        if paths is not None and paths[0].is_file():
            if localize(problem, lang, strict=strict).lang == lang:
                found.append(lang)
    return tuple(found)


def localize(problem: Problem, lang: str | None, *, strict: bool = False) -> Problem:
    """``problem`` in ``lang`` (``None``/``"en"``: the original), checked and built once per
    problem and language (thread-safe). Without an overlay, or with one that fails
    :func:`check_overlay`, the original is returned and the reason logged (``strict``: a faulty
    overlay raises :class:`BankError`)."""
    base = problem.original or problem
    if not lang or lang == BASE_LANG:
        return base
    if lang not in OVERLAY_LANGS:
        raise ValueError(f"unknown language {lang!r}; known: {BASE_LANG}, "
                         f"{', '.join(OVERLAY_LANGS)}")
    with _lock:
        cache = _cache(base)
        if lang in cache and not (strict and isinstance(cache[lang], BankError)):
            return _cached(base, cache[lang])
        try:
            overlay = read_overlay(base, lang)
            if overlay is None:
                log.warning("problem %s has no %s translation (%s); showing the original",
                            base.id, lang, overlay_paths(base, lang))
                out: Problem | BankError = base
            else:
                check_overlay(base, overlay)
                out = apply_overlay(base, overlay)
        except BankError as exc:
            if strict:
                raise
            log.error("%s; problem %s is shown in its original language", exc, base.id)
            out = exc
        cache[lang] = out
        return _cached(base, out)


def _cached(base: Problem, entry: Problem | BankError) -> Problem:
    return base if isinstance(entry, BankError) else entry
