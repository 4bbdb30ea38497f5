"""Installs by role (pyproject.toml's extras): the plain install (no Jupyter, nbgrader, nbformat,
matplotlib or Babel) practises, shows, serves and grades; a course command without ``[course]``
says in one line what to install.  The plain install is simulated in a subprocess whose imports
of those packages fail, as they would where they are not installed."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
#: Top-level modules the extras bring (and that the plain install must not need).
EXTRA_MODULES = ("nbgrader", "nbformat", "nbconvert", "nbclient", "jupyter_core",
                 "jupyter_client", "jupyter_server", "jupyterlab", "notebook", "IPython",
                 "ipykernel", "traitlets", "matplotlib", "babel")

_BLOCK = textwrap.dedent(f"""
    import importlib.abc, sys
    BLOCKED = {EXTRA_MODULES!r}
    class Block(importlib.abc.MetaPathFinder):
        def find_spec(self, name, path=None, target=None):
            if name.split(".")[0] in BLOCKED:
                raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
            return None
    sys.meta_path.insert(0, Block())
    import importlib.util
    _find = importlib.util.find_spec
    importlib.util.find_spec = lambda name, *a: None if name.split(".")[0] in BLOCKED else _find(name, *a)
""")


def plain(code: str, tmp_path: Path) -> subprocess.CompletedProcess:
    """Run ``code`` in a Python where the extras' modules cannot be imported."""
    env = {**os.environ, "MEMBRANELAB_DATA_DIR": str(tmp_path), "MEMBRANELAB_LANG": "en",
           "NO_COLOR": "1", "COLUMNS": "120"}
    return subprocess.run([sys.executable, "-c", _BLOCK + textwrap.dedent(code)], env=env,
                          capture_output=True, text=True, timeout=600, cwd=tmp_path)


def cli(args: list[str], tmp_path: Path) -> subprocess.CompletedProcess:
    return plain(f"from membranelab.cli import main; raise SystemExit(main({args!r}))", tmp_path)


class TestExtras:
    def test_roles(self):
        """Plain: no nbgrader, Jupyter, matplotlib or Babel; [course] has nbgrader; [dev] has
        [course] and the tests' tools."""
        tomllib = pytest.importorskip("tomllib")  # Python 3.11+
        project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
        plain_deps = " ".join(project["dependencies"]).lower()
        for heavy in ("nbgrader", "jupyter", "nbformat", "matplotlib", "babel", "[standard]"):
            assert heavy not in plain_deps
        extras = project["optional-dependencies"]
        assert any(d.startswith("nbgrader") for d in extras["course"])
        assert "membranelab[course]" in extras["dev"] and "membranelab[figures]" in extras["course"]
        assert any(d.startswith("pytest") for d in extras["dev"])

    def test_readme_commands(self):
        """The README's first command is one line that installs the plain package and runs the
        demo; its test command installs [dev] itself; every install's size is stated."""
        text = (REPO / "README.md").read_text(encoding="utf-8")
        block = text.split("```bash\n", 1)[1].split("```", 1)[0].splitlines()
        assert block[0] == ("python3 -m venv .venv && .venv/bin/pip install -e . && "
                            ".venv/bin/membranelab demo")
        assert "-e '.[dev]'" in block[1] and block[1].endswith("python -m pytest -q")
        section = text.split("## Installs by role", 1)[1].split("\n## ", 1)[0]
        for role in ("`pip install membranelab`", "membranelab[course]", "membranelab[dev]"):
            row = next(line for line in section.splitlines() if role in line)
            assert " MB " in row and " s |" in row

    def test_ci_installs_dev(self):
        """The CI script installs the [dev] extra (the tests need nbgrader and Chromium's driver)."""
        assert "-e '.[dev]'" in (REPO / ".ci" / "run").read_text(encoding="utf-8")


@pytest.mark.slow
class TestPlainInstall:
    def test_demo(self, tmp_path):
        """The README's first command's demo runs without the extras."""
        result = cli(["demo"], tmp_path)
        assert result.returncode == 0, result.stderr
        assert "Correct" in result.stdout and "typical mistake" in result.stdout

    def test_show_as_notebook(self, tmp_path):
        """A notebook is written without nbformat, and nbformat (where installed) accepts it."""
        result = cli(["show", "nernst-potassium", "--format", "notebook"], tmp_path)
        assert result.returncode == 0, result.stderr
        import nbformat

        nbformat.validate(nbformat.reads(result.stdout, as_version=4))

    def test_practice_notebook(self, tmp_path):
        """practice --notebook writes a valid notebook without nbformat."""
        result = cli(["practice", "--notebook", "-o", "study.ipynb", "--student", "lena"],
                     tmp_path)
        assert result.returncode == 0, result.stderr
        import nbformat

        nb = nbformat.read(str(tmp_path / "study.ipynb"), as_version=4)
        nbformat.validate(nb)
        assert "SelfStudy" in nb.cells[1].source

    def test_grade(self, tmp_path):
        """grade reads a CSV and writes grades without the extras."""
        (tmp_path / "answers.csv").write_text(
            "student,assignment,problem,part,answer\nlena,practice,nernst-potassium,E_K,-90 mV\n",
            encoding="utf-8")
        result = cli(["grade", "answers.csv", "-o", "grades.csv", "--json"], tmp_path)
        assert result.returncode == 0, result.stderr
        assert (tmp_path / "grades.csv").read_text(encoding="utf-8").count("\n") == 2

    def test_course_command_says_what_to_install(self, tmp_path):
        """A course command without [course]: exit 2 and one line naming the extra."""
        result = cli(["course", "build", "--course-dir", str(REPO / "course")], tmp_path)
        assert result.returncode == 2
        assert result.stderr.count("\n") == 1
        assert "pip install 'membranelab[course]'" in result.stderr

    def test_course_command_in_chinese(self, tmp_path):
        """The same line in Chinese."""
        result = cli(["--lang", "zh", "course", "check"], tmp_path)
        assert result.returncode == 2 and result.stderr.count("\n") == 1
        assert "需要安装 [course]" in result.stderr

    def test_serve_pages_and_solution_figure_as_caption(self, tmp_path):
        """The self-study server serves a problem and a worked solution whose figure, not drawn
        without matplotlib, is shown by its caption; the catalog loads without Babel."""
        result = plain("""
            import json, sys
            from starlette.testclient import TestClient
            from membranelab.web import ServeConfig, create_app
            from membranelab.bank import load_bank
            bank = load_bank()
            problem = next(p for p in bank.problems.values() if p.figures)
            app = create_app(ServeConfig(student="lena", lang="zh"))
            with TestClient(app, base_url="http://127.0.0.1") as client:
                page = client.get(f"/p/{problem.id}")
                import re
                csrf = re.search(r'name="csrf" content="([0-9a-f]*)"', page.text).group(1)
                sol = client.post(f"/p/{problem.id}/solution", data={"csrf": csrf, "confirm": "yes"},
                                  headers={"Accept": "application/json"})
            print(json.dumps({"page": page.status_code, "sol": sol.status_code,
                              "html": sol.json()["html"], "caption": problem.figures[0].caption,
                              "modules": sorted(m for m in sys.modules if m.split(".")[0] in
                                                ("matplotlib", "babel", "nbformat"))}))
        """, tmp_path)
        assert result.returncode == 0, result.stderr
        out = json.loads(result.stdout.strip().splitlines()[-1])
        assert out["page"] == 200 and out["sol"] == 200 and out["modules"] == []
        assert "<img" not in out["html"]
