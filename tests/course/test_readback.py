"""read_back: how an answer is read in a graded course, with no answer key in sight."""

from __future__ import annotations

import pytest

from membranelab.bank import load_bank
from membranelab.service.readback import read_back


@pytest.fixture(scope="module")
def problem():
    return load_bank().problems["nernst-potassium"]


class TestReadBack:
    @pytest.mark.parametrize(("answer", "expected"), [
        ("-95 mV", "E_K: read as \u221295 mV."),
        ("-0.095 V", "E_K: read as \u221295 mV (you wrote \u22120.095 V)."),   # 0.095 V = 95 mV
        ("\u221295 mV", "E_K: read as \u221295 mV."),                           # typographic minus
        ("-95", "E_K: read as \u221295; a number without a unit is read in mV."),
    ])
    def test_numbers_in_the_parts_unit(self, problem, answer, expected):
        """A number is shown converted to the part's unit, never judged."""
        assert read_back(problem.part("E_K"), answer) == expected

    @pytest.mark.parametrize("answer", ["abc", "-95 parsecs", "-95 mA"])
    def test_unreadable_answer_says_why(self, problem, answer):
        """No number, an unknown unit or a unit of another kind: says it cannot be read."""
        text = read_back(problem.part("E_K"), answer)
        assert text.startswith("E_K: this cannot be read as an answer:"), text

    def test_choice_by_letter(self, problem):
        """A choice's letter is read as that choice."""
        part = problem.part("direction")
        assert read_back(part, "b") == f"direction: read as the choice \u201c{part.answer_kind.choices[1]}\u201d."

    def test_formula(self, problem):
        """A formula is echoed as parsed (no verdict)."""
        text = read_back(problem.part("formula"), "R*T/F*ln(c_out/c_in)")
        assert text.startswith("formula: read as the formula ") and "log(" in text

    def test_empty(self, problem):
        """No answer: says so."""
        assert "no answer yet" in read_back(problem.part("E_K"), "  ")

    def test_says_nothing_about_right_or_wrong(self, problem):
        """The right answer and a wrong one read back the same way: no verdict leaks."""
        right = problem.variant("alice", "x").answers()["E_K"]
        for text in (f"{right.text} mV", "1 mV"):
            sentence = read_back(problem.part("E_K"), text)
            assert "orrect" not in sentence and "right" not in sentence


class TestChinese:
    """A Chinese course reads back in Chinese, choices in their Chinese text."""

    def test_number_converted(self, problem):
        text = read_back(problem.part("E_K"), "-0.095 V", lang="zh")  # 0.095 V = 95 mV
        assert text == "E_K：读作 \u221295 mV（你写的是 \u22120.095 V）。"

    def test_choice_in_chinese(self, problem):
        zh = problem.localized("zh").part("direction")
        text = read_back(zh, "b", lang="zh")
        assert text == f"direction：读作选项\u201c{zh.answer_kind.choices[1]}\u201d。"
        assert zh.answer_kind.choices[1] != problem.part("direction").answer_kind.choices[1]

    def test_unreadable_reason_in_chinese(self, problem):
        text = read_back(problem.part("E_K"), "-95 mA", lang="zh")
        assert text.startswith("E_K：无法作为答案读取：") and "mA" in text
        assert not any(word in text for word in ("cannot", "unit", "same kind"))
