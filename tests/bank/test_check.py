"""``membranelab check``: passes on the real bank, and fails, naming the cause, on fixture banks
with one broken problem per check."""

import dataclasses
import math

import pytest
from bankfixture import MINIMAL, write

import membranelab.formulas as formulas_module
from membranelab.bank import load_bank
from membranelab.bank.check import (
    ASSIGNMENT,
    check_bank,
    check_formula_domains,
    check_problem,
)
from membranelab.bank.drift import fingerprint, released_drift
from membranelab.cli import main

R, F = 8.314462618, 96485.33212
N = 150  # students per problem in these tests (the command's default is 2,000)


#: A drive V_rest − E_K with a tight tolerance and a mistake (37 °C for 36.9 °C) that moves it
#: by about 0.034 mV: outside the 0.01 mV tolerance, inside the rounding of E_K.
ROUNDING_FIXTURE = """---
id: demo
title: Demo
topic: nernst
source: "test"
params:
  K_out: {low: 2.0, high: 2.1, step: 0.05, unit: mM, canonical: 2}
  K_in: {low: 100, high: 101, step: 1, unit: mM, canonical: 100}
  T: {value: 36.9, unit: degC}
  V_rest: {value: -70, unit: mV}
derived:
  E_K: {solver: nernst_potential, args: {c_out: K_out, c_in: K_in, z: 1, temperature: T}, unit: mV}
  drive: {expr: "V_rest - E_K", unit: mV}
parts:
  - id: drive
    prompt: "Drive?"
    kind: numeric
    value: drive
    unit: mV
    sigfigs: 4
    tolerance: {absolute: 0.01}
    mistakes: [temperature_37]
---
Body.
"""


def _checked(tmp_path, text):
    return check_problem(load_bank(write(tmp_path, text))["demo"], N)


def _only(report, check):
    found = [f for f in report.findings if f.check == check]
    assert found, (check, report.findings)
    return found[0]


class TestRealBank:
    @pytest.mark.slow
    def test_passes(self, bank):
        """The repository's bank has no error (fewer variants than the command's default)."""
        reports = check_bank(bank, 100)
        assert len(reports) == len(bank)
        errors = [(f.problem, f.part, f.check, f.message) for r in reports for f in r.errors]
        assert errors == []

    @pytest.mark.slow
    def test_counts(self, bank):
        """Every problem has 10,000+ distinct variants and accepts 5 %+ of its draws."""
        reports = check_bank(bank, 1, boundary=0)
        assert [r.problem for r in reports] == [p.id for p in bank.ordered()]
        for r in reports:
            assert r.distinct >= 10_000 and r.acceptance >= 0.05, r.problem


