"""Generate the nbgrader source notebooks of ``course/`` from the bank.

``build_course(course_dir, bank)`` writes ``source/<assignment>/<assignment>.ipynb`` for every
assignment of ``course_dir/assignments.yaml``; ``check_course_drift(course_dir, bank)`` lists the
differences between those files and what the bank would generate now (empty when in sync).

Per problem a notebook holds, in order (all cells but the answers are locked, i.e. restored by
``nbgrader autograde`` if a student edits them):

* a Markdown heading with the problem's title and points;
* a display cell, ``show_variant(assignment, problem)``: the statement with this student's numbers;
* per part: the prompt (Markdown; a locked display cell, :func:`membranelab.student.show_part`,
  when the prompt holds ``{{placeholders}}``, so it shows this student's numbers), an answer cell
  (nbgrader solution cell; a pre-filled line names the variable, the part and its unit, and the
  student types the answer as text between quotes, ``p4_E_K = "-95 mV"``, or under the prompt's
  own name, ``E_K = "-95 mV"``), and an autograder test cell worth the part's points whose last
  expression is :func:`membranelab.student.check`'s score in ``[0, points]`` (nbgrader 0.9.6 takes
  it as the cell's partial credit; more than the cell's points would fail the whole notebook, so
  the cell passes its own points to ``check``).

The JSON is deterministic (cell ids derived from grade ids, keys sorted, no timestamps), so a
drift test can compare bytes.
"""

from __future__ import annotations

import hashlib
import json
import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from membranelab.atomic import atomic_write_text
from membranelab.bank.render import build, part_letter
from membranelab.bank.render.formats.notebook import graded_prompt, points_phrase
from membranelab.bank.template import PLACEHOLDER
from membranelab.messages import gettext
from membranelab.service.assignments import Assignment, load_assignments, load_settings
from membranelab.service.released import NUMBERS_FILE, numbers_json

__all__ = ["PartCells", "answer_marker", "assignment_notebook", "build_course", "check_course_drift",
           "part_cells", "prompt_name", "render_course"]

ASSIGNMENTS_FILE = "assignments.yaml"
SOURCE_DIR = "source"
KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
_CELL_ID = re.compile(r"[^A-Za-z0-9_-]")


def _cell_id(grade_id: str) -> str:
    """A valid nbformat 4.5 cell id (<= 64 characters of [A-Za-z0-9_-]) for a grade id."""
    cid = _CELL_ID.sub("-", grade_id)
    if len(cid) > 64:
        cid = cid[:55] + "-" + hashlib.sha256(grade_id.encode()).hexdigest()[:8]
    return cid


