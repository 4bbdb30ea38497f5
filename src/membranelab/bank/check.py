"""``membranelab check``: the bank checks itself over many variants per problem.

For each problem (``check_problem``), over ``n`` students ``s00000 ...`` of the assignment
:data:`ASSIGNMENT` (so every finding names a student id that reproduces it):

* ``invariant``: every declared invariant holds in every variant, the invariants on a choice
  part's computed answer (:mod:`membranelab.bank.choice_invariants`: a direction rule agrees
  with the sign of the current) included; a problem that declares none is an error
  (``no-invariants``);
* ``boundary``: the same invariants and part checks at the grid's boundary, which random
  students rarely reach: every corner (each parameter at its lowest or highest value) and
  points on the edges (one parameter over its grid, the others at their extremes), all of them
  up to :data:`MAX_BOUNDARY` points, else an evenly spread subset (the report says which);
  points outside the constraints are no variant and are skipped;
* ``mistake``: every named mistake of a numeric part is told apart from the right answer (more
  than the part's tolerance away, and a different value at the part's significant figures);
* ``rounding``: no named mistake falls within the tolerance of the part's rounding interval
  (the answers computed from displayed values, :mod:`membranelab.bank.rounding`); the finding
  says how many more figures shown would tell them apart;
* ``choice``: every computed choice is one of the part's choices; ``why``: a choice that says
  why it is wrong is never the computed answer;
* ``canonical``: the canonical variant satisfies the constraints and the invariants;
* ``acceptance``: the share of raw grid draws the constraints accept (warning under 5 %, error
  at 0), ``distinct``: at least :data:`MIN_DISTINCT` distinct variants (grid size x acceptance);
* ``points``: every part's points > 0; ``mistake-applies``: every mistake name changes its
  part's value (:mod:`membranelab.bank.soundness`);
* ``example``: each part's kind's examples (a right, a wrong, an unreadable answer) get
  their verdicts in the first :data:`EXAMPLE_VARIANTS` students, and ``message``: every
  message id the kind describes their results with is in the catalog;
* ``domain``: a symbolic part's sampling domains tell its formula from the twins a student
  might write: the whole formula's absolute value, and each signed quantity's absolute value
  (:data:`SIGNED_SYMBOLS`).

Results are frozen values; :mod:`membranelab.app.commands.check` prints them.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import time
from collections import deque
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path

import numpy as np

from membranelab.messages import has_message
from membranelab.workers import Status, Task, WorkerPool, deferred

from .boundary import MAX_BOUNDARY, Boundary, boundary_points, describe_point
from .kinds.symbolic import SIGNED_SYMBOLS, check_formula_domains
from .model import Problem, Variant, make_variant
from .soundness import failed_constraints
from .variants import evaluate, to_si_params

__all__ = ["Finding", "ProblemReport", "Severity", "check_problem", "check_bank", "check_formula_domains",
           "acceptance_rate", "grid_size", "student_id", "ASSIGNMENT", "DEFAULT_VARIANTS",
           "MIN_DISTINCT", "MIN_ACCEPTANCE", "SIGNED_SYMBOLS", "TEMPLATES", "Boundary",
           "boundary_points", "MAX_BOUNDARY", "broken_invariants"]

logger = logging.getLogger(__name__)

#: The assignment id of the students the check draws (``show ID --student s00042
#: --assignment check`` reproduces a finding).
ASSIGNMENT = "check"
DEFAULT_VARIANTS = 2000
#: A grid must give at least this many distinct variants.
MIN_DISTINCT = 10_000
#: Constraint acceptance below this share is a warning.
MIN_ACCEPTANCE = 0.05
#: Raw draws used to measure the acceptance rate.
ACCEPTANCE_DRAWS = 20_000

#: The sentences of findings (named parameters; one place, ready for the message catalog).
TEMPLATES = {
    "invariant": "invariant {invariant!r} fails ({count} of {n} variants)",
    "mistake": "mistake {mistake!r} gives {wrong} {unit}, within the tolerance of the answer "
               "{right} {unit} ({count} of {n} variants): add a constraint excluding such variants",
    "rounding": "mistake {mistake!r} gives {wrong} {unit}, within the tolerance of the rounding "
                "interval {low} to {high} {unit} of the answer {right} {unit} (computed from "
                "displayed values; {count} of {n} variants): show the values it is computed "
                "from with {more} more figure(s), or add a constraint excluding such variants",
    "choice": "the computed answer {answer!r} is not one of the choices ({count} of {n} variants)",
    "why": "choice {choice!r} has a 'why' (shown when it is picked as wrong) but is the right "
           "answer in {count} of {n} variants",
    "canonical": "the canonical variant violates {what} {text!r}",
    "acceptance-zero": "the constraints accept none of {draws} grid draws",
    "acceptance-low": "the constraints accept only {rate:.1%} of grid draws (under {min:.0%})",
    "distinct": "the grid gives about {distinct:,} distinct variants (at least {min:,} needed)",
    "points": "points must be > 0, found {points!r}",
    "mistake-applies": "mistake {mistake!r} does not change this part's value: it cannot apply",
    "domain": "formula {formula!r}: its sampling domains cannot tell it from {twin} "
              "(widen the domain of {symbol} to both signs)",
    "error": "computing the variant failed: {error}",
    "example": "the {expect} example {answer!r} is graded {got} ({count} of {n} variants "
               "tried): the part or its answer kind does not work",
    "message": "the {expect} example {answer!r} is described by message {message!r}, which the "
               "catalog lacks ({count} of {n} variants tried)",
    "examples-missing": "its answer kind ({kind}) writes no examples: the check cannot prove the "
                        "part grades a right, a wrong and an unreadable answer",
    "no-invariants": "declares no invariants: the check verifies no physiology for it",
    "boundary": "at the grid's {place} {point}: {what}",
}

#: Variants per problem whose parts are graded on their kind's examples (each costs a few
#: gradings per part; the first students of the sample, the same every run).
EXAMPLE_VARIANTS = 12


class Severity(str, Enum):
    """How bad a finding is (a ``str``: equal to its value)."""

    ERROR = "error"      #: the bank must not be used so (``check`` exits 1)
    WARNING = "warning"  #: worth a look


@dataclass(frozen=True)
class Finding:
    """One failed check: ``level`` a :class:`Severity` (given as one or its value); ``check``
    its kind (a key of :data:`TEMPLATES`); ``part`` and ``subject`` (the invariant, mistake,
    formula...) where they apply; ``student`` a student id (assignment :data:`ASSIGNMENT`)
    reproducing it."""

    level: Severity
    problem: str
    check: str
    message: str
    part: str = ""
    subject: str = ""
    student: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "level", Severity(self.level))  # ValueError on a typo


@dataclass(frozen=True)
class ProblemReport:
    """The checks of one problem: counts measured and findings."""

    problem: str
    variants: int
    acceptance: float
    distinct: int
    seconds: float
    findings: tuple[Finding, ...] = field(default_factory=tuple)
    boundary: Boundary | None = None

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.level is Severity.WARNING)


def student_id(i: int) -> str:
    """The ``i``-th student the check draws."""
    return f"s{i:05d}"


def grid_size(problem: Problem) -> int:
    """Number of raw parameter combinations (the product of the grid sizes)."""
    return math.prod(len(p.values) for p in problem.params.values())


def acceptance_rate(problem: Problem, draws: int = ACCEPTANCE_DRAWS, seed: int = 0) -> float:
    """Share of uniform raw grid draws that satisfy the constraints."""
    if not problem.constraints:
        return 1.0
    rng = np.random.default_rng(seed)
    columns = {name: np.asarray(p.values)[rng.integers(len(p.values), size=draws)]
               for name, p in problem.params.items()}
    accepted = 0
    for k in range(draws):
        display = {name: float(col[k]) for name, col in columns.items()}
        accepted += not failed_constraints(problem, display)
    return accepted / draws


class _Tally:
    """Failures of one kind and subject: how many, and the first student and values."""

    def __init__(self) -> None:
        self.items: dict[tuple, list] = {}

    def add(self, key: tuple, student: str, **values) -> None:
        entry = self.items.setdefault(key, [0, student, values])
        entry[0] += 1


def _static_findings(problem: Problem) -> list[Finding]:
    out = []
    pid = problem.id
    for part in problem.parts:
        if not (isinstance(part.points, (int, float)) and part.points > 0):
            out.append(Finding(Severity.ERROR, pid, "points", TEMPLATES["points"].format(
                points=part.points), part=part.id))
    for part in problem.parts:
        for found in part.answer_kind.refusals(part, problem):
            out.append(Finding(Severity.ERROR, pid, found.check, TEMPLATES[found.check].format(
                **found.values), part=part.id, subject=found.subject))
    canonical = {name: p.canonical for name, p in problem.params.items()}
    for i in failed_constraints(problem, canonical):
        out.append(Finding(Severity.ERROR, pid, "canonical", TEMPLATES["canonical"].format(
            what="constraint", text=problem.constraints[i].text), subject=f"constraints[{i}]"))
    for part in problem.parts:
        for found in part.answer_kind.static_findings(part):
            out.append(Finding(Severity.ERROR, pid, found.check, TEMPLATES[found.check].format(
                **found.values), part=part.id, subject=found.subject))
    return out


def _try_examples(problem: Problem, variant, part, student: str, tally: _Tally) -> None:
    """Grade the part's kind's examples (a right, a wrong, an unreadable answer) in ``variant``;
    each verdict that is not the example's is tallied."""
    from .grade import grade_part

    for example in part.answer_kind.examples(part, variant):
        result = grade_part(problem, variant, part, example.text)
        got = example.verdict(result)
        if got != example.expect:
            tally.add(("example", part.id, example.expect), student, expect=example.expect,
                      answer=example.text, got=got)
        for key, _ in part.answer_kind.describe(result):
            if not has_message(key):
                tally.add(("message", part.id, key), student, expect=example.expect,
                          answer=example.text, message=key)


