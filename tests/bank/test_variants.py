"""Variants: deterministic, different between students, finite, inside the constraints."""

import hashlib
import json
import math
import subprocess
import sys

import numpy as np
import pytest

N_VARIANTS = 200


def _students():
    return [f"student{i:03d}" for i in range(N_VARIANTS)]


class TestSampling:
    @pytest.mark.slow
    def test_200_variants_finite_and_in_range(self, bank):
        """200 variants per problem: parameters on their grid, constraints hold, answers finite."""
        for problem in bank:
            for student in _students():
                v = problem.variant(student, "hw1")
                for name, value in v.params.items():
                    grid = problem.params[name].values
                    assert min(abs(value - g) for g in grid) < 1e-9, (problem.id, name, value)
                env = dict(v.values)
                for c in problem.constraints:
                    assert c.evaluate(env), (problem.id, c.text, v.params)
                for pid, ans in v.answers().items():
                    if ans.kind == "numeric":
                        assert math.isfinite(ans.value) and math.isfinite(ans.si), (problem.id, pid)
                    elif ans.kind == "choice":
                        assert ans.text in problem.part(pid).answer_kind.choices

    def test_constraint_by_hand(self, bank):
        """nernst-potassium keeps [K+]i > 10 [K+]o (checked without the bank's evaluator)."""
        problem = bank.problems["nernst-potassium"]
        for student in _students():
            p = problem.variant(student, "hw1").params
            assert p["K_in"] > 10 * p["K_out"]

    def test_students_differ(self, bank):
        """Two students get different numbers (for problems with enough freedom)."""
        for problem in bank:
            keys = {problem.variant(s, "hw1").key for s in _students()[:20]}
            assert len(keys) == 20
            params = {json.dumps(problem.variant(s, "hw1").params, sort_keys=True)
                      for s in _students()[:20]}
            assert len(params) > 1, problem.id

    def test_same_student_same_variant(self, bank):
        """The same student always gets the same numbers."""
        for problem in bank:
            a = problem.variant("alice", "hw1")
            b = problem.variant("alice", "hw1")
            assert a.params == b.params and a.key == b.key

    def test_assignment_matters(self, bank):
        """The same student in another assignment gets another seed."""
        p = bank.problems["nernst-potassium"]
        assert p.variant("alice", "hw1").key != p.variant("alice", "hw2").key

    def test_seed_definition(self, bank):
        """The key is the first 8 bytes of sha256(assignment \\x1f student \\x1f problem)."""
        digest = hashlib.sha256(b"hw1\x1falice\x1fnernst-potassium").digest()
        assert bank.problems["nernst-potassium"].variant("alice", "hw1").key == digest[:8].hex()

    def test_canonical(self, bank):
        """The canonical variant uses every parameter's canonical value."""
        for problem in bank:
            v = problem.variant("canonical")
            assert v.key == "canonical" and v.student is None
            assert v.params == {n: p.canonical for n, p in problem.params.items()}

    def test_across_processes(self, bank):
        """A variant computed in a fresh interpreter has the same numbers."""
        code = (
            "import json; from membranelab.bank import load_bank;"
            "v = load_bank().problems['warming-q10'].variant('bob', 'hw3');"
            "print(json.dumps({'params': v.params, 'key': v.key,"
            " 'answers': {k: a.text for k, a in v.answers().items()}}))"
        )
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True, timeout=300)
        other = json.loads(out.stdout)
        v = bank.problems["warming-q10"].variant("bob", "hw3")
        assert other["key"] == v.key
        assert other["params"] == pytest.approx(v.params)
        assert other["answers"] == {k: a.text for k, a in v.answers().items()}

    def test_rng_is_numpy_default(self, bank):
        """The documented generator: numpy default_rng seeded with the key."""
        v = bank.problems["nernst-potassium"].variant("carol", "hw1")
        rng = np.random.default_rng(int(v.key, 16))
        k_out_grid = bank.problems["nernst-potassium"].params["K_out"].values
        assert v.params["K_out"] == k_out_grid[int(rng.integers(len(k_out_grid)))]


class TestAnswers:
    def test_si_and_unit_agree(self, bank):
        """Answer.si is Answer.value converted to SI."""
        a = bank.problems["nernst-potassium"].variant("canonical").answers()["E_K"]
        assert a.unit == "mV" and a.si == pytest.approx(a.value / 1000)

    def test_mistake_values(self, bank):
        """The log10 mistake redone through the whole computation gives its value."""
        v = bank.problems["nernst-potassium"].variant("canonical")
        expected = 8.314462618 * 310.15 / 96485.33212 * math.log10(4 / 140) * 1000
        assert v.mistake_values("E_K")["log10"] == pytest.approx(expected, rel=1e-9)

    def test_mistake_propagates_through_composition(self, bank, warming_log10_mv):
        """log10 inside both Nernst steps of the warming problem changes the final V_m."""
        v = bank.problems["warming-q10"].variant("canonical")
        expected = warming_log10_mv  # by hand in the fixture (right: -90.7 mV)
        assert v.mistake_values("V_after")["log10"] == pytest.approx(expected, rel=1e-9)
