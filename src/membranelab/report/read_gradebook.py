"""Read an nbgrader gradebook (a course's ``gradebook.db``) into records, read-only.

A course built by ``membranelab course build`` has one nbgrader grade cell per part, named
``<problem>-<part>-test`` (the hidden test that grades it; ``membranelab.course.build``); its
score, after ``nbgrader autograde`` and any manual grading, is the part's grade of record.  The
tables are reflected with SQLAlchemy (no import of nbgrader or of the course front end)::

    grade               cell_id, notebook_id, auto_score, manual_score, extra_credit,
                        needs_manual_grade
    base_cell           id, name                  grade_cells  id, max_score
    submitted_notebook  id, assignment_id, flagged
    submitted_assignment id, assignment_id, student_id        assignment  id, name

The score is nbgrader's: the manual score when set, else the automatic one, plus extra credit
(``nbgrader.api.Grade.score``).  Each grade is read back into the grading service's result model
(:func:`membranelab.service.stored.stored_verdict`, one try) and made a record by
:func:`.from_service.record_from_verdicts`, as every reader's rows are.  A grade that still needs manual grading has the note
``needs_review``; a student whose notebook a grader flagged gets the flag ``flagged``.  A
gradebook holds no notes of named mistakes, no answers and no hints: those columns stay empty,
so a course's report has the scores, the statistics and the flags, and no mistakes or options.
Grade cells not named ``...-test`` are read with the whole name as the problem and an empty part.
The problem and the part are split at the last hyphen (part ids of the bank have none).  Parts
are in the order nbgrader recorded their cells (the notebook's; a gradebook is an SQLite file).
"""

from __future__ import annotations

import os
from pathlib import Path

from .from_service import record_from_verdicts
from .model import GRADEBOOK, PartRecord, ReportInputError
from .read_csv import ChoiceOf
from .read_db import database_url

__all__ = ["GRADEBOOK", "TEST_SUFFIX", "read_gradebook", "split_cell"]
#: The suffix of a part's grade cell.
TEST_SUFFIX = "-test"
_TABLES = ("grade", "base_cell", "grade_cells", "submitted_notebook", "submitted_assignment",
           "assignment")


def split_cell(name: str) -> tuple[str, str]:
    """``nernst-potassium-E_K-test`` -> (``nernst-potassium``, ``E_K``)."""
    if not name.endswith(TEST_SUFFIX):
        return name, ""
    problem, _, part = name[: -len(TEST_SUFFIX)].rpartition("-")
    return (problem, part) if problem else (part, "")


def read_gradebook(source: str | os.PathLike[str], choice_of: ChoiceOf | None = None
                   ) -> list[PartRecord]:
    """The records of a gradebook file, or of the ``gradebook.db`` of a course directory
    (``choice_of`` is unused: a gradebook holds no answers)."""
    from sqlalchemy import MetaData, create_engine, literal_column, select
    from sqlalchemy.exc import SQLAlchemyError

    from membranelab.service.stored import stored_verdict

    del choice_of
    path = Path(source)
    if path.is_dir():
        path = path / GRADEBOOK
    if not path.is_file():
        raise ReportInputError("report.error.no_file", path=str(path))
    engine = create_engine(database_url(path))
    try:
        meta = MetaData()
        meta.reflect(engine, only=lambda name, _: name in _TABLES)
        if set(_TABLES) - set(meta.tables):
            raise ReportInputError("report.error.not_gradebook", source=str(path))
        t = meta.tables
        g, cell, gc = t["grade"], t["base_cell"], t["grade_cells"]
        nb, sub, asg = t["submitted_notebook"], t["submitted_assignment"], t["assignment"]
        query = (select(sub.c.student_id, asg.c.name, cell.c.name, gc.c.max_score,
                        g.c.auto_score, g.c.manual_score, g.c.extra_credit,
                        g.c.needs_manual_grade, nb.c.flagged)
                 .select_from(g.join(gc, g.c.cell_id == gc.c.id)
                              .join(cell, gc.c.id == cell.c.id)
                              .join(nb, g.c.notebook_id == nb.c.id)
                              .join(sub, nb.c.assignment_id == sub.c.id)
                              .join(asg, sub.c.assignment_id == asg.c.id))
                 # base_cell rows are inserted in notebook order: the parts keep the notebook's
                 .order_by(asg.c.name, sub.c.student_id, literal_column("base_cell.rowid")))
        with engine.connect() as conn:
            rows = conn.execute(query).all()
    except SQLAlchemyError as exc:
        raise ReportInputError("report.error.database", source=str(path),
                               reason=str(exc).splitlines()[0]) from None
    finally:
        engine.dispose()
    records = []
    for student, assignment, name, max_score, auto, manual, extra, manual_needed, flagged in rows:
        given = manual if manual is not None else auto
        score = (float(given) if given is not None else 0.0) + float(extra or 0.0)
        problem, part = split_cell(name)
        undecided = bool(manual_needed) and manual is None
        verdict = stored_verdict(
            student=student, assignment=assignment, problem=problem, part=part, answer="",
            earned=max(score, 0.0), points=float(max_score or 0.0), correct=False,
            note="needs_review" if undecided else "")
        records.append(record_from_verdicts([verdict], flags=("flagged",) if flagged else ()))
    return records
