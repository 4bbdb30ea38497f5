"""``demo``, ``course``, ``python -m membranelab`` and the parser's own errors."""

from __future__ import annotations

import subprocess
import sys

import pytest

from membranelab import __version__

from .conftest import REPO, command, subprocess_env


class TestDemo:
    def test_demo_grades_right_mistake_and_hostile(self, tmp_path):
        """The README command: right answer, a typical mistake and a hostile input (the timeout
        is a hang detector; the demo's speed is measured in bench/, not here)."""
        result = subprocess.run(command() + ["demo"], env=subprocess_env(tmp_path),
                                capture_output=True, text=True, timeout=300, cwd=REPO)
        assert result.returncode == 0, result.stderr
        out = result.stdout
        assert "alice" in out and "Correct" in out
        assert "typical mistake (log10 in place" in out and "natural log" in out
        assert "(log10)" not in out and "conductances_unweighted" not in out
        assert "hostile input" in out and "__import__" in out
        assert result.stderr == ""

    def test_demo_with_missing_bank(self, run, tmp_path):
        """The demo on a bank that is not there: exit 2, one line."""
        code, _, err = run("--bank", str(tmp_path / "nowhere"), "demo")
        assert code == 2 and err.count("\n") == 1


class TestCourse:
    @pytest.mark.slow
    def test_build_then_check(self, run, tmp_path):
        """build writes the notebooks, check then reports the course in sync."""
        import shutil

        course = tmp_path / "course"
        shutil.copytree(REPO / "course", course, ignore=shutil.ignore_patterns(
            "source", "release", "submitted", "autograded", "feedback", "gradebook.db"))
        code, out, err = run("course", "build", "--course-dir", str(course))
        assert code == 0, err
        assert "built" in out
        code, out, _ = run("course", "check", "--course-dir", str(course))
        assert (code, "in sync" in out) == (0, True)
        notebook = next((course / "source").glob("*/*.ipynb"))
        notebook.write_text(notebook.read_text() + "\n")
        code, out, _ = run("course", "check", "--course-dir", str(course))
        assert code == 1 and "differs from the bank" in out

    def test_missing_course_dir(self, run, tmp_path):
        """A missing course directory: exit 2, one line."""
        code, _, err = run("course", "build", "--course-dir", str(tmp_path / "none"))
        assert code == 2 and "does not exist" in err and err.count("\n") == 1


class TestEntryPoints:
    def test_python_dash_m(self, tmp_path):
        """`python -m membranelab --version` works."""
        result = subprocess.run([sys.executable, "-m", "membranelab", "--version"],
                                capture_output=True, text=True, timeout=300)
        assert result.returncode == 0 and result.stdout.strip() == f"membranelab {__version__}"

    def test_no_command(self, run):
        """No subcommand: exit 2, one line."""
        code, _, err = run()
        assert code == 2 and err.startswith("membranelab: error: the following arguments are")
        assert err.count("\n") == 1

    def test_unknown_command(self, run):
        """An unknown subcommand: exit 2, one line."""
        code, _, err = run("frobnicate")
        assert code == 2 and "invalid choice: 'frobnicate'" in err and err.count("\n") == 1

    def test_help(self, run):
        """--help exits 0 and lists the commands."""
        code, out, _ = run("--help")
        assert code == 0
        for name in ("list", "show", "practice", "grade", "render", "course", "demo"):
            assert name in out

    def test_bad_bank_dir(self, run, tmp_path):
        """--bank pointing nowhere: exit 2, one line."""
        code, _, err = run("--bank", str(tmp_path / "nowhere"), "list")
        assert code == 2 and "does not exist" in err and err.count("\n") == 1

    def test_broken_bank(self, run, tmp_path):
        """A bank whose problem file is malformed: exit 2, one line naming the file."""
        (tmp_path / "problems").mkdir()
        (tmp_path / "solutions").mkdir()
        (tmp_path / "problems" / "bad.md").write_text("---\nid: bad\n---\nbody\n")
        code, _, err = run("--bank", str(tmp_path), "list")
        assert code == 2 and "bad.md" in err and err.count("\n") == 1