class TestFixtureBank:
    def test_sound_fixture_passes(self, tmp_path):
        """The minimal problem passes every check."""
        report = _checked(tmp_path, MINIMAL)
        assert report.findings == () and report.distinct == 49 * 241

    def test_invariant(self, tmp_path):
        """A violated invariant is named with a student id whose variant violates it."""
        text = MINIMAL.replace("parts:", 'invariants: ["E_K < -80 mV"]\nparts:', 1)
        found = _only(_checked(tmp_path, text), "invariant")
        assert found.level == "error" and found.subject == "E_K < -80 mV"
        assert "E_K < -80 mV" in found.message and found.student.startswith("s")
        p = load_bank(tmp_path)["demo"].variant(found.student, ASSIGNMENT).params
        e_k = R * 310 / F * math.log(p["K_out"] / p["K_in"])   # by hand, volts
        assert e_k >= -0.08

    def test_invariant_at_canonical(self, tmp_path):
        """An invariant the canonical variant violates is reported as such."""
        text = MINIMAL.replace("parts:", 'invariants: ["E_K > 0"]\nparts:', 1)
        found = _only(_checked(tmp_path, text), "canonical")
        assert "E_K > 0" in found.message

    def test_mistake_within_tolerance(self, tmp_path):
        """log10 gives E_K/2.303, within a 70 % tolerance: the mistake cannot be told apart."""
        text = MINIMAL.replace("    unit: mV\n", "    unit: mV\n    tolerance: {relative: 0.7}\n"
                               "    mistakes: [log10]\n", 1)
        found = _only(_checked(tmp_path, text), "mistake")
        assert found.part == "E_K" and found.subject == "log10"
        assert f"{N} of {N} variants" in found.message

    def test_mistake_inside_rounding_interval(self, tmp_path):
        """A mistake outside the tolerance but inside the rounding interval is flagged, with
        the figures that would tell it apart: E_K = (RT/F) ln(2/100) ≈ −104.5 mV at 36.9 °C,
        shown to 0.1 mV (±0.05 mV), moves the drive V_rest − E_K by as much; 37 °C for 36.9 °C
        moves it by 104.5 × 0.1/310.05 ≈ 0.034 mV, more than the 0.01 mV tolerance."""
        text = ROUNDING_FIXTURE
        found = _only(_checked(tmp_path, text), "rounding")
        assert found.part == "drive" and found.subject == "temperature_37"
        assert "1 more figure(s)" in found.message
        e_k = 1000 * R * 310.05 / F * math.log(2 / 100)
        assert abs(e_k * 0.1 / 310.05) > 0.01  # the mistake is outside the tolerance

    def test_mistake_equal_at_sigfigs(self, tmp_path):
        """A mistake equal to the answer at the part's significant figures is flagged too."""
        from membranelab.bank.kinds import Numeric

        kind = Numeric(value="x", unit="mV", tolerance={"absolute": 1e-9}, sigfigs=2)
        assert kind._within_tolerance(-95.3, -95.04)
        assert not kind._within_tolerance(-96.0, -95.04)

    def test_low_acceptance_warns(self, tmp_path):
        """Constraints that accept under 5 % of draws give a warning (and too few variants)."""
        text = MINIMAL.replace("derived:", 'constraints: ["abs(K_out - 4 mM) < 0.1 mM"]\nderived:', 1)
        report = _checked(tmp_path, text)
        found = _only(report, "acceptance")
        assert found.level == "warning" and "only 2.0%" in found.message
        assert _only(report, "distinct").level == "error"

    def test_too_few_variants(self, tmp_path):
        """A coarse grid (25 x 61 = 1,525 variants) is an error."""
        text = MINIMAL.replace("step: 0.125", "step: 0.25").replace("step: 0.25, unit: mM, "
                                                                     "canonical: 140", "step: 1, "
                                                                     "unit: mM, canonical: 140")
        found = _only(_checked(tmp_path, text), "distinct")
        assert "1,525" in found.message

    def test_why_on_a_right_answer(self, tmp_path):
        """A 'why' (shown when the choice is picked as wrong) on the computed answer is named."""
        text = MINIMAL.replace("choices: [negative, positive]",
                               'choices: [{text: negative, why: "E_K is negative."}, positive]', 1)
        found = _only(_checked(tmp_path, text), "why")
        assert found.part == "sign" and found.subject == "negative"

    def test_points(self, tmp_path):
        """A part with points <= 0 is named."""
        problem = load_bank(write(tmp_path))["demo"]
        parts = (dataclasses.replace(problem.parts[0], points=0.0),) + problem.parts[1:]
        found = _only(check_problem(dataclasses.replace(problem, parts=parts), 5), "points")
        assert found.part == "E_K" and "0.0" in found.message

    def test_mistake_that_cannot_apply(self, tmp_path):
        """A mistake that changes nothing in the part's chain is named (load refuses it too)."""
        problem = load_bank(write(tmp_path))["demo"]
        parts = (dataclasses.replace(problem.parts[0], answer_kind=dataclasses.replace(
            problem.parts[0].answer_kind, mistakes=("q10_exponent",))),) + \
            problem.parts[1:]
        found = _only(check_problem(dataclasses.replace(problem, parts=parts), 5),
                      "mistake-applies")
        assert found.subject == "q10_exponent"

    def test_domain(self, monkeypatch):
        """A valence sampled only in (1, 2) cannot tell R*T/(z*F)*ln(...) from its |z| twin;
        sampled in (-2, 2) it can."""
        base = formulas_module.FORMULAS["nernst"]
        narrow = dataclasses.replace(base, name="narrow",
                                     domains={**base.domains, "z": (1.0, 2.0)})
        wide = dataclasses.replace(base, name="wide", domains={**base.domains, "z": (-2.0, 2.0)})
        monkeypatch.setattr(formulas_module, "FORMULAS",
                            {**formulas_module.FORMULAS, "narrow": narrow, "wide": wide})
        assert check_formula_domains("narrow") == [("z", "the formula with |z|")]
        assert check_formula_domains("wide") == []

    def test_even_formulas_have_no_twin(self):
        """A formula even in its signed symbols (squares of V_m - E) equals its twins: fine."""
        assert check_formula_domains("entropy_rate") == []


