"""A graded course's formulas are sampled at points drawn with its secret (issue 22, item 6).

The grading service of a graded assignment grades inside ``sampling_secret`` with a key derived
from the course secret, so the sample points of a formula differ from course to course (no
student can precompute an expression that matches only at known points), and every grader
holding the secret (every worker, every regrade) draws the same ones.  The seeds the grader
draws are recorded by wrapping ``formula_seed`` where the formula grader calls it; the expected
seed is computed here from its definition (HMAC-SHA256 key, then SHA-256 of key, reference and
symbols, first 8 bytes).
"""

from __future__ import annotations

import hashlib
import hmac

import pytest

from membranelab.bank import load_bank
from membranelab.formulas import FORMULAS
from membranelab.grading import formula as formula_module
from membranelab.grading.seeds import formula_seed, install_secret, sampling_secret
from membranelab.service import Course, GradeRequest, GradingService

PROBLEM, PART, ASSIGNMENT = "nernst-potassium", "formula", "ps1"
SECRET_A, SECRET_B = bytes(range(32)), bytes(range(1, 33))
ANSWERS = ("R*T/(z*F)*ln(c_out/c_in)", "RT/(zF) ln(c_out/c_in)", "R*T/F*ln(c_out/c_in)",
           "R*T/(z*F)*log10(c_out/c_in)", "R*T/(z*F)*ln(c_in/c_out)")


def expected_seed(secret: bytes) -> int:
    """The seed of the Nernst reference under a course secret, from the definition."""
    key = hmac.new(secret, b"membranelab formula sample points", hashlib.sha256).digest()
    nernst = FORMULAS["nernst"]
    names = ",".join(sorted(nernst.domains)).encode()
    digest = hashlib.sha256(key + b"\0" + nernst.text.encode() + b"\0" + names).digest()
    return int.from_bytes(digest[:8], "big")


@pytest.fixture(scope="module")
def bank():
    return load_bank()


@pytest.fixture
def seeds(monkeypatch):
    """The seeds the formula grader draws its points with, in order."""
    drawn: list[int] = []

    def recording(reference, symbols, secret=None):
        seed = formula_seed(reference, symbols, secret)
        drawn.append(seed)
        return seed

    monkeypatch.setattr(formula_module, "formula_seed", recording)
    return drawn


def graded(bank, secret: bytes) -> GradingService:
    return GradingService(bank, Course(graded=frozenset({ASSIGNMENT}), secret=secret))


def verdicts(service: GradingService, assignment: str = ASSIGNMENT) -> list[tuple]:
    out = []
    for answer in ANSWERS:
        v = service.grade(GradeRequest(PROBLEM, PART, answer, "alice", assignment))
        out.append((answer, v.correct, v.note, v.score))
    return out


class TestSamplingSecret:
    def test_graded_assignment_draws_with_the_course_secret(self, bank, seeds) -> None:
        """Every seed of a graded assignment's formula is the course secret's."""
        verdicts(graded(bank, SECRET_A))
        assert seeds and set(seeds) == {expected_seed(SECRET_A)}

    def test_seed_differs_with_the_secret(self, bank, seeds) -> None:
        """Another course secret, other points; neither is this installation's seed."""
        verdicts(graded(bank, SECRET_A))
        verdicts(graded(bank, SECRET_B))
        install = formula_seed(FORMULAS["nernst"].text, tuple(sorted(FORMULAS["nernst"].domains)),
                               install_secret())
        assert {expected_seed(SECRET_A), expected_seed(SECRET_B)} <= set(seeds)
        assert expected_seed(SECRET_A) != expected_seed(SECRET_B)
        assert install not in seeds

    def test_deterministic_for_a_secret(self, bank, seeds) -> None:
        """Two graders holding the same secret (a worker, a regrade) draw the same points and
        give the same verdicts, and a teacher's verdicts hold: the right forms right, the
        log10 and swapped forms wrong."""
        first, second = verdicts(graded(bank, SECRET_A)), verdicts(graded(bank, SECRET_A))
        assert first == second
        assert [row[1] for row in first] == [True, True, False, False, False]
        assert set(seeds) == {expected_seed(SECRET_A)}

    def test_ungraded_assignment_keeps_the_installation_seed(self, bank, seeds) -> None:
        """A practice answer in the same course is sampled with this installation's seed (the
        course secret enters graded assignments only)."""
        verdicts(graded(bank, SECRET_A), assignment="practice")
        install = formula_seed(FORMULAS["nernst"].text, tuple(sorted(FORMULAS["nernst"].domains)),
                               install_secret())
        assert set(seeds) == {install}

    def test_block_ends_with_the_grading(self, seeds) -> None:
        """Outside the service's grading, the installation's seed is back."""
        names = ("a", "b")
        with sampling_secret(b"k" * 32):
            inside = formula_seed("a*b", names)
        assert inside == formula_seed("a*b", names, b"k" * 32)
        assert formula_seed("a*b", names) == formula_seed("a*b", names, install_secret())
