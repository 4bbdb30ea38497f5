"""membranelab.student: the id in force, the displayed variant, and check() that never raises."""

from __future__ import annotations

import math

import pytest

import membranelab.student as student
from membranelab.bank import load_bank

from .submissions import HOSTILE

ASSIGNMENT = "ps-test"


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch):
    for name in ("MEMBRANELAB_STUDENT", "JUPYTERHUB_USER", "MEMBRANELAB_BANK"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def problem():
    bank = load_bank()
    return bank.problems["nernst-potassium"]


def _right(problem, sid: str, part_id: str) -> str:
    answer = problem.variant(sid, ASSIGNMENT).answers()[part_id]
    return f"{answer.text} {answer.unit}" if answer.kind == "numeric" else answer.text


class TestCurrentStudent:
    def test_none_without_variables(self):
        """Neither variable set: no id (the OS login is never used)."""
        assert student.current_student() is None

    def test_hub_user(self, monkeypatch):
        """JUPYTERHUB_USER is used when MEMBRANELAB_STUDENT is not set."""
        monkeypatch.setenv("JUPYTERHUB_USER", "hubby")
        assert student.current_student() == "hubby"

    def test_explicit_id_wins(self, monkeypatch):
        """MEMBRANELAB_STUDENT wins over JUPYTERHUB_USER."""
        monkeypatch.setenv("JUPYTERHUB_USER", "hubby")
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        assert student.current_student() == "alice"

    def test_blank_is_none(self, monkeypatch):
        """A blank value counts as not set."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "  ")
        assert student.current_student() is None


class TestSetStudent:
    def test_sets_the_id(self, capsys):
        """set_student makes the id current and says so."""
        student.set_student(" lena ")
        assert student.current_student() == "lena"
        assert "lena" in capsys.readouterr().out

    @pytest.mark.parametrize("bad", ["", "   ", None, 42])
    def test_rejects_empty_or_non_text(self, bad):
        """An empty or non-text id raises ValueError naming the value."""
        with pytest.raises(ValueError, match="non-empty text id"):
            student.set_student(bad)


class TestShowVariant:
    def test_without_id_asks_for_set_student(self, capsys):
        """No id: no numbers, and the message says how to set one."""
        student.show_variant(ASSIGNMENT, "nernst-potassium")
        out = capsys.readouterr().out
        assert "set_student(" in out and "mM" not in out

    def test_shows_own_numbers(self, monkeypatch, capsys, problem):
        """With an id, the statement shows that student's own parameter values."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        student.show_variant(ASSIGNMENT, "nernst-potassium")
        out = capsys.readouterr().out
        assert "Numbers for student 'alice'" in out
        k_in = problem.params["K_in"].display(problem.variant("alice", ASSIGNMENT).params["K_in"])
        assert k_in in out


class TestCheck:
    def test_right_answer_scores_the_part_points(self, monkeypatch, capsys, problem):
        """The student's own right answer earns the part's points, with the grader's feedback."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        score = student.check(ASSIGNMENT, "nernst-potassium", "E_K",
                              _right(problem, "alice", "E_K"))
        assert score == pytest.approx(problem.part("E_K").points)
        assert "Correct" in capsys.readouterr().out

    def test_someone_elses_answer_scores_zero(self, monkeypatch, problem):
        """Another student's right answer is wrong for this student's numbers."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "bob")
        alice, bob = _right(problem, "alice", "E_K"), _right(problem, "bob", "E_K")
        assert alice != bob
        assert student.check(ASSIGNMENT, "nernst-potassium", "E_K", alice) == 0

    def test_no_id_scores_zero_with_message(self, capsys, problem):
        """Without an id nothing can be checked: 0 and the set_student instructions."""
        assert student.check(ASSIGNMENT, "nernst-potassium", "E_K", "-90 mV") == 0
        assert "set_student(" in capsys.readouterr().out

    @pytest.mark.parametrize("answer", ["", "   ", None])
    def test_empty_answer_scores_zero(self, monkeypatch, capsys, answer):
        """The release cell's empty answer scores zero and says there is no answer yet."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        assert student.check(ASSIGNMENT, "nernst-potassium", "E_K", answer) == 0
        assert "no answer yet" in capsys.readouterr().out

    @pytest.mark.parametrize("answer", HOSTILE, ids=range(len(HOSTILE)))
    def test_hostile_text_scores_zero_without_stderr(self, monkeypatch, capfd, answer):
        """Hostile text: 0 points, a message on stdout, nothing on stderr (nbgrader would give 0
        to the whole cell), and no exception."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        for part in ("E_K", "formula", "direction"):
            score = student.check(ASSIGNMENT, "nernst-potassium", part, answer)
            assert score == 0 and isinstance(score, float)
        out, err = capfd.readouterr()
        assert err == "" and "points]" in out

    def test_unprintable_object_scores_zero(self, monkeypatch, capsys):
        """An answer whose text cannot be made scores zero with a message."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")

        class Answer:
            def __str__(self):
                raise RuntimeError("nope")

        assert student.check(ASSIGNMENT, "nernst-potassium", "E_K", Answer()) == 0
        assert "could not be read as text" in capsys.readouterr().out

    def test_number_is_read_as_text(self, monkeypatch, problem):
        """A bare number is graded like its text (here: right value, missing unit)."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        value = problem.variant("alice", ASSIGNMENT).answers()["E_K"].value
        score = student.check(ASSIGNMENT, "nernst-potassium", "E_K", value)
        assert 0 <= score <= problem.part("E_K").points

    def test_unknown_part_scores_zero(self, monkeypatch, capsys):
        """A wrong part or problem id (a broken course) is 0 with a message for the teacher."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        assert student.check(ASSIGNMENT, "nernst-potassium", "nope", "1 mV") == 0
        assert student.check(ASSIGNMENT, "no-such-problem", "E_K", "1 mV") == 0
        assert capsys.readouterr().out.count("tell your teacher") == 2

    def test_cell_points_cap_the_score(self, monkeypatch, problem):
        """With the cell's own points, a right answer earns exactly those, whatever the bank
        says (a bank edited after the release cannot break nbgrader's maximum)."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        right = _right(problem, "alice", "E_K")
        assert student.check(ASSIGNMENT, "nernst-potassium", "E_K", right, points=0.5) == 0.5
        assert student.check(ASSIGNMENT, "nernst-potassium", "E_K", right, points=3) == 3
        bad = student.check(ASSIGNMENT, "nernst-potassium", "E_K", right, points="x")
        assert bad == pytest.approx(problem.part("E_K").points)

    def test_score_never_exceeds_points(self, monkeypatch, problem):
        """Whatever the answer, the score is finite and within [0, points]."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        for part in problem.parts:
            for answer in (_right(problem, "alice", part.id), "1", "-90 V", "depolarises"):
                score = student.check(ASSIGNMENT, "nernst-potassium", part.id, answer)
                assert math.isfinite(score) and 0 <= score <= part.points


class TestAnswerIn:
    """answer_in reads the part's own answer cell: the pre-filled variable or the prompt's name."""

    MARKER = "# Answer to nernst-doc000-table (a) E_K"

    def _ns(self, *inputs, **values):
        return {"In": ["", *inputs], **values}

    def test_prompt_name_in_the_answer_cell(self):
        """E_K typed in the answer cell (pre-filled p4_E_K left empty) is the answer, even when
        an earlier problem's E_K is still in the namespace."""
        cell = f'{self.MARKER}, in mV\np4_E_K = ""\nE_K = "-97.9 mV"'
        ns = self._ns('E_K = "-95 mV"', cell, "check(...)", p4_E_K="", E_K="-97.9 mV")
        assert student.answer_in(ns, "p4_E_K", "E_K", self.MARKER) == "-97.9 mV"

    def test_prefilled_variable(self):
        """The pre-filled variable, when it is what the cell sets last."""
        cell = f'{self.MARKER}\np4_E_K = "-97.9 mV"'
        ns = self._ns(cell, p4_E_K="-97.9 mV", E_K="-95 mV")
        assert student.answer_in(ns, "p4_E_K", "E_K", self.MARKER) == "-97.9 mV"

    def test_other_problems_name_is_not_taken(self):
        """A cell that does not set either name leaves the (empty) pre-filled variable: the
        other problem's E_K is never graded here."""
        ns = self._ns('E_K = "-95 mV"', f'{self.MARKER}\np4_E_K = ""', p4_E_K="", E_K="-95 mV")
        assert student.answer_in(ns, "p4_E_K", "E_K", self.MARKER) == ""

    def test_computed_value_comes_from_the_namespace(self):
        """An expression assigned in the cell gives the value the cell left behind."""
        cell = f"{self.MARKER}\nE_K = str(-97.9) + ' mV'"
        ns = self._ns(cell, p4_E_K="", E_K="-97.9 mV")
        assert student.answer_in(ns, "p4_E_K", "E_K", self.MARKER) == "-97.9 mV"

    def test_latest_run_of_the_cell_wins(self):
        """The most recent run of the answer cell is the one read."""
        ns = self._ns(f'{self.MARKER}\nE_K = "1 mV"', f'{self.MARKER}\nE_K = "2 mV"',
                      p4_E_K="", E_K="2 mV")
        assert student.answer_in(ns, "p4_E_K", "E_K", self.MARKER) == "2 mV"

    def test_without_history_the_variable(self):
        """Outside IPython (no In), the pre-filled variable is used."""
        assert student.answer_in({"p4_E_K": "x"}, "p4_E_K", "E_K", self.MARKER) == "x"


class TestShowPart:
    def test_prompt_has_the_students_numbers(self, monkeypatch, capsys, problem):
        """show_part prints the part's prompt with this student's V_rest, no placeholder."""
        monkeypatch.setenv("MEMBRANELAB_STUDENT", "alice")
        student.show_part(ASSIGNMENT, "nernst-potassium", "direction")
        out = capsys.readouterr().out
        variant = problem.variant("alice", ASSIGNMENT)
        v_rest = problem.params["V_rest"].display(variant.params["V_rest"])
        assert f"At a resting potential of {v_rest} mV" in out
        assert "{{" not in out and "(c) `direction`" in out

    def test_without_id_asks_for_set_student(self, capsys):
        """No id: no numbers, the set_student message."""
        student.show_part(ASSIGNMENT, "nernst-potassium", "direction")
        assert "set_student(" in capsys.readouterr().out


def test_public_api():
    """student exports the in-notebook functions and no answer key."""
    assert set(student.__all__) == {"answer_in", "check", "current_student", "read_back",
                                    "set_student", "show_part", "show_variant"}
    assert not any(name.startswith("expected") for name in dir(student))


#: Exponent bombs a student may type in a notebook (rational bases near 1, exponents 1e6..1e300).
BOMBS = ["1.0000001^1e9*R*T/F", "1.00000000000000001^1e300*R", "(1e-200*1e-200)^1e300*R",
         "(1.0000001^1e9)^1e9", "1.000001^1e6*R*T/(z*F)*ln(c_o/c_i)", "exp(1000)*R",
         "1.0000001^1e9 mV"]


class TestCheckBombs:
    @pytest.mark.parametrize("bomb", BOMBS)
    def test_bomb_scores_zero_in_time(self, monkeypatch, capsys, bomb):
        """student.check on a formula part and a numeric part: 0 points, a message, quickly."""
        import time

        monkeypatch.setenv("MEMBRANELAB_STUDENT", "zed")
        for part_id in ("formula", "E_K"):
            start = time.perf_counter()
            assert student.check(ASSIGNMENT, "nernst-potassium", part_id, bomb) == 0
            assert time.perf_counter() - start < 10  # generous: these used to take hours
            assert capsys.readouterr().out.strip()


class TestShowFailureInTheCoursesLanguage:
    """A statement that cannot be shown is reported through the catalog, in the course's language."""

    def test_chinese_line_quotes_the_incident(self, monkeypatch, capsys, tmp_path):
        """show_part of an unknown problem prints the zh catalog line with the incident id."""
        import re

        from membranelab import student

        monkeypatch.setenv("MEMBRANELAB_LOG", str(tmp_path / "log"))
        monkeypatch.setenv(student.ENV_VAR, "alice")
        student.show_part("ps1-equilibrium", "no-such-problem", "E_K", lang="zh")
        out = capsys.readouterr().out
        assert out.startswith("membranelab：无法显示 no-such-problem/E_K：")
        incident = re.search(r"事件编号 ([0-9a-f]{6})", out)
        assert incident is not None
        assert incident.group(1) in (tmp_path / "log").read_text(encoding="utf-8")
