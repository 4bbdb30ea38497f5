"""``membranelab check`` beyond random students: invariants on every problem, invariants on a
choice part's computed answer (a reversed direction rule fails), and the grid's corners and
edges (where a bound breaks that random students miss)."""

import math
import re

import pytest
from bankfixture import MINIMAL, write

from membranelab.bank import load_bank
from membranelab.bank.boundary import boundary_points
from membranelab.bank.check import check_problem
from membranelab.bank.errors import BankError
from membranelab.cli import main

R, F = 8.314462618, 96485.33212
N = 150

#: A neuron's K⁺ flux direction, as nernst-potassium asks it; the rule is {RULE}.
DIRECTION = """---
id: demo
title: Demo
topic: nernst
source: "test"
params:
  K_out: {low: 2.5, high: 8, step: 0.125, unit: mM, canonical: 4}
  K_in: {low: 120, high: 160, step: 0.5, unit: mM, canonical: 140}
  V_rest: {low: -80, high: -60, step: 1, unit: mV, canonical: -70}
  T: {value: 310, unit: K}
constraints: ["V_rest > R * T / F * ln(K_out / K_in) + 3 mV"]
derived:
  E_K: {solver: nernst_potential, args: {c_out: K_out, c_in: K_in, z: 1, temperature: T}}
invariants:
  - "E_K < V_rest"
  - {part: direction, is: out of the cell, when: "R * T * ln(K_in / K_out) + F * V_rest > 0"}
parts:
  - id: direction
    prompt: "Which way?"
    kind: choice
    choices: [into the cell, out of the cell]
    answer: {RULE}
---
Statement.
"""
RIGHT = '{if: "V_rest > E_K", then: "out of the cell", else: "into the cell"}'
REVERSED = '{if: "V_rest > E_K", then: "into the cell", else: "out of the cell"}'


def _report(tmp_path, text, **kw):
    return check_problem(load_bank(write(tmp_path, text))["demo"], N, **kw)


class TestChoiceInvariants:
    def test_right_rule_passes(self, tmp_path):
        """The direction rule that agrees with the electrochemical gradient passes."""
        assert _report(tmp_path, DIRECTION.replace("{RULE}", RIGHT)).errors == ()

    def test_reversed_rule_fails(self, tmp_path):
        """A worked answer that sends K⁺ into the cell at V_rest > E_K fails the check, in
        every variant, naming the part and the physics it contradicts."""
        report = _report(tmp_path, DIRECTION.replace("{RULE}", REVERSED))
        found = [f for f in report.errors if f.check in ("canonical", "invariant")]
        assert found, report.findings
        assert any("direction is 'out of the cell' exactly when" in f.message for f in found)
        counted = [f for f in found if f.check == "invariant"]
        assert counted and f"({N} of {N} variants)" in counted[0].message

    def test_reversed_rule_fails_the_command(self, tmp_path, capsys):
        """`membranelab check` exits 1 on it."""
        root = write(tmp_path / "bank", DIRECTION.replace("{RULE}", REVERSED))
        code = main(["--bank", str(root), "check", "--variants", "20", "-j", "1",
                     "--course-dir", str(tmp_path)])
        out = " ".join(capsys.readouterr().out.split())
        assert code == 1 and "direction is 'out of the cell' exactly when" in out

    @pytest.mark.parametrize(("spec", "field", "says"), [
        ('{part: nope, is: negative, when: "E_K < 0"}', "invariants[1].part", "no part 'nope'"),
        ('{part: E_K, is: negative, when: "E_K < 0"}', "invariants[1].part", "is not a choice"),
        ('{part: sign, is: zero, when: "E_K < 0"}', "invariants[1].is", "not a choice"),
        ('{part: sign, is: negative, when: "E_K"}', "invariants[1].when", "expected a comparison"),
        ('{part: sign, is: negative}', "invariants[1].when", "missing"),
        ('{part: sign, is: negative, when: "E_K < 0", if: x}', "invariants[1].if", "unknown"),
    ])
    def test_malformed(self, tmp_path, spec, field, says):
        """A malformed choice invariant is a load error naming its field."""
        text = MINIMAL.replace('  - {part: sign, is: negative, when: "K_out < K_in"}',
                               f"  - {spec}", 1)
        with pytest.raises(BankError, match=rf"{re.escape(field)}.*{says}"):
            load_bank(write(tmp_path, text))


