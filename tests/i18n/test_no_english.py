"""No English sentence reaches a Chinese output: the zh statement, solution and feedback of every
problem, and the help of every command, scanned for Latin words outside math, code, symbols,
units and formulas (see :mod:`.latin`)."""

from __future__ import annotations

import argparse
import re

import pytest

from membranelab.bank import grade, load_bank, render_solution, render_statement
from membranelab.cli import build_parser
from membranelab.grading import render_part
from membranelab.messages import FEEDBACK_LEVELS

from .latin import english_words

BANK = load_bank()
IDS = sorted(BANK.problems)


def wrong_answers(variant) -> list[dict[str, str]]:
    """Answer sets that reach many messages: each mistake the parts name, wrong units and
    signs, unreadable text, formulas off by a factor, the wrong choice, nothing."""
    problem = variant.problem
    sets: list[dict[str, str]] = [{}, {p.id: "hello" for p in problem.parts},
                                  {p.id: "1,234" for p in problem.parts},
                                  {p.id: "(" for p in problem.parts}]
    for part in problem.parts:
        answer = variant.answers()[part.id]
        if part.kind == "numeric":
            unit = answer.unit or ""
            sets.append({part.id: f"{answer.value} kg"})
            sets.append({part.id: f"{-answer.value} {unit}"})
            sets.append({part.id: f"{answer.value * 1000} {unit}"})
            sets.append({part.id: f"{answer.value * 1.5} {unit}"})
            sets.append({part.id: f"{answer.value:.1g} {unit}"})
            sets.append({part.id: f"{answer.value}"})
            for value in variant.mistake_values(part.id).values():
                sets.append({part.id: f"{value} {unit}"})
        elif part.kind == "symbolic":
            sets.append({part.id: f"2*({answer.text})"})
            sets.append({part.id: f"-({answer.text})"})
            sets.append({part.id: "RT/F*ln(x)"})
        else:
            sets.append({part.id: next(c for c in part.answer_kind.choices if c != answer.text)})
            sets.append({part.id: answer.text})
    return sets


@pytest.mark.parametrize("pid", IDS)
def test_statement_and_solution(pid):
    """The Chinese statement and worked solution (with answers) of the canonical variant and of
    a student's variant."""
    for student in ("canonical", "alice"):
        variant = BANK[pid].variant(student, "ps1", lang="zh")
        for text in (render_statement(variant), render_solution(variant)):
            assert english_words(text) == [], (pid, student)


@pytest.mark.parametrize("pid", IDS)
def test_feedback(pid):
    """Every feedback sentence a zh variant's answers produce, at every level."""
    variant = BANK[pid].variant("bob", "ps1", lang="zh")
    seen = set()
    # what the feedback may repeat in Latin letters: part ids and the student's own text
    ids = sorted((p.id for p in BANK[pid].parts), key=len, reverse=True)
    for answers in wrong_answers(variant):
        echoed = sorted(answers.values(), key=len, reverse=True)
        for part in grade(BANK[pid], variant, answers).parts:
            for level in FEEDBACK_LEVELS:
                text = render_part(part, lang="zh", level=level, show_expected=True)
                if text in seen:
                    continue
                seen.add(text)
                scanned = text
                for literal in echoed + ids:
                    scanned = scanned.replace(literal, " ")
                assert english_words(scanned) == [], (pid, part.part_id, text)
    assert len(seen) > 5


def _parsers(parser):
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for child in action.choices.values():
                yield from _parsers(child)


def test_cli_help():
    """``--help`` of the program and of every command and subcommand, in Chinese."""
    helps = [p.format_help() for p in _parsers(build_parser("zh"))]
    assert len(helps) >= 10
    for text in helps:
        # the examples are command lines: what is typed, up to the Chinese explanation
        text = re.sub(r"membranelab [^\u4e00-\u9fff\n]*", " ", text)
        assert english_words(text) == [], text


def test_scanner_finds_english():
    """The scanner itself: English prose is found, math, code, units and ids are not."""
    assert english_words("The answer is right") == ["The", "answer", "right"]
    assert english_words("计算 $E_K = \\frac{RT}{F}\\ln 4$，单位 mV，见 `--student`。") == []
    assert english_words("nernst-potassium 的 E_K 为 -95 mV（310 K，GHK 方程）") == []
    assert english_words("[K⁺]_out；无效的选择：'bogus'（可选：'full', 'named'）") == []
    assert english_words("无效的选择：'not a value'") == ["not", "value"]