def broken_invariants(problem: Problem, variant: Variant) -> list[str]:
    """The texts of the invariants that fail in ``variant``: the comparisons over its values and
    the invariants on its choice parts' computed answers."""
    out = [inv.text for inv in problem.invariants if not inv.evaluate(variant.values)]
    out += [ci.text for ci in problem.choice_invariants
            if not ci.holds(variant.values, variant.answer(ci.part).text)]
    return out


_FAILURES = (ValueError, ArithmeticError, KeyError, TypeError, RuntimeError)


def _tally_variant(problem: Problem, variant: Variant, tally: _Tally, who: str,
                   check_parts: bool = True) -> None:
    """Add the invariants and part checks that fail in ``variant`` to ``tally`` (as ``who``)."""
    for text in broken_invariants(problem, variant):
        tally.add(("invariant", "", text), who)
    if check_parts:
        for part in problem.parts:
            for found in part.answer_kind.variant_findings(part, variant):
                tally.add((found.check, part.id, found.subject), who, **found.values)


def _variant_findings(problem: Problem, n: int) -> list[Finding]:
    pid = problem.id
    tally = _Tally()
    canonical = make_variant(problem)
    for text in broken_invariants(problem, canonical):
        tally.add(("canonical", "", text), "canonical")
    silent = [Finding(Severity.WARNING, pid, "examples", TEMPLATES["examples-missing"].format(
        kind=part.kind), part=part.id) for part in problem.parts
        if not part.answer_kind.examples(part, canonical)]
    for i in range(n):
        student = student_id(i)
        try:
            variant = make_variant(problem, student, ASSIGNMENT)
            _tally_variant(problem, variant, tally, student)
            for part in problem.parts:
                if i < EXAMPLE_VARIANTS:
                    _try_examples(problem, variant, part, student, tally)
        except _FAILURES as exc:
            logger.warning("%s: variant %s failed: %s", pid, student, exc)
            tally.add(("error", "", type(exc).__name__), student, error=f"{type(exc).__name__}: "
                      f"{exc}")
    out = []
    for (check, part, subject), (count, student, values) in tally.items.items():
        if check == "canonical":
            message = TEMPLATES["canonical"].format(what="invariant", text=subject)
        elif check == "invariant":
            message = TEMPLATES["invariant"].format(invariant=subject, count=count, n=n)
        elif check == "error":
            message = TEMPLATES["error"].format(error=values["error"])
        elif check in ("example", "message"):
            message = TEMPLATES[check].format(**values, count=count,
                                                  n=min(n, EXAMPLE_VARIANTS))
        else:  # a part's finding (its answer kind's): the template takes its values
            message = TEMPLATES[check].format(**values, count=count, n=n)
        out.append(Finding(Severity.ERROR, pid, check, message, part=part, subject=subject,
                           student=student))
    return out + silent


