"""``practice --notebook``: a self-study notebook whose answer cells are checked on the spot."""

from __future__ import annotations

import nbformat
import pytest

from .conftest import PROBLEM


def _outputs(cell) -> str:
    text = []
    for output in cell.get("outputs", []):
        text.append(output.get("text", ""))
        text.append(output.get("data", {}).get("text/markdown", ""))
        text.append(output.get("evalue", ""))
    return "".join(text)


@pytest.fixture
def notebook_path(run, tmp_path):
    path = tmp_path / "study.ipynb"
    code, out, err = run("practice", "--notebook", "--problem", PROBLEM, "--student", "alice",
                         "-o", str(path))
    assert code == 0, err
    assert f"wrote {path}" in out.replace("\n", "")
    return path


class TestNotebookFile:
    def test_valid_with_one_answer_cell_per_part(self, notebook_path, bank):
        """The notebook validates and has an %%answer cell for every part."""
        nb = nbformat.read(notebook_path, as_version=4)
        nbformat.validate(nb)
        answers = [c.source.splitlines()[0] for c in nb.cells
                   if c.cell_type == "code" and c.source.startswith("%%answer")]
        assert answers == [f"%%answer {PROBLEM} {p.id}" for p in bank.problems[PROBLEM].parts]

    def test_prompts_name_a_unit_only_when_the_answer_has_one(self, run, tmp_path):
        """A pure-number part's prompt says no unit (it once read "(in dimensionless)"); a part
        answered in J/(K*s) names that unit as students type it; a choice part names none."""
        path = tmp_path / "entropy.ipynb"
        code, _, err = run("practice", "--notebook", "--problem", "energetics-entropy",
                           "--problem", "selectivity-barrier", "--student", "alice",
                           "-o", str(path))
        assert code == 0, err
        cells = nbformat.read(path, as_version=4).cells
        prompts = {c.source.split("**")[1]: c.source for c in cells
                   if c.cell_type == "markdown" and c.source.startswith("**")}
        assert "dimensionless" not in "".join(prompts.values())
        assert "(in J/(K*s))" in prompts["S_dot"]
        assert "(in" not in prompts["exponent"].split("\n")[0]
        assert "(in" not in prompts["equilibrium"].split("\n")[0]

    def test_run_all_spoils_nothing(self, notebook_path):
        """Solutions are behind a commented-out command, so "Run all" shows none."""
        nb = nbformat.read(notebook_path, as_version=4)
        assert not [c for c in nb.cells if c.source.startswith("%solution")]
        assert [c for c in nb.cells if c.source.endswith(f"# %solution {PROBLEM}")]

    def test_statement_keeps_tex_for_jupyter(self, notebook_path):
        """Math stays as TeX ($...$) so Jupyter renders it natively."""
        nb = nbformat.read(notebook_path, as_version=4)
        assert any("$" in c.source for c in nb.cells if c.cell_type == "markdown")

    def test_deterministic(self, run, notebook_path, tmp_path):
        """The same command writes the same bytes."""
        again = tmp_path / "again.ipynb"
        run("practice", "--notebook", "--problem", PROBLEM, "--student", "alice", "-o", str(again))
        assert again.read_bytes() == notebook_path.read_bytes()

    def test_output_is_directory(self, run, tmp_path):
        """-o naming a directory: exit 2, one line."""
        code, _, err = run("practice", "--notebook", "-o", str(tmp_path))
        assert code == 2 and "is a directory" in err and err.count("\n") == 1


