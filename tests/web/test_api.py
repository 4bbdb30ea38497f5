"""POST /api/grade: the grading service (self-study server: no token; full feedback)."""

from __future__ import annotations

from .test_selfstudy import E_K_LOG10_MV, E_K_MV


def _grade(client, **fields):
    body = {"problem": "nernst-potassium", "part": "E_K", "student": "",
            "assignment": "practice", "answer": f"{E_K_MV:.1f} mV"}
    body.update(fields)
    return client.post("/api/grade", json=body)


def test_right_answer(study):
    """The README's example: the canonical E_K graded right, full score, nothing recorded."""
    reply = _grade(study)
    assert reply.status_code == 200
    data = reply.json()
    assert data["correct"] is True and data["score"] == 1.0 and data["points"] == 1.0
    assert data["level"] == "full" and data["student"] == ""
    assert study.app.state.web.study.score(study.app.state.web.problems) == (0.0, 0.0)


def test_named_mistake(study):
    """log10 for ln: score 0 and the mistake's note."""
    data = _grade(study, answer=f"{E_K_LOG10_MV:.1f} mV").json()
    assert data["correct"] is False and data["note"] == "mistake.log10"


def test_the_student_field_picks_the_variant(study):
    """The canonical answer is wrong for another student's variant."""
    assert _grade(study, student="zoe").json()["correct"] is False


def test_refusals(study):
    """Unknown ids, missing fields, non-JSON bodies, oversized answers: clear 4xx errors."""
    assert _grade(study, problem="nope").status_code == 404
    assert _grade(study, part="nope").status_code == 404
    assert _grade(study, answer=None).status_code == 400
    assert _grade(study, answer="1" * 2001).status_code == 413
    assert _grade(study, student="x" * 201).status_code == 400
    form = study.post("/api/grade", data={"problem": "nernst-potassium"})
    assert form.status_code == 400 and "JSON" in form.json()["error"]
    assert study.get("/api/grade").status_code == 405
