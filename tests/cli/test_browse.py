"""``list``, ``show`` and ``render``: happy paths, JSON, and one-line errors."""

from __future__ import annotations

import json
import re

import pytest

from .conftest import PROBLEM


class TestList:
    def test_table_lists_every_problem(self, run, bank):
        """The table names every problem id."""
        code, out, _ = run("list")
        assert code == 0
        for problem_id in bank.problems:
            assert problem_id in out

    def test_topic_filter(self, run, bank):
        """--topic keeps only that topic's problems."""
        topic = bank.problems[PROBLEM].topic
        code, out, _ = run("list", "--topic", topic, "--json")
        assert code == 0
        rows = json.loads(out)
        assert {r["id"] for r in rows} == {p.id for p in bank.problems.values() if p.topic == topic}

    def test_chinese_topic_names(self, run, bank):
        """In Chinese the topic column and the JSON's topic_name are the topics' Chinese names
        (the JSON's topic stays the id, for scripts)."""
        code, out, _ = run("--lang", "zh", "list", "--json")
        assert code == 0
        rows = {r["id"]: r for r in json.loads(out)}
        assert rows["donnan-after-pump"]["topic_name"] == "唐南平衡"
        assert rows["pump-hyperpolarization"]["topic_name"] == "钠钾泵"
        assert rows["nernst-potassium"]["topic"] == "nernst"
        code, out, _ = run("--lang", "zh", "list", "--topic", "pump")
        assert code == 0 and "钠钾泵" in out and not re.search(r"│ pump +│", out)

    def test_unknown_topic(self, run):
        """An unknown topic: exit 2, one line naming the known topics."""
        code, out, err = run("list", "--topic", "astrology")
        assert code == 2 and out == ""
        assert err.startswith("membranelab: error: unknown topic 'astrology'; topics are: ")
        assert err.count("\n") == 1


class TestShow:
    def test_canonical_statement(self, run, bank):
        """Without --student the canonical variant's statement is shown."""
        code, out, _ = run("show", PROBLEM)
        assert code == 0
        assert bank.problems[PROBLEM].title in out and "canonical" in out

    def test_student_variant_json_with_solution(self, run, bank):
        """--json --student --solution gives the student's numbers, parts and answers."""
        code, out, _ = run("show", PROBLEM, "--student", "alice", "--solution", "--json")
        assert code == 0
        data = json.loads(out)
        variant = bank.problems[PROBLEM].variant("alice", "practice")
        assert data["variant"] == variant.key
        assert data["params"] == pytest.approx(dict(variant.params))
        assert [p["id"] for p in data["parts"]] == [p.id for p in bank.problems[PROBLEM].parts]
        assert data["answers"] == {k: a.text for k, a in variant.answers().items()}
        assert data["solution"]

    def test_json_part_prompts_have_the_students_numbers(self, run, bank):
        """Part prompts in --json are filled: the student's V_rest, written as the parameter's
        own display text, and no {{placeholder}} left anywhere."""
        code, out, _ = run("show", PROBLEM, "--student", "alice", "--json")
        data = json.loads(out)
        variant = bank.problems[PROBLEM].variant("alice", "practice")
        v_rest = bank.problems[PROBLEM].params["V_rest"].display(variant.params["V_rest"])
        direction = next(p for p in data["parts"] if p["id"] == "direction")
        assert f"At a resting potential of {v_rest} mV" in direction["prompt"]
        assert "{{" not in out

    def test_json_without_solution_hides_answers(self, run):
        """Without --solution the JSON carries no answers."""
        data = json.loads(run("show", PROBLEM, "--json")[1])
        assert "answers" not in data and "solution" not in data

    def test_solution_in_terminal(self, run):
        """--solution prints the worked solution after the statement."""
        code, out, _ = run("show", PROBLEM, "--student", "bob", "--solution")
        assert code == 0 and "Worked solution" in out

    def test_show_in_another_format_prints_its_document(self, run, bank):
        """``show --format markdown`` prints the Markdown document (TeX kept, no terminal rule);
        ``--format terminal`` (the default) the same text with its math in Unicode."""
        code, out, _ = run("show", PROBLEM, "--format", "markdown", "--solution")
        assert code == 0
        assert out.startswith("# Potassium equilibrium potential\n")
        assert "$E_K$" in out and "\n---\n" in out and "## Answers" in out
        code, out, _ = run("show", PROBLEM)
        assert code == 0 and "$E_K$" not in out and "E_K" in out and "─" in out

    def test_unknown_id_suggests(self, run):
        """A misspelt id: exit 2 and a suggestion, one line."""
        code, out, err = run("show", "nernst-potasium")
        assert (code, out) == (2, "")
        assert err.startswith("membranelab: error: unknown problem id 'nernst-potasium'; "
                              "did you mean nernst-potassium")
        assert err.count("\n") == 1


class TestRender:
    @pytest.mark.parametrize(("fmt", "suffix", "marker"), [
        ("markdown", ".md", "$"), ("html", ".html", "<"), ("notebook", ".ipynb", '"cells"'),
        ("terminal", ".txt", "E_K = ")])
    def test_formats(self, run, tmp_path, fmt, suffix, marker):
        """Each format writes one file per problem named by id and student."""
        code, out, err = run("render", PROBLEM, "--format", fmt, "-o", str(tmp_path / "r"),
                             "--student", "alice", "--solution")
        assert code == 0, err
        target = tmp_path / "r" / f"{PROBLEM}-alice{suffix}"
        assert target.exists() and marker in target.read_text()
        assert "wrote 1 file(s)" in out

    def test_html_is_a_whole_page(self, run, tmp_path):
        """HTML output is a complete page with the statement and the solution."""
        run("render", PROBLEM, "--format", "html", "-o", str(tmp_path), "--solution")
        page = (tmp_path / f"{PROBLEM}.html").read_text()
        assert page.startswith("<!DOCTYPE html>") and page.count("<html") == 1
        assert "Solution" in page

    def test_notebook_is_valid(self, run, tmp_path):
        """The rendered notebook validates against the nbformat schema."""
        import nbformat

        run("render", PROBLEM, "--format", "notebook", "-o", str(tmp_path))
        nbformat.validate(nbformat.read(tmp_path / f"{PROBLEM}.ipynb", as_version=4))

    def test_terminal_text_has_unicode_math(self, run, tmp_path):
        """The terminal format's file is the Markdown with its TeX made readable."""
        assert run("render", PROBLEM, "--format", "terminal", "-o", str(tmp_path),
                   "--solution")[0] == 0
        text = (tmp_path / f"{PROBLEM}.txt").read_text(encoding="utf-8")
        assert "$" not in text and "[K⁺]" in text and "(a) -95.0 mV" in text

    def test_all_problems_by_default(self, run, bank, tmp_path):
        """Without ids every problem is rendered."""
        assert run("render", "-o", str(tmp_path))[0] == 0
        assert {p.stem for p in tmp_path.glob("*.md")} == set(bank.problems)

    def test_errors(self, run, tmp_path):
        """Unknown id, unknown format, output path that is a file: exit 2, one line."""
        assert run("render", "nope", "-o", str(tmp_path))[0] == 2
        code, _, err = run("render", "--format", "pdf")
        assert code == 2 and "invalid choice: 'pdf'" in err and err.count("\n") == 1
        (tmp_path / "file").write_text("x")
        code, _, err = run("render", PROBLEM, "-o", str(tmp_path / "file"))
        assert code == 2 and "is not a directory" in err
