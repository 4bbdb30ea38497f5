"""``regrade --class-db`` scores each recorded try by the scoring policy in the order the tries
came: a choice's second try earns nothing (a class database kept from before the policy held
it as full credit), and a right fourth try taken within a class's 5 tries keeps its credit (the
limit is not applied again: the server took the try within it)."""

from __future__ import annotations

import math
import time

from membranelab.bank import load_bank
from membranelab.service import GradeRequest, GradingService
from membranelab.web.db import ClassDB, Submission
from membranelab.web.regrade import regrade_class

R, F = 8.314462618, 96485.33212  # SI 2019
PROBLEM, STUDENT = "nernst-potassium", "alice"


def _sub(n: int, part: str, answer: str, score: float, correct: bool, note: str
         ) -> Submission:
    return Submission(uid=f"u{n:04d}", student=STUDENT, assignment="practice", problem=PROBLEM,
                      part=part, seq=0, answer=answer, score=score, weight=1.0,
                      correct=correct, note=note, feedback="", level="named", counted=True,
                      created=time.time())


def test_replayed_in_order(tmp_path):
    bank = load_bank()
    p = bank.problems[PROBLEM].variant(STUDENT, "practice").params
    e_k = R * (p["T"] + 273.15) / F * math.log(p["K_out"] / p["K_in"]) * 1000  # by hand
    right = "out of the cell" if p["V_rest"] > e_k else "into the cell"
    wrong = "into the cell" if right == "out of the cell" else "out of the cell"
    db = ClassDB(f"sqlite:///{tmp_path / 'old.db'}")
    try:
        rows = [("direction", wrong, 0.0, False), ("direction", right, 1.0, True)]
        rows += [("E_K", f"{e_k + 10 + n:.2f} mV", 0.0, False) for n in range(3)]
        rows += [("E_K", f"{e_k:.2f} mV", 1.0, True)]
        service = GradingService(bank)
        for n, (part, answer, score, correct) in enumerate(rows):
            note = service.grade(GradeRequest(PROBLEM, part, answer, STUDENT)).note
            db.record(_sub(n, part, answer, score, correct, note), 5)
        changes, same = regrade_class(db, GradingService(bank))
    finally:
        db.close()
    assert [(c.submission.part, c.submission.answer, c.score) for c in changes] == [
        ("direction", right, 0.0)]
    assert same == 5