def _boundary_findings(problem: Problem, limit: int) -> tuple[list[Finding], Boundary]:
    """The invariants and part checks at the grid's corners and edges."""
    points, counts = boundary_points(problem, limit)
    tally = _Tally()
    outside = 0
    for place, display in points:
        if failed_constraints(problem, display):
            outside += 1
            continue
        where = f"{place}: {describe_point(problem, display)}"
        try:
            values, _ = evaluate(problem, to_si_params(problem, display))
            variant = Variant(problem=problem, key=place, params=display, values=values)
            _tally_variant(problem, variant, tally, where)
        except _FAILURES as exc:
            tally.add(("error", "", type(exc).__name__), where,
                      error=f"{type(exc).__name__}: {exc}")
    out = []
    inside = len(points) - outside
    for (check, part, subject), (count, where, values) in tally.items.items():
        if check == "invariant":
            what = TEMPLATES["invariant"].format(invariant=subject, count=count, n=inside)
        elif check == "error":
            what = TEMPLATES["error"].format(error=values["error"])
        else:
            what = TEMPLATES[check].format(**values, count=count, n=inside)
        place, point = where.split(": ", 1)
        out.append(Finding(Severity.ERROR, problem.id, "boundary", TEMPLATES["boundary"].format(
            place=place, point=point, what=what), part=part, subject=subject))
    return out, dataclasses.replace(counts, outside=outside)