class TestDrift:
    def test_fingerprint_tracks_the_numbers(self, tmp_path):
        """Texts may change freely; a grid edit changes the fingerprint."""
        a = fingerprint(load_bank(write(tmp_path / "a"))["demo"])
        b = fingerprint(load_bank(write(tmp_path / "b", MINIMAL.replace("E_K?", "Compute E_K.")))
                        ["demo"])
        c = fingerprint(load_bank(write(tmp_path / "c", MINIMAL.replace("high: 160", "high: 170")))
                        ["demo"])
        assert a == b != c

    def test_released_drift(self, tmp_path):
        """A released problem whose variants changed is listed; an unchanged one is not."""
        problem = load_bank(write(tmp_path / "bank"))["demo"]
        course = tmp_path / "assignments.yaml"
        course.write_text("assignments:\n  - id: hw1\n    title: t\n    problems: [demo]\n"
                          f"    released: {{demo: {fingerprint(problem)}}}\n", encoding="utf-8")
        assert released_drift(course, {"demo": problem}) == []
        course.write_text("assignments:\n  - id: hw1\n    title: t\n    problems: [demo]\n"
                          "    released: {demo: 0123456789abcdef}\n", encoding="utf-8")
        [drift] = released_drift(course, {"demo": problem})
        assert drift.assignment == "hw1" and drift.current == fingerprint(problem)


    def test_course_accepts_released(self, tmp_path):
        """The course's assignments loader accepts the 'released' field."""
        from membranelab.service.assignments import load_assignments

        course = tmp_path / "assignments.yaml"
        course.write_text("assignments:\n  - id: hw1\n    title: t\n    problems: [demo]\n"
                          "    released: {demo: 0123456789abcdef}\n", encoding="utf-8")
        assert [a.id for a in load_assignments(course, ["demo"])] == ["hw1"]


class TestCommand:
    def test_exit_zero_on_a_sound_bank(self, tmp_path, capsys):
        """`membranelab check` exits 0 and summarises."""
        root = write(tmp_path / "bank")
        code = main(["--bank", str(root), "check", "--variants", "50", "-j", "1",
                     "--course-dir", str(tmp_path)])
        out = capsys.readouterr().out
        assert code == 0 and "0 error(s)" in out and "demo" in out

    def test_exit_one_naming_the_cause(self, tmp_path, capsys):
        """A broken problem: exit 1; problem, part, check and a reproducing student named."""
        text = MINIMAL.replace("    unit: mV\n", "    unit: mV\n    tolerance: {relative: 0.7}\n"
                               "    mistakes: [log10]\n", 1)
        root = write(tmp_path / "bank", text)
        code = main(["--bank", str(root), "check", "--variants", "20", "-j", "1",
                     "--course-dir", str(tmp_path)])
        out = " ".join(capsys.readouterr().out.split())
        assert code == 1
        assert "error demo part E_K (mistake): mistake 'log10'" in out
        assert "membranelab show demo --student s00000 --assignment check" in out

    def test_drift_warns(self, tmp_path, capsys):
        """A released assignment whose problem changed is a warning, not an error."""
        root = write(tmp_path / "bank")
        (tmp_path / "assignments.yaml").write_text(
            "assignments:\n  - id: hw1\n    title: t\n    problems: [demo]\n"
            "    released: {demo: 0123456789abcdef}\n", encoding="utf-8")
        code = main(["--bank", str(root), "check", "--variants", "20", "-j", "1",
                     "--course-dir", str(tmp_path)])
        out = " ".join(capsys.readouterr().out.split())
        assert code == 0 and "warning demo (released in hw1): its variants changed" in out

    def test_jobs(self, tmp_path, capsys):
        """Two worker processes give the same report as one."""
        root = write(tmp_path / "bank")
        write(root, MINIMAL.replace("id: demo", "id: other"), name="other")
        assert main(["--bank", str(root), "check", "--variants", "20", "-j", "2",
                     "--course-dir", str(tmp_path), "--json"]) == 0
        assert '"errors": 0' in capsys.readouterr().out

    @pytest.mark.parametrize("variants", ["0", "-5"])
    def test_bad_variants(self, tmp_path, variants, capsys):
        """--variants below 1 is a usage error (exit 2)."""
        root = write(tmp_path / "bank")
        assert main(["--bank", str(root), "check", "--variants", variants]) == 2
        assert "--variants must be at least 1" in capsys.readouterr().err


