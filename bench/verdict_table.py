"""Grade a large table of answers and print one JSON line per verdict (run on demand, not in pytest).

    PYTHONPATH=src .venv/bin/python bench/verdict_table.py [--variants N] > verdicts.jsonl

The table: the answers of tests/grading/test_student_forms.py; for every part of every problem
in N variants (canonical and N-1 students), the kind's ``examples()`` and answers made from the
reference as students vary it (scaled, negated, in other units, with a decimal comma, full
width, without unit, too few figures, words, each named mistake's value, another choice,
letters and numbers for a choice, a formula doubled or unbalanced); and whole problems graded
with their parts' answers together (error carried forward).  Two trees graded with this script
and diffed (``diff old.jsonl new.jsonl``) prove a refactor changes no verdict, note, message or
parameter.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

from membranelab.bank import grade, grade_part, load_bank
from membranelab.service.readback import read_answer

ROOT = Path(__file__).resolve().parents[1]


def _student_forms() -> list[tuple[str, str, str]]:
    spec = importlib.util.spec_from_file_location(
        "student_forms", ROOT / "tests" / "grading" / "test_student_forms.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    rows = []
    for table in ("NUMERIC", "CHOICES", "FORMULAS"):
        rows.extend((r[0], r[1], r[2]) for r in getattr(module, table, []))
    return rows


def _numeric_forms(text: str, number: float, unit: str, mistakes: dict[str, float]) -> list[object]:
    u = "" if unit in ("dimensionless", "") else f" {unit}"
    out: list[object] = [text, f"{text}{u}", f"{number:.3g}{u}", f"{number:.6g}{u}",
                         f"{number * 1.5:.4g}{u}", f"{-number:.4g}{u}", f"{number * 1e3:.4g}{u}",
                         f"{number / 1e3:.4g}{u}", f"{number:.3g}", f"{number:.1g}{u}",
                         f"{number:.2g}{u}", f"{number:.3g} V", f"{number:.3g} uV",
                         f"{number:.3g} kg", f"{number:.3g} {unit.upper()}",
                         f"{number:.3g} {unit.lower()}", f"{number:.4g}{u}".replace(".", ","),
                         f"≈ {number:.4g}{u}", f"{number:.4g}{u} (about)",
                         f"{number:.4g} {u}".translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789.-"}),
                         f"{number:.4g} qq", "about", "nan", f"{number:.4g}{u}{u}", "1,234" + u,
                         "x" * 300, number, f"{number:.4g}e999", f"1/{number:.3g}" if number else "0"]
    for value in mistakes.values():
        out += [f"{value:.4g}{u}", f"{value:.3g}{u}", f"{-value:.4g}{u}"]
    return out


def _choice_forms(kind: object, right: str) -> list[object]:
    options = list(getattr(kind, "options", ()))
    out: list[object] = [*options, right.upper(), f"  {right}.  ", "a", "b", "1", "2", "(a)",
                         "none", "", "qwzx", 3, b"bytes"]
    out += [f"{o} and {p}" for o in options[:2] for p in options[:2] if o != p]
    return out


def _formula_forms(text: str) -> list[object]:
    return [text, f"2*({text})", f"({text}", f"-({text})", f"({text})/2", text.replace("log", "log10"),
            text.replace("*", " "), text.replace("ln", "log"), "x+", "", "1", f"{text}+0",
            f"1.0001*({text})", "a*b", text.upper(), None]


def rows(bank, variants: int) -> list[tuple[str, str, str, object]]:
    out = [(p, part, "canonical", a) for p, part, a in _student_forms()]
    for problem in bank.problems.values():
        for index in range(variants):
            student = "canonical" if index == 0 else f"student{index:03d}"
            variant = problem.variant(student)
            for part in problem.parts:
                answer = variant.answer(part.id)
                kind = part.answer_kind
                answers: list[object] = [e.text for e in kind.examples(part, variant)]
                if answer.unit is not None and answer.number is not None:
                    answers += _numeric_forms(answer.text, answer.number, answer.unit,
                                              variant.mistake_values(part.id))
                elif kind.options:
                    answers += _choice_forms(kind, answer.text)
                else:
                    answers += _formula_forms(answer.text)
                out.extend((problem.id, part.id, student, a) for a in answers)
    return out


#: What a golden row keeps of a verdict (not its sentence, which is the catalog's wording).
GOLDEN_FIELDS = ("correct", "score", "note", "notes", "message_id", "params", "readable",
                 "expected", "answer")


def golden(bank) -> None:
    """One JSON line per answer of the canonical variants' table: the answer and the verdict's
    :data:`GOLDEN_FIELDS` (tests/bank/data/verdicts.jsonl; tests/bank/test_phases_table.py)."""
    forms = len(_student_forms())
    for index, (problem_id, part_id, student, answer) in enumerate(rows(bank, 1)):
        # every answer of the student-forms table, every 6th generated one (a small file)
        if not isinstance(answer, str) or len(answer) > 80 or (index >= forms and index % 6):
            continue
        problem = bank.problems[problem_id]
        result = grade_part(problem, problem.variant(student), problem.part(part_id), answer)
        kept = {k: v for k, v in result.to_dict().items() if k in GOLDEN_FIELDS}
        print(json.dumps([problem_id, part_id, answer, kept], ensure_ascii=False,
                         sort_keys=True))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", type=int, default=4, help="variants per problem")
    parser.add_argument("--golden", action="store_true",
                        help="the canonical table's verdicts without their sentences, for "
                             "tests/bank/data/verdicts.jsonl")
    options = parser.parse_args()
    bank = load_bank()
    if options.golden:
        golden(bank)
        return
    table = rows(bank, options.variants)
    count = 0
    for problem_id, part_id, student, answer in table:
        problem = bank.problems[problem_id]
        variant = problem.variant(student)
        result = grade_part(problem, variant, problem.part(part_id), answer)
        print(json.dumps([problem_id, part_id, student, repr(answer), result.to_dict(),
                          repr(result.reading)], ensure_ascii=False, sort_keys=True))
        count += 1
        if isinstance(answer, str) and answer.strip():  # the preview's reading of it
            reading = read_answer(problem.part(part_id), answer, problem)
            print(json.dumps(["read", problem_id, part_id, answer, reading.form,
                              dict(reading.values), reading.tex, reading.detail, reading.key,
                              repr(dict(reading.params))], ensure_ascii=False))
    # whole problems: each part's answer from the table's first rows, earlier parts carried
    for problem in bank.problems.values():
        for index in range(options.variants):
            student = "canonical" if index == 0 else f"student{index:03d}"
            variant = problem.variant(student)
            for shift in range(4):
                answers = {}
                for j, part in enumerate(problem.parts):
                    choices = [a for p, q, s, a in table if p == problem.id and q == part.id
                               and s == student]
                    if choices:
                        answers[part.id] = choices[(j + shift * 3) % len(choices)]
                result = grade(problem, variant, answers)
                print(json.dumps([problem.id, student, shift, result.to_dict()],
                                 ensure_ascii=False, sort_keys=True, default=repr))
                count += 1
    print(f"{count} verdicts", file=sys.stderr)


if __name__ == "__main__":
    main()