def _meta(grade_id: str, *, solution=False, grade=False, locked=True, points=None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def _markdown(grade_id: str, text: str):
    import nbformat  # not at import: course grade's workers read PartCells and never build

    cell = nbformat.v4.new_markdown_cell(text, metadata=_meta(grade_id))
    cell["id"] = _cell_id(grade_id)
    return cell


def _code(grade_id: str, source: str, **meta):
    import nbformat

    cell = nbformat.v4.new_code_cell(source, metadata=_meta(grade_id, **meta))
    cell["id"] = _cell_id(grade_id)
    return cell


def _points(value: float) -> float | int:
    value = float(value)
    return int(value) if value.is_integer() else value


def prompt_name(part_id: str) -> str:
    """The Python name a prompt's part id reads as (``E_K``; ``ans_1`` for ``1``)."""
    name = re.sub(r"\W", "_", part_id)
    if not name or name[0].isdigit() or keyword.iskeyword(name):
        name = f"ans_{name}"
    return name


def answer_variable(part_id: str, problem_index: int, taken: set[str]) -> str:
    """A Python name for a part's answer: the part id when free, else prefixed ``p<n>_``."""
    name = prompt_name(part_id)
    if name in taken:
        name = f"p{problem_index}_{name}"
    taken.add(name)
    return name


def _intro(assignment: Assignment, total: float) -> str:
    lang = assignment.lang
    return (gettext("course.intro", lang, title=assignment.title, id=assignment.id,
                    points=points_phrase(total, lang))
            + (gettext("course.graded_note", lang) if assignment.graded else ""))


def _problem_heading(index: int, problem, lang: str = "en") -> str:
    total = sum(float(p.points) for p in problem.parts)
    parts = ", ".join(f"`{p.id}`" for p in problem.parts)
    return gettext("course.problem_heading", lang, index=index, title=problem.title,
                   points=points_phrase(total, lang), parts=parts)


def _literal(text: str) -> str:
    """A Python string literal of ``text`` in double quotes (Chinese kept readable)."""
    return json.dumps(text, ensure_ascii=False)


def answer_marker(pc: PartCells) -> str:
    """The first line of a part's answer cell, which :func:`membranelab.student.answer_in` looks
    for to read the prompt's own name in that cell."""
    return f"# Answer to {pc.problem_id} ({pc.letter}) {pc.part_id}"


def _answer_source(pc: PartCells, part, shown, aid: str, graded: bool = False,
                   lang: str = "en") -> str:
    """A part's answer cell (``shown``: the part as rendered, for its unit)."""
    unit = f", in {shown.unit}" if shown.unit else ""
    also = (gettext("course.also_name", lang, name=pc.name) if pc.name != pc.variable else "")
    named = f"  # {pc.part_id}{unit}" if (unit or also) else ""
    # the marker (first line, up to the unit) is read by student.answer_in: never translated
    return (f"{answer_marker(pc)}{unit}: {part.how_to_answer(lang=lang)}.\n"
            f"# {gettext('course.between_quotes', lang, also=also)}\n"
            f'{pc.variable} = ""{named}\n'
            "### BEGIN SOLUTION\n"
            + (f"# {gettext('course.graded_solution', lang)}\n" if graded else
               "from membranelab.course.key import answer_text\n"
               f"{pc.variable} = answer_text({aid!r}, {pc.problem_id!r}, {pc.part_id!r})\n")
            + "### END SOLUTION")


def _answer_expr(pc: PartCells) -> str:
    """The test cell's expression for the student's answer."""
    if pc.name == pc.variable:
        return f"globals().get({pc.variable!r})"
    return f"answer_in(globals(), {pc.variable!r}, {pc.name!r}, {answer_marker(pc)!r})"


@dataclass(frozen=True)
class PartCells:
    """Where one part lives in an assignment notebook: its cells' grade ids and answer variable."""

    problem_id: str
    part_id: str
    letter: str
    variable: str
    points: float
    answer_id: str
    test_id: str

    @property
    def name(self) -> str:
        """The prompt's own name for the answer (``E_K``), accepted in the answer cell too."""
        return prompt_name(self.part_id)

    @property
    def names(self) -> tuple[str, ...]:
        """The names the answer may be assigned to in its cell (pre-filled variable first)."""
        return (self.variable,) if self.name == self.variable else (self.variable, self.name)


def part_cells(assignment: Assignment, bank) -> list[PartCells]:
    """Every part of ``assignment`` in notebook order, with its grade ids and answer variable."""
    out = []
    taken: set[str] = set()
    for index, pid in enumerate(assignment.problems, start=1):
        for k, part in enumerate(bank.problems[pid].parts):
            out.append(PartCells(
                problem_id=pid, part_id=part.id,
                letter=part_letter(k),
                variable=answer_variable(part.id, index, taken), points=float(part.points),
                answer_id=f"{pid}-{part.id}-answer", test_id=f"{pid}-{part.id}-test"))
    return out


def _test_source(pc: PartCells, part, assignment: Assignment) -> str:
    """A part's autograder test cell.  Graded course: it only reads the answer back; the grade,
    the feedback and the worked solution come from ``membranelab course grade``, which runs no
    student code and writes them into this cell's output in ``autograded/``."""
    aid, pid, lang = assignment.id, pc.problem_id, assignment.lang
    header = "# " + gettext("course.test_comment", lang, letter=pc.letter, part=part.id,
                            points=points_phrase(part.points, lang)) + "\n"
    answer = _answer_expr(pc)
    names = "check" if pc.name == pc.variable else "answer_in, check"
    language = f", lang={lang!r}" if lang != "en" else ""  # English notebooks stay as they were
    options = f"points={_points(part.points)}, feedback={assignment.feedback!r}{language}"
    if not assignment.graded:
        return (f"{header}from membranelab.student import {names}\n"
                f"check({aid!r}, {pid!r}, {part.id!r},\n      {answer},\n      {options})")
    reader = "read_back" if pc.name == pc.variable else "answer_in, read_back"
    return (f"{header}# {gettext('course.graded_comment', lang)}\n"
            f"from membranelab.student import {reader}\n"
            f"read_back({aid!r}, {pid!r}, {part.id!r}, {answer}{language})")


def assignment_notebook(assignment: Assignment, bank) -> Any:
    """The nbgrader source notebook of one assignment (instructor version, with solutions; an
    ``nbformat.NotebookNode``)."""
    import nbformat

    aid, lang = assignment.id, assignment.lang
    # the problems in the course's language (same parts, points and numbers as the original)
    problems = [bank.problems[pid].localized(lang) for pid in assignment.problems]
    language = f", lang={lang!r}" if lang != "en" else ""  # English notebooks stay as they were
    total = sum(float(part.points) for problem in problems for part in problem.parts)
    graded = ", graded=True" if assignment.graded else ""
    cells = [
        _markdown(f"{aid}-intro", _intro(assignment, total)),
        _code(f"{aid}-whoami",
              "from membranelab.student import current_student\n"
              f"print({_literal(gettext('course.whoami', lang))}, current_student() or "
              f"{_literal(gettext('course.whoami_unset', lang))})"),
    ]
    where = {(pc.problem_id, pc.part_id): pc for pc in part_cells(assignment, bank)}
    for index, problem in enumerate(problems, start=1):
        pid = problem.id
        cells.append(_markdown(f"{pid}-heading", _problem_heading(index, problem, lang)))
        cells.append(_code(f"{pid}-statement",
                           "from membranelab.student import show_variant\n"
                           f"show_variant({aid!r}, {pid!r}{graded}{language})"))
        view = build(problem.variant("canonical"))  # prompts without numbers, units, options
        for k, part in enumerate(problem.parts):
            pc, shown = where[(pid, part.id)], view.parts[k]
            if PLACEHOLDER.search(part.prompt):  # this student's numbers: shown by the kernel
                cells.append(_code(f"{pid}-{part.id}-prompt",
                                   "from membranelab.student import show_part\n"
                                   f"show_part({aid!r}, {pid!r}, {part.id!r}{graded}{language})"))
            else:
                cells.append(_markdown(f"{pid}-{part.id}-prompt", graded_prompt(shown, lang)))
            cells.append(_code(pc.answer_id,
                               _answer_source(pc, part, shown, aid, assignment.graded, lang),
                               solution=True, locked=False))
            cells.append(_code(pc.test_id,
                               _test_source(pc, part, assignment),
                               grade=True, points=_points(part.points)))
    nb = nbformat.v4.new_notebook(cells=cells)
    nb.nbformat, nb.nbformat_minor = 4, 5
    meta: dict[str, Any] = {"assignment": aid, "problems": list(assignment.problems)}
    if assignment.graded:
        meta["graded"] = True
    if lang != "en":
        meta["lang"] = lang
    nb.metadata = {"kernelspec": dict(KERNELSPEC), "language_info": {"name": "python"},
                   "membranelab": meta}
    return nb


def _notebook_path(course_dir: Path, assignment: Assignment) -> Path:
    return course_dir / SOURCE_DIR / assignment.id / assignment.notebook


def render_course(course_dir: str | Path, bank) -> dict[Path, str]:
    """Path -> file text for every assignment: its notebook and, in a graded course, the numbers
    released with it (nothing written; a graded course needs its secret and roster)."""
    import nbformat

    course_dir = Path(course_dir)
    assignments = load_assignments(course_dir / ASSIGNMENTS_FILE, bank.problems)
    out = {}
    secret: bytes | None = None
    students: tuple[str, ...] = ()
    for assignment in assignments:
        nb = assignment_notebook(assignment, bank)
        nbformat.validate(nb)
        path = _notebook_path(course_dir, assignment)
        out[path] = nbformat.writes(nb) + "\n"
        if assignment.graded:
            if secret is None:
                from membranelab.service.secret import load_secret

                secret = load_secret(course_dir)
                students = load_settings(course_dir / ASSIGNMENTS_FILE).students()
            out[path.parent / NUMBERS_FILE] = numbers_json(
                assignment, bank, students, _key_function(secret, assignment.id))
    return out


def _key_function(secret: bytes, assignment: str):
    """student id -> that student's key in ``assignment`` (graded course)."""
    from membranelab.service.secret import student_key

    return lambda student: student_key(secret, assignment, student)


def build_course(course_dir: str | Path, bank) -> list[Path]:
    """Write ``source/<a>/<a>.ipynb`` for each assignment; return the paths written (sorted)."""
    written = []
    for path, text in render_course(course_dir, bank).items():
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            atomic_write_text(path, text)
        written.append(path)
    return sorted(written)


def check_course_drift(course_dir: str | Path, bank) -> list[str]:
    """Messages naming each source notebook that differs from a fresh build (empty: in sync)."""
    course_dir = Path(course_dir)
    expected = render_course(course_dir, bank)
    problems = []
    for path, text in sorted(expected.items()):
        rel = path.relative_to(course_dir)
        if not path.exists():
            problems.append(f"{rel}: missing; run `membranelab course build`")
        elif path.read_text(encoding="utf-8") != text:
            problems.append(f"{rel}: differs from the bank; run `membranelab course build`")
    source = course_dir / SOURCE_DIR
    if source.is_dir():
        for path in sorted([*source.glob("*/*.ipynb"), *source.glob(f"*/{NUMBERS_FILE}")]):
            if path not in expected:
                problems.append(f"{path.relative_to(course_dir)}: not generated from "
                                f"{ASSIGNMENTS_FILE}; delete it or add the assignment")
    return problems
