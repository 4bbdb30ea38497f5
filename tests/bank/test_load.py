"""Loading: the repository's bank, the public API, and malformed files naming file and field."""

from pathlib import Path

import pytest

import membranelab.bank as bank_module
from membranelab.bank import BankError, Problem, load_bank

MINIMAL = """---
id: demo
title: Demo
topic: nernst
source: "test"
params:
  K_out: {low: 2, high: 8, step: 1, unit: mM, canonical: 4}
  K_in: {low: 120, high: 160, step: 10, unit: mM, canonical: 140}
  T: {value: 310, unit: K}
derived:
  E_K: {solver: nernst_potential, args: {c_out: K_out, c_in: K_in, z: 1, temperature: T}}
parts:
  - id: E_K
    prompt: "E_K?"
    kind: numeric
    value: E_K
    unit: mV
  - id: sign
    prompt: "Sign?"
    kind: choice
    choices: [negative, positive]
    answer: {if: "E_K < 0", then: negative, else: positive}
---
[K+]o = {{K_out}} mM, [K+]i = {{K_in}} mM.
"""
SOLUTION = "E_K = {{E_K}} mV ({{E_K|V|4}} V).\n"


def write(root: Path, problem: str = MINIMAL, solution: str = SOLUTION) -> Path:
    (root / "problems").mkdir(exist_ok=True)
    (root / "solutions").mkdir(exist_ok=True)
    (root / "problems" / "demo.md").write_text(problem, encoding="utf-8")
    (root / "solutions" / "demo.md").write_text(solution, encoding="utf-8")
    return root


class TestRepositoryBank:
    def test_every_problem_loads(self, bank):
        """The repository holds at least 17 problems, each with two or more parts."""
        assert len(bank) >= 17
        for problem in bank:
            assert isinstance(problem, Problem)
            assert len(problem.parts) >= 2, problem.id
            assert problem.solution.strip(), problem.id

    def test_cached(self, bank):
        """Loading twice gives the same object while files are unchanged (other tests load many
        fixture banks, which may have evicted the session's copy: compare two fresh loads)."""
        first = load_bank()
        assert load_bank() is first and first.problems.keys() == bank.problems.keys()

    def test_env_var(self, monkeypatch, tmp_path):
        """MEMBRANELAB_BANK points the default loader elsewhere."""
        write(tmp_path)
        monkeypatch.setenv("MEMBRANELAB_BANK", str(tmp_path))
        assert list(load_bank().problems) == ["demo"]

    def test_public_api(self):
        """__all__ lists the documented names."""
        assert set(bank_module.__all__) >= {
            "load_bank", "Bank", "Problem", "Part", "Parameter", "Variant", "BankError", "grade",
            "render_statement", "render_solution", "render_model"}
        for name in bank_module.__all__:
            assert hasattr(bank_module, name)