class TestInvariantsRequired:
    def test_a_problem_without_invariants_fails(self, tmp_path):
        """A problem that declares no invariant verifies no physiology: an error."""
        start = MINIMAL.index("invariants:")
        text = MINIMAL[:start] + MINIMAL[MINIMAL.index("parts:"):]
        found = [f for f in _report(tmp_path, text, boundary=0).errors
                 if f.check == "no-invariants"]
        assert len(found) == 1 and "declares no invariants" in found[0].message

    def test_every_problem_of_the_bank_declares_some(self, bank):
        """Every problem has invariants, and every choice part whose answer is computed from a
        rule is tied to physics by a choice invariant."""
        for problem in bank:
            assert problem.invariants, problem.id
            tied = {ci.part for ci in problem.choice_invariants}
            for part in problem.parts:
                rule = getattr(part.answer_kind, "answer", None)
                if part.answer_kind.options and getattr(rule, "condition", None) is not None:
                    assert part.id in tied, (problem.id, part.id)


class TestBoundary:
    def test_points_of_the_minimal_grid(self, tmp_path):
        """49 x 241 grid: 4 corners and (47 + 239) x 2 = 572 edge points, all checked."""
        problem = load_bank(write(tmp_path))["demo"]
        points, counts = boundary_points(problem)
        assert (counts.corners, counts.corners_total) == (4, 4)
        assert (counts.edges, counts.edges_total) == (572, 572) and counts.complete
        corners = {(p["K_out"], p["K_in"]) for place, p in points if place == "corner"}
        assert corners == {(2, 100), (2, 160), (8, 100), (8, 160)}
        for place, p in points:
            if place == "edge":  # one parameter inside its range, the other at an end
                assert (p["K_out"] in (2, 8)) + (p["K_in"] in (100, 160)) == 1

    def test_a_subset_when_there_are_too_many(self, tmp_path):
        """With a limit of 10: all 4 corners, 6 evenly spread edge points; the count says so."""
        problem = load_bank(write(tmp_path))["demo"]
        points, counts = boundary_points(problem, 10)
        assert len(points) == 10 and (counts.corners, counts.edges) == (4, 6)
        assert not counts.complete

    def test_a_bound_broken_only_at_a_corner(self, tmp_path):
        """E_K < -67.6 mV fails only next to the corner K_out = 8, K_in = 100 mM (E_K there is
        -67.5 mV by hand): the random students miss it, the corner check names it."""
        by_hand = R * 310 / F * math.log(8 / 100) * 1e3
        assert -67.6 < by_hand < -67.4
        text = MINIMAL.replace('  - "E_K < 0"', '  - "E_K < -67.6 mV"', 1)
        assert _report(tmp_path / "a", text, boundary=0).errors == ()
        report = _report(tmp_path / "b", text)
        found = [f for f in report.errors if f.check == "boundary"]
        assert len(found) == 1
        assert "corner K_out=8 mM, K_in=100 mM" in found[0].message
        assert "E_K < -67.6 mV" in found[0].message and report.boundary.corners == 4

    def test_the_command_says_what_it_checked(self, tmp_path, capsys):
        """The report line says how many corners and edge points were checked of how many."""
        root = write(tmp_path / "bank")
        assert main(["--bank", str(root), "check", "--variants", "20", "-j", "1",
                     "--course-dir", str(tmp_path)]) == 0
        out = " ".join(capsys.readouterr().out.split())
        assert ("boundary: 4 of 4 corners and 572 of 572 edge points checked (every one; "
                "0 outside the constraints)") in out

    @pytest.mark.parametrize(("pid", "bound"), [
        ("pump-steady-state", "pump_effect >= -5 mV"),
        ("energetics-entropy", "pump_effect >= -5 mV"),
        ("atp-depletion", "jump <= 5 mV"),
    ])
    def test_the_banks_corner_cases_hold(self, bank, pid, bound):
        """At the corner K_out 3, K_in 150, Na_in 10 mM, g_K 80, g_Na 8 nS the pump's share was
        5.03 mV by hand; that corner is now outside the constraints, and no corner breaks."""
        r, t = 8.314462618, 310.15
        d_e = r * t / F * math.log(150 / 3) + r * t / F * math.log((145 if pid != "pump-steady-"
                                                                      "state" else 150) / 10)
        ratio = 8 / 80
        share = ratio * d_e / (2 * (1.5 + ratio) * (1 + ratio)) * 1e3
        assert share > 5
        problem = bank[pid]
        assert bound in {inv.text for inv in problem.invariants}
        report = check_problem(problem, 5, boundary=64)
        assert report.errors == () and report.boundary.corners == report.boundary.corners_total