class TestNotebookRuns:
    @pytest.mark.slow
    def test_answers_checked_on_the_spot(self, notebook_path, bank):
        """Executed in a kernel: a mistake gets its feedback, a hint shows, a right answer scores."""
        from nbclient import NotebookClient

        variant = bank.problems[PROBLEM].variant("alice", "practice")
        log10 = variant.mistake_values("E_K")["log10"]
        right = variant.answers()["formula"].text
        nb = nbformat.read(notebook_path, as_version=4)
        cells = {c.source.splitlines()[0]: c for c in nb.cells if c.cell_type == "code"}
        cells[f"%%answer {PROBLEM} E_K"].source += f"{log10:.4g} mV"
        cells[f"%%answer {PROBLEM} formula"].source += right
        solution = next(c for c in nb.cells if c.source.endswith(f"# %solution {PROBLEM}"))
        solution.source = solution.source.replace("# %solution", "%solution")
        hint = nbformat.v4.new_code_cell(f"%hint {PROBLEM} E_K")
        nb.cells.insert(nb.cells.index(cells[f"%%answer {PROBLEM} E_K"]) + 1, hint)
        NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False).execute()
        assert "log10" in _outputs(cells[f"%%answer {PROBLEM} E_K"])
        assert "2 tries left" in _outputs(cells[f"%%answer {PROBLEM} E_K"])
        assert "Hint 1/" in _outputs(hint)
        assert "✓ Correct" in _outputs(cells[f"%%answer {PROBLEM} formula"])
        assert "Running score: 1 / 2" in _outputs(nb.cells[-1])
        assert "Solution" in _outputs(solution)
        assert "Write your answer" in _outputs(cells[f"%%answer {PROBLEM} direction"])


class TestSelfStudyProgress:
    """The self-study runtime keeps its tries in the progress store, like ``practice``."""

    def test_tries_survive_a_new_session(self, bank, data_dir, capsys):
        """Re-running the setup cell (a new SelfStudy) does not give the tries back."""
        from membranelab.notebooks.selfstudy import SelfStudy

        first = SelfStudy("alice", register=False)
        first.check(PROBLEM, "E_K", "1 mV")
        first.check(PROBLEM, "E_K", "2 mV")
        again = SelfStudy("alice", register=False)
        again.check(PROBLEM, "E_K", "3 mV")
        out = capsys.readouterr().out
        assert "No tries left. The answer is" in out
        again.check(PROBLEM, "E_K", "4 mV")
        assert "No tries left for this part" in capsys.readouterr().out
        import json

        saved = json.loads((data_dir / "progress.json").read_text())
        assert saved["students"]["alice"]["problems"][PROBLEM]["tries"] == {"E_K": 3}

    def test_unreadable_answer_costs_no_try(self, bank, data_dir, capsys):
        """Text that cannot be read as an answer gets its message and no try is spent."""
        from membranelab.notebooks.selfstudy import SelfStudy
        from membranelab.service.progress_store import ProgressStore

        study = SelfStudy("alice", register=False)
        result = study.check(PROBLEM, "E_K", "-95 xyz")
        assert not result.readable
        assert "xyz is not a unit" in capsys.readouterr().out
        study.check(PROBLEM, "E_K", "1 mV")
        progress = ProgressStore().get("alice", PROBLEM)
        assert progress.tries == {"E_K": 1}

    def test_solution_makes_later_answers_worth_nothing(self, bank, data_dir, capsys):
        """After %solution, a right answer to an unanswered part earns 0 and is saved so."""
        from membranelab.notebooks.selfstudy import SelfStudy
        from membranelab.service.progress_store import ProgressStore

        variant = bank.problems[PROBLEM].variant("alice", "practice")
        study = SelfStudy("alice", register=False)
        study.solution(PROBLEM)
        result = study.check(PROBLEM, "formula", variant.answers()["formula"].text)
        assert result.correct
        assert "practice only, no points" in capsys.readouterr().out
        progress = ProgressStore().get("alice", PROBLEM)
        assert progress.revealed and progress.scores == {"formula": 0.0}
        assert study.score_line() == "Running score: 0 / 1 points"

    def test_solution_draws_its_figures_in_the_output(self, bank, data_dir, capsys):
        """%solution shows the worked solution with its figure drawn in the output (a PNG as a
        data: URI: a notebook has no folder beside it), not its caption alone."""
        import base64
        import re

        from membranelab.notebooks.selfstudy import SelfStudy

        SelfStudy("alice", register=False).solution("nernst-potassium")
        out = capsys.readouterr().out
        images = re.findall(r"!\[(.*?)\]\(data:image/png;base64,([A-Za-z0-9+/=]+)\)", out)
        assert len(images) == 1
        caption, payload = images[0]
        assert "E_K against [K+]o" in caption
        png = base64.b64decode(payload)
        assert png.startswith(b"\x89PNG\r\n\x1a\n") and len(png) > 10_000