def check_problem(problem: Problem, n: int = DEFAULT_VARIANTS, *,
                  boundary: int = MAX_BOUNDARY) -> ProblemReport:
    """Every check of one problem over ``n`` students and at most ``boundary`` points of the
    grid's boundary (see the module docstring)."""
    start = time.perf_counter()
    findings = _static_findings(problem)
    if not problem.invariants and not problem.choice_invariants:
        findings.append(Finding(Severity.ERROR, problem.id, "no-invariants",
                                TEMPLATES["no-invariants"]))
    rate = acceptance_rate(problem)
    distinct = int(grid_size(problem) * rate)
    edge = None
    if rate == 0:
        findings.append(Finding(Severity.ERROR, problem.id, "acceptance", TEMPLATES[
            "acceptance-zero"].format(draws=ACCEPTANCE_DRAWS)))
    else:
        if rate < MIN_ACCEPTANCE:
            findings.append(Finding(Severity.WARNING, problem.id, "acceptance", TEMPLATES[
                "acceptance-low"].format(rate=rate, min=MIN_ACCEPTANCE)))
        findings.extend(_variant_findings(problem, n))
        if boundary > 0:
            found, edge = _boundary_findings(problem, boundary)
            findings.extend(found)
    if distinct < MIN_DISTINCT:
        findings.append(Finding(Severity.ERROR, problem.id, "distinct", TEMPLATES["distinct"].format(
            distinct=distinct, min=MIN_DISTINCT)))
    return ProblemReport(problem.id, n, rate, distinct, time.perf_counter() - start,
                         tuple(findings), edge)


_BANK: dict[str, object] = {}


def _open(root: str) -> None:
    """Worker initializer: load the bank once per process."""
    from .load import load_bank

    _BANK["bank"] = load_bank(root)


def _check_one(problem_id: str, n: int, boundary: int) -> ProblemReport:
    """Worker request: check one problem of the bank the worker loaded."""
    return check_problem(_BANK["bank"][problem_id], n, boundary=boundary)  # type: ignore[index]


def check_bank(bank, n: int = DEFAULT_VARIANTS, *, jobs: int = 1,
               ids: Iterable[str] | None = None, boundary: int = MAX_BOUNDARY
               ) -> list[ProblemReport]:
    """``check_problem`` for every problem of ``bank`` (or ``ids``), in ``jobs`` worker
    processes (:mod:`membranelab.workers`; Ctrl-C or SIGTERM stops them at once)."""
    wanted: Sequence[str] = list(ids) if ids is not None else [p.id for p in bank.ordered()]
    if jobs <= 1 or len(wanted) <= 1:
        return [check_problem(bank[pid], n, boundary=boundary) for pid in wanted]
    # the most expensive problems first, so the pool ends together
    cost = {pid: len(bank[pid].derived) * (1 + sum(len(p.answer_kind.named_mistakes()) for p in bank[pid].parts))
            for pid in wanted}
    order = sorted(wanted, key=lambda pid: -cost[pid])
    queue = deque(Task(pid, _check_one, (pid, n, boundary), math.inf) for pid in order)
    reports: dict[str, ProblemReport] = {}
    with deferred(), WorkerPool(jobs, initializer=_open, initargs=(str(Path(bank.root)),),
                                spares=0) as pool:
        for done in pool.map(queue):
            if done.status is not Status.DONE:
                raise RuntimeError(f"checking {done.key} failed in its worker process: "
                                   f"{done.status.value} {done.detail} {done.incident}".strip())
            reports[str(done.key)] = done.value
    return [reports[pid] for pid in wanted]
