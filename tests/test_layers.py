"""The layers of DESIGN.md, enforced by import-linter's contracts in pyproject.toml."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]


def _lint_imports(root: Path) -> subprocess.CompletedProcess[str]:
    """Run ``lint-imports`` on the package under ``root/src`` with ``root/pyproject.toml``."""
    env = {**os.environ, "PYTHONPATH": str(root / "src")}
    code = "import sys; from importlinter.cli import lint_imports_command; lint_imports_command()"
    return subprocess.run([sys.executable, "-c", code, "--no-cache"], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    """A copy of the package and its contracts, free to break."""
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    shutil.copytree(REPO / "src" / "membranelab", tmp_path / "src" / "membranelab",
                    ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def test_contracts_are_kept() -> None:
    """Every contract holds for the package as it is."""
    done = _lint_imports(REPO)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout


@pytest.mark.parametrize(("module", "line"), [
    ("grading/__init__.py", "from membranelab import bank"),  # the substring search missed this
    ("physics/nernst.py", "from membranelab.grading import result"),
    ("bank/model.py", "    from membranelab.service import errors"),  # lazy, inside a function
    ("incident.py", "import membranelab.physics"),
    ("messages/__init__.py", "from membranelab.grading import result"),
    ("app/commands/demo.py", "    from membranelab import cli"),  # a command reaching up
    ("notebooks/selfstudy.py", "from membranelab.cli import main"),
    ("service/grading.py", "    from membranelab.web import app"),  # the service under a front end
    ("errors.py", "import membranelab.service"),
    ("report/read_db.py", "from membranelab.web import db"),  # the report reads, imports no front end
])
def test_an_upward_import_breaks_a_contract(tree: Path, module: str, line: str) -> None:
    """Control: one import against the arrows, added to a copy, makes lint-imports fail."""
    path = tree / "src" / "membranelab" / module
    text = path.read_text(encoding="utf-8")
    if line.startswith(" "):
        line = f"def _upward():\n{line}\n"
    path.write_text(text + "\n" + line + "\n", encoding="utf-8")
    done = _lint_imports(tree)
    # an import reaching up to cli or a front end may also join two front ends through it
    # (the independence contract): at least one contract breaks, never none
    assert done.returncode == 1 and "BROKEN" in done.stdout, done.stdout + done.stderr
    assert " 0 broken" not in done.stdout


def test_a_new_top_level_module_must_join_a_layer(tree: Path) -> None:
    """Control: a new top-level module in no layer breaks the exhaustive layers contract."""
    (tree / "src" / "membranelab" / "newthing.py").write_text("X = 1\n", encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode == 1 and "newthing" in done.stdout, done.stdout + done.stderr


@pytest.mark.parametrize(("module", "line"), [
    ("web/api.py", "from membranelab.app.commands import grade"),
    ("app/commands/grade.py", "    from membranelab.course import answers"),
    ("notebooks/assignment.py", "    from membranelab.web import verdict"),
    ("course/build.py", "from membranelab.notebooks import selfstudy"),
])
def test_a_front_end_importing_another_breaks_their_independence(tree: Path, module: str,
                                                                  line: str) -> None:
    """Control: one front end importing a sibling, added to a copy, breaks the independence
    contract (and only it)."""
    path = tree / "src" / "membranelab" / module
    if line.startswith(" "):
        line = f"def _sideways():\n{line}\n"
    path.write_text(path.read_text(encoding="utf-8") + "\n" + line + "\n", encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode == 1 and "1 broken" in done.stdout, done.stdout + done.stderr
    assert "Front ends are independent" in done.stdout and "BROKEN" in done.stdout


@pytest.mark.parametrize(("module", "line"), [
    ("bank/model.py", "    from membranelab.bank import i18n"),  # lazy: the model reaching up
    ("bank/variants.py", "if TYPE_CHECKING:\n    from .model import Problem"),  # typing only
    ("bank/kinds/choice.py", "    from membranelab.bank.i18n import localize"),  # a sibling
    ("bank/values.py", "from membranelab.bank.kinds import Numeric"),
    ("bank/grade.py", "    from membranelab.bank.check import check_problem"),
])
def test_an_upward_import_in_the_bank_breaks_its_layers(tree: Path, module: str,
                                                         line: str) -> None:
    """Control: one import against the bank's layers (or between two of its independent
    siblings), added to a copy, breaks the bank's contract (and only it)."""
    path = tree / "src" / "membranelab" / module
    text = path.read_text(encoding="utf-8")
    if line.startswith(" "):
        line = f"def _upward():\n{line}\n"
    elif line.startswith("if TYPE_CHECKING"):
        line = f"from typing import TYPE_CHECKING\n{line}\n"
    path.write_text(text + "\n" + line + "\n", encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode == 1 and "1 broken" in done.stdout, done.stdout + done.stderr
    assert "Bank layers" in done.stdout and "BROKEN" in done.stdout


def test_a_new_bank_module_must_join_a_layer(tree: Path) -> None:
    """Control: a new bank module in no layer breaks the bank's exhaustive layers contract."""
    (tree / "src" / "membranelab" / "bank" / "newthing.py").write_text("X = 1\n",
                                                                        encoding="utf-8")
    done = _lint_imports(tree)
    assert done.returncode == 1 and "newthing" in done.stdout, done.stdout + done.stderr
