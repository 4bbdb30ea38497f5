"""sympy is imported when a formula first needs it, not by importing the package.

Every command line, the report and the web front end import the grading service; sympy costs
about half a second to import and only the slow path of a formula uses it.  Checked in a fresh
interpreter (``sys.modules``), one per test: whatever this test process imported already does
not count.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[2] / "src"

SCRIPT = """
import sys
import membranelab.service
import membranelab.grading
from membranelab.grading import check_choice, check_formula, check_quantity
print("after import", "sympy" in sys.modules)
from membranelab.bank import grade_part
from membranelab.service.problems import open_bank
bank = open_bank(None)
problem = bank.problems["nernst-potassium"]
variant = problem.variant("alice", "ps1")
right = grade_part(problem, variant, problem.part("formula"), "R*T/(z*F)*ln(c_out/c_in)")
assert right.correct, right
print("after the bank and a formula part", "sympy" in sys.modules)
check_quantity("-95 mV", -94.97, "mV")
print("after a number", "sympy" in sys.modules)
result = check_formula("R T/(z F) ln(c_o/c_i)", "R*T/(z*F)*ln(c_o/c_i)",
                       ["R", "T", "F", "z", "c_o", "c_i"])
assert result.correct, result
wrong = check_formula("R*T/F*ln(c_o/c_i)", "R*T/(z*F)*ln(c_o/c_i)",
                      ["R", "T", "F", "z", "c_o", "c_i"])
assert not wrong.correct, wrong
print("after formulas", "sympy" in sys.modules)
powered = check_formula("x*10^-3", "x/1000", ["x"])
assert powered.correct, powered
print("after a constant power", "sympy" in sys.modules)
from membranelab.grading import parse_expression
print("parse_expression", parse_expression("x", ["x"]).expr)
"""


def test_sympy_is_imported_on_first_need(tmp_path: Path) -> None:
    """Importing the service, opening the bank (its formula mistakes are checked at load) and
    grading numbers and formulas decided by their values imports no sympy; a constant power (bounded by sympy's exact numbers) does, and so does asking the
    package for ``parse_expression``."""
    env = {**os.environ, "PYTHONPATH": str(SRC), "MEMBRANELAB_DATA_DIR": str(tmp_path)}
    done = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True,
                          env=env, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == [
        "after import False", "after the bank and a formula part False", "after a number False", "after formulas False",
        "after a constant power True", "parse_expression x"]