class TestKindExamples:
    """``check`` grades each part's right, wrong and unreadable example (PrairieLearn's test()
    phase), so a new problem is tested without a test of its own."""

    def test_every_kind_writes_three_examples_that_grade_as_claimed(self, bank):
        """For the first part of each kind in the bank: a right, a wrong and an unreadable
        example, graded so in the canonical variant."""
        from membranelab.bank import grade_part

        seen = set()
        for problem in bank.ordered():
            variant = problem.variant("canonical")
            for part in problem.parts:
                if part.kind in seen:
                    continue
                seen.add(part.kind)
                examples = part.answer_kind.examples(part, variant)
                assert [e.expect for e in examples] == ["right", "wrong", "unreadable"]
                for example in examples:
                    result = grade_part(problem, variant, part, example.text)
                    assert example.verdict(result) == example.expect, (part.id, example)
        assert seen == {"numeric", "symbolic", "choice"}

    def test_a_part_that_grades_everything_right_is_found(self, tmp_path, monkeypatch):
        """Control: a numeric kind whose grading accepts anything fails the check, naming the
        part and the wrong example it accepted."""
        from membranelab.bank.kinds.numeric import Numeric

        real = Numeric.grade

        def lenient(self, part, variant, answer):
            result = real(self, part, variant, answer)
            return dataclasses.replace(result, correct=True, score=1.0)

        monkeypatch.setattr(Numeric, "grade", lenient)
        found = _only(_checked(tmp_path, MINIMAL), "example")
        assert found.level == "error" and "wrong example" in found.message
        assert "graded right" in found.message and found.part

    def test_a_message_missing_from_the_catalog_is_found(self, tmp_path, monkeypatch):
        """Control: a kind whose results name a message the catalog lacks fails the check
        (its describe phase gives that id), naming the message."""
        from membranelab.bank.kinds.numeric import Numeric

        real = Numeric.grade

        def unsaid(self, part, variant, answer):
            return dataclasses.replace(real(self, part, variant, answer),
                                       message_id="numeric.no_such_message")

        monkeypatch.setattr(Numeric, "grade", unsaid)
        found = _only(_checked(tmp_path, MINIMAL), "message")
        assert found.level == "error" and "'numeric.no_such_message'" in found.message
        assert found.part and found.subject == "numeric.no_such_message"

    def test_a_kind_without_examples_is_a_warning(self, tmp_path, monkeypatch):
        """A kind that writes no examples cannot be proved: a warning, not a pass."""
        from membranelab.bank.kinds.numeric import Numeric

        monkeypatch.setattr(Numeric, "examples", lambda self, part, variant: ())
        found = _only(_checked(tmp_path, MINIMAL), "examples")
        assert found.level == "warning" and "writes no examples" in found.message
