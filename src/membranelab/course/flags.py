"""Flags for the teacher, never verdicts: what ``membranelab course grade`` noticed.

A flag changes no score; it points the teacher at a notebook.  The kinds:

``copied``
    several (at least :data:`MIN_COPIED`) **numeric** parts whose typed answers are right for
    one other rostered student's keyed numbers and not for the student's own.  Both students
    are named, with the chance of such a match by accident (:func:`accident_chance`).  A
    single part, or a choice (a few options, shared by everyone), is never enough;
``computed``
    answer cells whose answer is computed by code, not typed: allowed, but not graded (no
    student code runs), so listed for the teacher to read;
``suspicious``
    code that imports the course's internals, patches ``membranelab``, or reads the
    environment or files (:mod:`membranelab.course.codescan`);
``locked``
    locked cells the student changed or deleted (graded as released all the same).

Each flag's sentence is a catalog entry (``flag.<kind>``), in the teacher's language.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from membranelab.messages import gettext

__all__ = ["KINDS", "MIN_COPIED", "Flag", "accident_chance", "copied_flags", "flag_rows"]

#: Flag kinds in report order.
KINDS = ("copied", "computed", "suspicious", "locked")
#: Each kind's name as the teacher reads it (catalog keys).
NAMES = {"copied": "flag.name.copied", "computed": "flag.name.computed",
         "suspicious": "flag.name.suspicious", "locked": "flag.name.locked"}
#: The fewest numeric parts matching one classmate that make a ``copied`` flag.
MIN_COPIED = 2
#: Sampled keyed variants per problem for the chance of an accidental match.
SAMPLES = 400
#: Relative window of the cheap first look for a match (the grader then decides).
_WINDOW = 0.05


@dataclass(frozen=True)
class Flag:
    """One thing for the teacher to look at: ``student``, ``kind`` (one of :data:`KINDS`),
    the parts concerned (``problem/part``), the catalog key and parameters of its sentence,
    and for ``copied`` the classmate and the chance of an accidental match."""

    student: str
    kind: str
    parts: tuple[str, ...] = ()
    key: str = ""
    params: Mapping[str, Any] = field(default_factory=dict)
    other: str = ""
    chance: float | None = None

    def text(self, lang: str = "en") -> str:
        """The flag's sentence in ``lang``."""
        return gettext(self.key, lang, **self.params)


def accident_chance(fractions: Sequence[float], classmates: int) -> float:
    """The chance that some classmate's numbers accept all these answers by accident: each
    part's fraction ``p`` of variants accepting the answer, independent across problems'
    draws: ``1 - (1 - prod p) ** classmates``."""
    both = math.prod(fractions)
    return 1.0 - (1.0 - both) ** max(classmates, 1)


def _close(values: Any, value: float) -> Any:
    import numpy as np

    return np.abs(values - value) <= _WINDOW * np.maximum(np.abs(values), abs(value)) + 1e-300


class _Keyed:
    """Keyed variants, each computed once (rostered students' and sampled ids'), and the
    grading service's verdict on a typed answer for another student's numbers."""

    def __init__(self, service: Any, assignment: str) -> None:
        self.service, self.bank, self.assignment = service, service.bank, assignment
        self._cache: dict[tuple[str, str], Any] = {}

    def variant(self, student: str, problem_id: str) -> Any:
        found = self._cache.get((student, problem_id))
        if found is None:
            problem = self.bank.problems[problem_id]
            key = self.service.course.key(self.assignment, student)
            found = problem.variant(student, self.assignment, key=key)
            self._cache[(student, problem_id)] = found
        return found

    def value(self, student: str, problem_id: str, part_id: str) -> float:
        return float(self.variant(student, problem_id).answer(part_id).value)

    def accepts(self, student: str, problem_id: str, part_id: str, text: str) -> bool:
        from membranelab.service import GradeRequest

        from .verdicts import grade_answer

        request = GradeRequest(problem_id, part_id, text, student, self.assignment)
        return grade_answer(self.service, request).score >= 1.0


def _fraction(keyed: _Keyed, pc: Any, value: float) -> float:
    """The share of sampled keyed variants whose answer is within the part's tolerance of
    ``value`` (an add-one estimate, never 0)."""
    kind = keyed.bank.problems[pc.problem_id].part(pc.part_id).answer_kind
    ids = [f"\x1fsample-{i}" for i in range(SAMPLES)]
    hits = sum(kind.tolerates(value, keyed.value(s, pc.problem_id, pc.part_id)) for s in ids)
    return (hits + 1) / (SAMPLES + 1)


def copied_flags(numbers: Mapping[str, Mapping[str, tuple[str, float]]], roster: Sequence[str],
                 parts: Sequence[Any], service: Any, assignment: str) -> list[Flag]:
    """``copied`` flags.  ``numbers``: per student, per numeric test id, the typed answer
    (text, value in the part's unit) of each part that is **not** right for the student's own
    numbers; ``roster``: the rostered ids; ``service``: the course's grading service (its
    course keys the variants)."""
    import numpy as np

    from membranelab.bank.variants import canonical_id

    keyed = _Keyed(service, assignment)
    by_test = {pc.test_id: pc for pc in parts}
    roster = list(dict.fromkeys(roster))
    refs: dict[str, Any] = {}
    flags = []
    for student, answers in sorted(numbers.items()):
        matches: dict[str, list[str]] = {}
        for test_id, (text, value) in answers.items():
            pc = by_test[test_id]
            if test_id not in refs:
                refs[test_id] = np.array([keyed.value(s, pc.problem_id, pc.part_id)
                                          for s in roster])
            for index in np.flatnonzero(_close(refs[test_id], value)):
                other = roster[index]
                if canonical_id(other) == canonical_id(student):
                    continue
                if keyed.accepts(other, pc.problem_id, pc.part_id, text):
                    matches.setdefault(other, []).append(test_id)
        if not matches:
            continue
        other, tests = max(sorted(matches.items()), key=lambda item: len(item[1]))
        if len(tests) < MIN_COPIED:
            continue
        fractions = [_fraction(keyed, by_test[t], answers[t][1]) for t in tests]
        chance = accident_chance(fractions, len(roster) - 1)
        labels = tuple(f"{by_test[t].problem_id}/{by_test[t].part_id}" for t in tests)
        flags.append(Flag(student, "copied", labels, "flag.copied",
                          {"n": len(tests), "other": other, "student": student,
                           "chance": f"{chance:.2g}"}, other, chance))
    return flags


def flag_rows(flags: Sequence[Flag], lang: str = "en") -> list[dict[str, str]]:
    """One CSV/table row per flag: student, flag (its name in ``lang``), parts, other student,
    chance, and the sentence."""
    order = {kind: i for i, kind in enumerate(KINDS)}
    rows = []
    for flag in sorted(flags, key=lambda f: (f.student, order.get(f.kind, 99), f.key)):
        rows.append({"student": flag.student, "flag": gettext(NAMES[flag.kind], lang),
                     "parts": " ".join(flag.parts), "other_student": flag.other,
                     "chance": "" if flag.chance is None else f"{flag.chance:.2g}",
                     "detail": flag.text(lang)})
    return rows
