"""End to end: a class's answers graded by ``membranelab grade``, reported by ``membranelab
report`` in English and Chinese, and each page opened in headless Chromium: every figure loads
(decoded, non-zero size), the tables are there, nothing is fetched from the network.  Full-page
screenshots are kept under pytest's tmp directory and copied to tests/artifacts/ (report-en.png,
report-zh.png)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys

import pytest

from membranelab.bank import load_bank

from .chromium import figures_loaded, only_local, open_report

pytestmark = [pytest.mark.slow, pytest.mark.chromium]

ASSIGNMENT = "hw1"
PROBLEMS = ("nernst-potassium", "nernst-sodium")


def _answer(bank, student: str, i: int, problem_id: str, part) -> str:
    """What student number ``i`` of 18 types: the stronger (low i) mostly right; log10 and
    swapped concentrations, garbage, blanks, letters, full-width digits and Chinese choices
    among the others."""
    variant = bank.problems[problem_id].variant(student, ASSIGNMENT)
    right = variant.answer(part.id)
    if part.kind == "numeric":
        mistakes = variant.mistake_values(part.id)
        if i % 6 == 5:
            return "banana"
        if i >= 12 and "log10" in mistakes:
            return f"{mistakes['log10']:.1f} mV"
        if i >= 8 and "swapped_in_out" in mistakes:
            return f"{mistakes['swapped_in_out']:.1f} mV"
        text = f"{right.text} {right.unit}"
        return text.translate(str.maketrans("0123456789", "０１２３４５６７８９")) if i == 3 else text
    if part.kind == "symbolic":
        return "" if i >= 10 else right.text
    choices = part.answer_kind.options
    if i < 6:
        return "b" if i % 2 else right.text
    if i == 7:
        return "流入细胞"
    return choices[i % len(choices)]


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    """grades.csv of 18 students, then the report in en and zh."""
    bank = load_bank()
    root = tmp_path_factory.mktemp("class-report")
    rows = []
    for i in range(18):
        student = f"s{i:02d}"
        for pid in PROBLEMS:
            for part in bank.problems[pid].parts:
                rows.append([student, ASSIGNMENT, pid, part.id,
                             _answer(bank, student, i, pid, part)])
    with open(root / "answers.csv", "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["student", "assignment", "problem", "part", "answer"])
        writer.writerows(rows)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    run = [sys.executable, "-m", "membranelab"]
    subprocess.run([*run, "grade", "answers.csv", "-o", "grades.csv", "--no-progress", "-j", "1"],
                   cwd=root, env=env, check=True, capture_output=True, timeout=600)
    for lang in ("en", "zh"):
        subprocess.run([*run, "report", "grades.csv", "-o", f"report-{lang}", "--lang", lang],
                       cwd=root, env=env, check=True, capture_output=True, timeout=600)
    return root


@pytest.mark.parametrize(("lang", "title", "heading"), [
    ("en", "Class report", "Discrimination index (%)"),
    ("zh", "班级报告", "区分度指数（%）"),
])
def test_report_in_chromium(reports, lang, title, heading):
    """Figures decoded by the browser, tables filled, no request outside the page itself."""
    seen = open_report(reports / f"report-{lang}" / "report.html", f"report-{lang}")
    assert seen["title"] == title
    assert figures_loaded(seen, 3)
    assert seen["rows"]["parts"] == 1 + 6  # header + 6 parts
    assert seen["rows"]["students"] == 2 + 18  # two header rows
    assert seen["tables"]["options"] == 2  # the two choice parts
    assert seen["tables"]["mistakes"] >= 2
    assert heading in seen["parts_text"]
    assert only_local(seen), seen["requests"]
    assert seen["shot"].stat().st_size > 100_000