class TestMalformed:
    def test_minimal_loads(self, tmp_path):
        """The fixture itself is valid."""
        assert load_bank(write(tmp_path)).problems["demo"].part("E_K").answer_kind.unit == "mV"

    @pytest.mark.parametrize("field", ["title", "params", "parts", "source"])
    def test_missing_field(self, tmp_path, field):
        """A missing top-level field is named."""
        lines = [ln for ln in MINIMAL.splitlines() if not ln.startswith(f"{field}:")]
        if field == "params":
            lines = [ln for ln in lines if not ln.startswith("  K_") and not ln.startswith("  T:")]
        if field == "parts":
            start = lines.index("  - id: E_K")
            lines = lines[:start] + lines[lines.index("---", 1):]
        write(tmp_path, "\n".join(lines) + "\n")
        with pytest.raises(BankError, match=rf"demo\.md: {field}: missing"):
            load_bank(tmp_path)

    def test_missing_unit(self, tmp_path):
        """A numeric part without unit names the part's field."""
        write(tmp_path, MINIMAL.replace("    unit: mV\n", ""))
        with pytest.raises(BankError, match=r"demo\.md: parts\[0\]\.unit: missing"):
            load_bank(tmp_path)

    def test_bad_unit(self, tmp_path):
        """An unknown unit names the parameter's unit field."""
        write(tmp_path, MINIMAL.replace("unit: mM, canonical: 4", "unit: blorp, canonical: 4"))
        with pytest.raises(BankError, match=r"demo\.md: params\.K_out\.unit: unknown unit 'blorp'"):
            load_bank(tmp_path)

    def test_unknown_solver(self, tmp_path):
        """An unknown solver names the derived value's solver field."""
        write(tmp_path, MINIMAL.replace("solver: nernst_potential", "solver: nernst_magic"))
        with pytest.raises(BankError, match=r"demo\.md: derived\.E_K\.solver: unknown solver 'nernst_magic'"):
            load_bank(tmp_path)

    def test_unknown_placeholder_in_body(self, tmp_path):
        """A placeholder naming no parameter is an error of the body."""
        write(tmp_path, MINIMAL.replace("{{K_in}}", "{{K_inside}}"))
        with pytest.raises(BankError, match=r"demo\.md: body: unknown name \{\{K_inside\}\}"):
            load_bank(tmp_path)

    def test_unknown_placeholder_in_solution(self, tmp_path):
        """A placeholder naming nothing in the solution names the solution file."""
        write(tmp_path, solution="{{E_Na}}\n")
        with pytest.raises(BankError, match=r"demo\.md: solution: unknown name \{\{E_Na\}\}"):
            load_bank(tmp_path)

    def test_bad_unit_in_placeholder(self, tmp_path):
        """A placeholder's unit is checked at load time."""
        write(tmp_path, solution="{{E_K|blorp}}\n")
        with pytest.raises(BankError, match=r"solution: \{\{E_K\|blorp\}\}: unknown unit"):
            load_bank(tmp_path)

    def test_unknown_arg_name(self, tmp_path):
        """A solver argument naming nothing is reported with its path."""
        write(tmp_path, MINIMAL.replace("c_in: K_in", "c_in: K_i"))
        with pytest.raises(BankError, match=r"derived\.E_K\.args\.c_in: unknown name 'K_i'"):
            load_bank(tmp_path)

    def test_wrong_solver_args(self, tmp_path):
        """Arguments that do not fit the solver's signature are reported."""
        write(tmp_path, MINIMAL.replace("z: 1, temperature: T", "valence: 1, temperature: T"))
        with pytest.raises(BankError, match=r"derived\.E_K\.args: do not fit nernst_potential"):
            load_bank(tmp_path)

    def test_no_front_matter(self, tmp_path):
        """A file without front matter says so."""
        write(tmp_path, "just text\n")
        with pytest.raises(BankError, match=r"demo\.md: front matter: missing"):
            load_bank(tmp_path)

    def test_bad_yaml(self, tmp_path):
        """Invalid YAML is reported as such, not as a traceback."""
        write(tmp_path, MINIMAL.replace("title: Demo", "title: Demo: broken: [yaml"))
        with pytest.raises(BankError, match=r"demo\.md: front matter: invalid YAML"):
            load_bank(tmp_path)

    def test_missing_solution(self, tmp_path):
        """A problem without a worked solution names the field 'solution'."""
        write(tmp_path)
        (tmp_path / "solutions" / "demo.md").unlink()
        with pytest.raises(BankError, match=r"demo\.md: solution: no worked solution"):
            load_bank(tmp_path)

    def test_choice_answer_not_a_choice(self, tmp_path):
        """A choice answer must be one of the choices."""
        write(tmp_path, MINIMAL.replace("then: negative", "then: minus"))
        with pytest.raises(BankError, match=r"parts\[1\]\.answer\.then: 'minus' is not one of"):
            load_bank(tmp_path)

    def test_unsafe_expression(self, tmp_path):
        """Expressions are parsed by the bank's own grammar: attribute access is refused."""
        write(tmp_path, MINIMAL.replace('if: "E_K < 0"', 'if: "E_K.__class__ < 0"'))
        with pytest.raises(BankError, match=r"parts\[1\]\.answer\.if: cannot parse"):
            load_bank(tmp_path)

    def test_id_must_match_file(self, tmp_path):
        """The id is the file name."""
        write(tmp_path, MINIMAL.replace("id: demo", "id: other"))
        with pytest.raises(BankError, match=r"demo\.md: id: 'other' differs"):
            load_bank(tmp_path)

    def test_ungradeable_choice(self, tmp_path):
        """A choice the grader cannot recognise when typed exactly is refused at load time."""
        too_long = "positive " + "and much more " * 20  # over the grader's 200-character bound
        write(tmp_path, MINIMAL.replace("choices: [negative, positive]",
                                        f"choices: [negative, {too_long}]"))
        with pytest.raises(BankError, match=r"parts\[1\]\.choices: the grader does not recognise"):
            load_bank(tmp_path)


class TestUnitsOfAnswersAndPlots:
    """A part's unit and a sweep's axis unit must fit the dimension of what they show."""

    def test_part_unit_of_another_dimension(self, tmp_path):
        """E_K (a voltage) asked for in mM is refused at load, naming file and field."""
        bad = MINIMAL.replace("    value: E_K\n    unit: mV\n", "    value: E_K\n    unit: mM\n")
        assert bad != MINIMAL
        with pytest.raises(BankError, match=r"demo\.md: parts\[0\]\.unit: .*mM"):
            load_bank(write(tmp_path, bad))

    def test_sweep_unit_of_another_dimension(self, tmp_path):
        """A sweep plotting E_K on an axis in pA is refused; in mV it loads."""
        figure = ("figures:\n  - {id: f, kind: sweep, x: K_out, range: [2, 8], y: [E_K], "
                  "unit: UNIT, caption: \"E_K\"}\n---\n")
        good = MINIMAL.replace("---\n[K+]o", figure.replace("UNIT", "mV") + "[K+]o")
        assert load_bank(write(tmp_path, good))["demo"].figures[0].kind == "sweep"
        bad = MINIMAL.replace("---\n[K+]o", figure.replace("UNIT", "pA") + "[K+]o")
        other = tmp_path / "bad"
        other.mkdir()
        with pytest.raises(BankError, match=r"figures\[0\]\.unit: E_K: .*pA"):
            load_bank(write(other, bad))
