"""Loading ``problems/*.md`` and ``solutions/*.md`` into checked :class:`Problem` values.

A problem file is YAML front matter plus a Markdown body (the statement); its worked solution is
``solutions/<id>.md``. The format is documented, with an example, in ``problems/README.md``. Files
are parsed with markdown-it-py (front_matter and dollarmath plugins); every schema error is a
:class:`BankError` naming the file and the field.

Where the bank is: ``load_bank(path)`` reads ``path/problems`` and ``path/solutions``. Without a
path it uses the ``MEMBRANELAB_BANK`` environment variable when set, else the project root of a
source checkout (``Path(__file__).parents[3]``), else ``<sys.prefix>/share/membranelab`` where a
regular (non-editable) install places ``problems/`` and ``solutions/``.

Front matter is read bounded (:mod:`membranelab.bank.frontmatter`).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

from membranelab.physics.errata import source_errata

from .choice_invariants import FIELDS as CHOICE_INVARIANT_FIELDS
from .choice_invariants import ChoiceInvariant
from .errors import BankError
from .frontmatter import MAX_YAML_NODES, read_front_matter, split_front_matter
from .i18n import check_translations, is_overlay_file, localize
from .model import Derived, Problem
from .schema import (
    REQUIRED_TOP,
    TOP_KEYS,
    Checker,
    check_derived,
    check_figure,
    check_order,
    check_parameter,
    check_part,
    check_placeholders,
    check_uid,
)
from .scoring import Layer
from .soundness import refuse_unsound
from .variants import CONSTANTS

__all__ = ["Bank", "load_bank", "load_problem", "default_root", "read_front_matter",
           "split_front_matter", "ENV_VAR", "MAX_YAML_NODES"]

#: Environment variable naming a bank root (a folder holding problems/ and solutions/).
ENV_VAR = "MEMBRANELAB_BANK"


def _choice_invariant(c: Checker, i: int, spec: dict, known: set[str],
                      parts: tuple) -> ChoiceInvariant:
    """An invariant on a choice part's answer (``{part, is, when}``, see
    :mod:`membranelab.bank.choice_invariants`)."""
    field = f"invariants[{i}]"
    c.keys(spec, CHOICE_INVARIANT_FIELDS, field)
    missing = sorted(CHOICE_INVARIANT_FIELDS - set(spec))
    if missing:
        raise c.fail(f"{field}.{missing[0]}", "missing")
    part = next((p for p in parts if p.id == spec["part"]), None)
    if part is None:
        raise c.fail(f"{field}.part", f"no part {spec['part']!r}")
    choices = part.answer_kind.options
    if not choices:
        raise c.fail(f"{field}.part", f"part {part.id!r} is not a choice")
    choice = c.text(spec["is"], f"{field}.is")
    if choice not in choices:
        raise c.fail(f"{field}.is", f"{choice!r} is not a choice of part {part.id!r}")
    return ChoiceInvariant(part.id, choice, c.expr(spec["when"], f"{field}.when", known, True))


def load_problem(file: str | Path, solution_file: str | Path | None = None) -> Problem:
    """One problem from its file and its worked solution (default ``../solutions/<stem>.md``)."""
    file = Path(file)
    c = Checker(file)
    try:
        text = file.read_text(encoding="utf-8-sig")  # a BOM before '---' is not content
    except (OSError, UnicodeDecodeError) as exc:
        raise c.fail("file", f"cannot read: {exc}") from None
    front, body = split_front_matter(text, file)
    if front is None:
        raise c.fail("front matter", "missing: the file must start with a '---' YAML block")
    meta = c.mapping(read_front_matter(front, file), "front matter")
    c.keys(meta, TOP_KEYS, "front matter")
    for key in REQUIRED_TOP:
        if key not in meta:
            raise c.fail(key, "missing")
    pid = c.text(meta["id"], "id")
    if pid != file.stem:
        raise c.fail("id", f"{pid!r} differs from the file name {file.stem!r}")
    params = {name: check_parameter(c, name, spec)
              for name, spec in c.mapping(meta["params"], "params").items()}
    known = set(params) | set(CONSTANTS)
    constraints = meta.get("constraints", [])
    if not isinstance(constraints, list):
        raise c.fail("constraints", "expected a list of comparisons")
    constraints = tuple(c.expr(s, f"constraints[{i}]", known, True)
                        for i, s in enumerate(constraints))
    derived: list[Derived] = []
    for name, spec in c.mapping(meta.get("derived", {}) or {}, "derived").items():
        if name in known:
            raise c.fail(f"derived.{name}", "name already used by a parameter or constant")
        derived.append(check_derived(c, name, spec, known, f"derived.{name}"))
        known.add(name)
    parts_spec = meta["parts"]
    if not isinstance(parts_spec, list) or not parts_spec:
        raise c.fail("parts", "expected a non-empty list")
    parts = tuple(check_part(c, i, spec, known, derived) for i, spec in enumerate(parts_spec))
    ids = [p.id for p in parts]
    if len(set(ids)) != len(ids):
        raise c.fail("parts", f"duplicate part ids in {ids}")
    errata = meta.get("errata", []) or []
    if not isinstance(errata, list):
        raise c.fail("errata", "expected a list of erratum ids")
    for eid in errata:
        if eid not in source_errata():
            raise c.fail("errata", f"unknown erratum {eid!r}")
    invariants = meta.get("invariants", []) or []
    if not isinstance(invariants, list):
        raise c.fail("invariants", "expected a list of comparisons")
    all_names = known | {name for p in parts if (name := p.answer_kind.value_name)}
    choice_invariants = tuple(_choice_invariant(c, i, s, all_names, parts)
                              for i, s in enumerate(invariants) if isinstance(s, dict))
    invariants = tuple(c.expr(s, f"invariants[{i}]", all_names, True)
                       for i, s in enumerate(invariants) if not isinstance(s, dict))
    order = check_order(c, meta)
    scoring = _scoring(c, meta.get("scoring"), ids)
    figures = tuple(check_figure(c, i, s, params, known)
                    for i, s in enumerate(meta.get("figures", []) or []))
    solution_file = Path(solution_file) if solution_file else (
        file.parent.parent / "solutions" / f"{file.stem}.md")
    try:
        solution_text = solution_file.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise c.fail("solution", f"no worked solution at {solution_file}") from None
    _, solution = split_front_matter(solution_text, solution_file)
    extra: dict[str, Any] = {} if order is None else {"order": order}
    problem = Problem(
        id=pid, title=c.text(meta["title"], "title"), topic=c.text(meta["topic"], "topic"),
        source=c.text(meta["source"], "source"), params=MappingProxyType(params),
        constraints=constraints, derived=tuple(derived), parts=parts, body=body,
        solution=solution, errata=tuple(errata), figures=figures, file=file,
        solution_file=solution_file, uid=check_uid(c, meta, pid), invariants=invariants,
        scoring=scoring, choice_invariants=choice_invariants, localizer=localize, **extra)
    check_placeholders(c, body, "body", problem)
    for i, part in enumerate(parts):
        check_placeholders(c, part.prompt, f"parts[{i}].prompt", problem)
        for h in part.hints:
            check_placeholders(c, h, f"parts[{i}].hints", problem)
    check_placeholders(Checker(solution_file), solution, "solution", problem)
    try:
        problem.variant("canonical").answers()
    except (ValueError, ArithmeticError, KeyError, TypeError) as exc:
        raise c.fail("derived", f"the canonical variant fails: {type(exc).__name__}: {exc}") from None
    refuse_unsound(c, problem)
    return problem


def _scoring(c: Checker, spec: Any, part_ids: list[str]) -> Layer | None:
    """The ``scoring:`` rules of a problem file (:mod:`.scoring`), parts checked to exist."""
    if spec is None:
        return None
    try:
        layer = Layer.from_mapping(spec, "scoring")
    except ValueError as error:
        field, _, message = str(error).partition(": ")
        raise c.fail(field, message) from None
    for part_id in layer.parts:
        if part_id not in part_ids:
            raise c.fail(f"scoring.parts.{part_id}", f"no such part; parts are {part_ids}")
    return layer


@dataclass(frozen=True)
class Bank:
    """The loaded problems: ``bank.problems[id]``; iterating gives the problems in id order."""

    root: Path
    problems: Mapping[str, Problem]

    def __getitem__(self, problem_id: str) -> Problem:
        try:
            return self.problems[problem_id]
        except KeyError:
            raise KeyError(f"no problem {problem_id!r}; known: {', '.join(self.problems)}") from None

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.problems.values())

    def __len__(self) -> int:
        return len(self.problems)

    def ordered(self) -> list[Problem]:
        """The problems in teaching order (``order``, then id): Nernst before GHK before the
        pump..., the order ``practice`` goes through them."""
        return sorted(self, key=lambda p: (p.order, p.id))

    def topics(self) -> dict[str, list[str]]:
        """Problem ids by topic."""
        out: dict[str, list[str]] = {}
        for p in self:
            out.setdefault(p.topic, []).append(p.id)
        return out


def default_root() -> Path:
    """``$MEMBRANELAB_BANK`` when set; else the source checkout's project root (an editable
    install); else ``<prefix>/share/membranelab``, where a regular install puts the bank."""
    env = os.environ.get(ENV_VAR)
    if env:
        return Path(env)
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "problems").is_dir():
        return checkout
    installed = Path(sys.prefix) / "share" / "membranelab"
    return installed if (installed / "problems").is_dir() else checkout


def load_bank(path: str | os.PathLike[str] | None = None) -> Bank:
    """All problems under ``path`` (a folder with ``problems/`` and ``solutions/``; default:
    :func:`default_root`). Cached while the files are unchanged."""
    root = Path(path) if path is not None else default_root()
    folder = root / "problems"
    if not folder.is_dir():
        raise BankError(root, "problems", f"no problems/ folder under {root} (set {ENV_VAR} to a "
                        "folder holding problems/ and solutions/)")
    files = sorted(folder.glob("*.md"))
    stamp = tuple((str(f), f.stat().st_mtime_ns) for f in files) + tuple(
        (str(s), s.stat().st_mtime_ns) for s in sorted((root / "solutions").glob("*.md")))
    return _load_cached(str(root.resolve()), stamp)


def _problem_files(folder: Path) -> list[Path]:
    """The problem files of a folder: ``*.md`` without the README and the translation overlays
    (``<id>.<lang>.md``, see :mod:`membranelab.bank.i18n`)."""
    return sorted(f for f in folder.glob("*.md")
                  if f.name.lower() != "readme.md" and not is_overlay_file(f))


@lru_cache(maxsize=16)
def _load_cached(root: str, stamp: tuple) -> Bank:
    folder = Path(root) / "problems"
    problems: dict[str, Problem] = {}
    for f in _problem_files(folder):
        p = load_problem(f, Path(root) / "solutions" / f"{f.stem}.md")
        twin = next((q for q in problems.values() if q.seed_key == p.seed_key), None)
        if twin is not None:
            raise BankError(f, "uid", f"{p.seed_key!r} is also the uid of {twin.file}: two "
                            "problems would give every student the same numbers")
        check_translations(p)  # translations are checked against the original at load
        problems[p.id] = p
    return Bank(Path(root), MappingProxyType(problems))
