"""Answer kinds are types in a registry: a new kind is one module, and nothing else branches on a
kind's name."""

import re
import sys
from pathlib import Path

import pytest
from bankfixture import plugin, write

from membranelab.bank import grade_part, load_bank, render_solution, render_statement
from membranelab.bank.check import check_problem
from membranelab.bank.kinds import kind_class, kind_names, unregister

SRC = Path(__file__).resolve().parents[2] / "src" / "membranelab"

# A toy kind written the way a plug-in author would: one module, no other module edited. It asks
# for an ordering (e.g. of permeabilities) typed as a list; half a point when only the first is
# right.
TOY_MODULE = '''
import re
import sys
from dataclasses import dataclass, replace

from membranelab.bank.kinds import AnswerKind, Reading, register
from membranelab.bank.model import Answer
from membranelab.grading import PartResult

#: Every answer parse read, and every reading grade judged (the tests count them).
PARSED = []
GRADED = []


@register
@dataclass(frozen=True)
class Ordered(AnswerKind):
    name = "ordered"
    fields = frozenset({"items"})

    items: tuple

    @classmethod
    def from_spec(cls, spec, ctx):
        items = spec.get("items")
        if not isinstance(items, list) or len(items) < 2:
            raise ctx.checker.fail(f"{ctx.field}.items", "expected a list of two or more items")
        return cls(items=tuple(ctx.checker.text(i, f"{ctx.field}.items") for i in items))

    def reference(self, part, variant):
        return Answer(part.id, self.name, None, None, None, ", ".join(self.items))

    def parse(self, part, text, problem=None):
        """Text -> the items typed (commas of any width); one item alone is no ordering."""
        PARSED.append(text)
        given = tuple(t.strip().casefold() for t in re.split(r"[,\\uff0c\\u3001>]", str(text)))
        if len(given) < 2:
            return Reading.refused("readback.not_a_choice", {"choices": ", ".join(self.items)})
        return Reading("text", {"text": ", ".join(given)}, parsed=(str(text), given))

    def grade(self, part, variant, reading):
        GRADED.append(reading)
        answer, given = reading.parsed
        wanted = tuple(t.casefold() for t in self.items)
        score = 1.0 if given == wanted else 0.5 if given[:1] == wanted[:1] else 0.0
        key = "choice.correct" if score == 1.0 else "choice.wrong"
        return PartResult(score == 1.0, score, "", key, part_id=part.id, weight=part.points,
                          answer=answer, params={"choice": answer}, message_id=key)

    def how_to_answer(self, quote='"', *, lang="en"):
        return f"the items in order, separated by commas ({quote}a, b, c{quote})"

    # its texts in a translation overlay: items: {<item>: <translated item>}
    overlay_fields = frozenset({"items"})

    def translation(self, texts, fail, field):
        items = texts.get("items")
        if not isinstance(items, dict):
            raise fail(f"{field}.items", "expected a mapping of item to its translation")
        return dict(items)

    def check_translation(self, translation, fail, same, field):
        if set(translation) != set(self.items):
            raise fail(f"{field}.items", f"items {sorted(translation)} differ from the original's")

    def localized(self, translation):
        return replace(self, items=tuple(translation[i] for i in self.items))
'''

PROBLEM = """---
id: order
title: Order
topic: ghk
source: "test"
params:
  K_out: {low: 2, high: 8, step: 1, unit: mM, canonical: 4}
  K_in: {low: 100, high: 200, step: 0.01, unit: mM, canonical: 140}
derived:
  twice: {expr: "2 * K_out"}
invariants: ["twice > K_out"]
parts:
  - id: rank
    prompt: "Rank the resting permeabilities, largest first."
    kind: ordered
    items: [K+, Cl-, Na+]
    points: 2
  - id: double
    prompt: "Twice [K+]o?"
    kind: numeric
    value: twice
    unit: mM
---
[K+]o = {{K_out}} mM.
"""


@pytest.fixture
def toy_kind(tmp_path):
    """The toy kind's module, written to a temporary folder and imported (then forgotten)."""
    try:
        with plugin(tmp_path / "plugin", TOY_MODULE) as module:
            yield module.Ordered
    finally:
        unregister("ordered")


def _bank(root: Path):
    return load_bank(write(root, PROBLEM, "order", "Twice: {{double}} mM; order: {{rank}}.\n"))


class TestToyKind:
    def test_graded_through_grade_part(self, toy_kind, tmp_path):
        """A kind added in its own module is loaded from a problem file and graded by
        grade_part: right, half right, wrong, typed with Chinese commas, and missing."""
        problem = _bank(tmp_path)["order"]
        part = problem.part("rank")
        assert isinstance(part.answer_kind, toy_kind) and part.kind == "ordered"
        variant = problem.variant("s1", "hw1")

        right = grade_part(problem, variant, part, "K+, Cl-, Na+")
        assert (right.correct, right.score, right.weight) == (True, 1.0, 2.0)
        half = grade_part(problem, variant, part, "K+, Na+, Cl-")
        assert (half.correct, half.score) == (False, 0.5)
        assert grade_part(problem, variant, part, "Na+, K+, Cl-").score == 0.0
        assert grade_part(problem, variant, part, "k+，cl-，na+").correct  # IME commas, any case
        missing = grade_part(problem, variant, part, "  ")
        assert (missing.score, missing.note) == (0.0, "missing")
        # the numeric part beside it is graded as before: 2 x 4 mM, hand-computed
        assert grade_part(problem, problem.variant(), problem.part("double"), "8 mM").correct

    def test_grade_judges_the_reading_parse_gave_once(self, toy_kind, tmp_path):
        """grade_part reads each answer once (the kind's parse) and hands grade that Reading,
        not the text."""
        from membranelab.bank.kinds import Reading

        module = sys.modules[toy_kind.__module__]
        problem = _bank(tmp_path)["order"]
        part, variant = problem.part("rank"), problem.variant("s1", "hw1")
        module.PARSED.clear()
        module.GRADED.clear()
        for answer in ("K+, Cl-, Na+", "Na+, K+, Cl-", "k+，cl-，na+"):
            grade_part(problem, variant, part, answer)
        assert module.PARSED == ["K+, Cl-, Na+", "Na+, K+, Cl-", "k+，cl-，na+"]
        assert [type(r) for r in module.GRADED] == [Reading] * 3
        assert [r.parsed[1] for r in module.GRADED][2] == ("k+", "cl-", "na+")

    def test_unreadable_answer_costs_no_try(self, toy_kind, tmp_path):
        """An answer parse cannot read is wrong with the reading's message, not readable (no
        try is spent), and grade never sees it."""
        module = sys.modules[toy_kind.__module__]
        problem = _bank(tmp_path)["order"]
        part, variant = problem.part("rank"), problem.variant("s1", "hw1")
        module.GRADED.clear()
        result = grade_part(problem, variant, part, "K+")
        assert (result.correct, result.score, result.readable) == (False, 0.0, False)
        assert (result.message_id, result.answer) == ("readback.not_a_choice", "K+")
        assert result.params == {"choices": "K+, Cl-, Na+"}
        assert module.GRADED == []

    def test_rendered_and_checked_with_defaults(self, toy_kind, tmp_path):
        """Renderers and `membranelab check` use the kind's defaults: no note, no options, its
        reference answer as text."""
        problem = _bank(tmp_path)["order"]
        variant = problem.variant()
        statement = render_statement(variant)
        assert "Rank the resting permeabilities" in statement and "   - " not in statement
        solution = render_solution(variant)
        assert "order: K+, Cl-, Na+." in solution and "(a) K+, Cl-, Na+" in solution
        assert "<td>K+, Cl-, Na+</td>" in render_solution(variant, "html")
        assert not check_problem(problem, 5).errors

    def test_spec_checked_by_the_kind(self, toy_kind, tmp_path):
        """The kind's own field checks name the file and field; fields of other kinds are
        refused on its parts."""
        from membranelab.bank import BankError

        bad = PROBLEM.replace("items: [K+, Cl-, Na+]", "items: [K+]")
        with pytest.raises(BankError, match=r"order\.md: parts\[0\]\.items: expected a list"):
            load_bank(write(tmp_path / "bad", bad, "order"))
        other = PROBLEM.replace("    points: 2\n", "    points: 2\n    unit: mV\n")
        with pytest.raises(BankError, match=r"parts\[0\]\.unit: unknown field"):
            load_bank(write(tmp_path / "other", other, "order"))

    def test_translated_by_its_own_module(self, toy_kind, tmp_path):
        """The kind's texts in a translation overlay are read, checked and applied by its own
        module: the Chinese problem lists the translated items; an overlay naming an item the
        original lacks is refused, naming the file and field."""
        from membranelab.bank import BankError
        from membranelab.bank.i18n import localize

        def translated(folder: str, items: str):
            root = tmp_path / folder
            _bank(root)
            (root / "problems" / "order.zh.md").write_text(
                "---\nid: order\nlang: zh\ntitle: 排序\nparts:\n"
                "  rank: {prompt: 按静息通透性从大到小排序。, items: " + items + "}\n"
                "  double: {prompt: \"[K+]o 的两倍？\"}\n---\n[K+]o = {{K_out}} mM。\n",
                encoding="utf-8")
            (root / "solutions" / "order.zh.md").write_text(
                "两倍：{{double}} mM；顺序：{{rank}}。\n", encoding="utf-8")
            return load_bank(root)["order"]

        zh = translated("good", "{K+: 钾离子, Cl-: 氯离子, Na+: 钠离子}").localized("zh")
        assert zh.lang == "zh" and zh.part("rank").answer_kind.items == ("钾离子", "氯离子",
                                                                          "钠离子")
        with pytest.raises(BankError, match=r"order\.zh\.md: parts\.rank\.items: items"):
            localize(translated("bad", "{K+: 钾离子, Ca2+: 钙离子, Na+: 钠离子}"), "zh", strict=True)

    def test_forgotten_after(self):
        """Built-in kinds are registered in order; the toy is gone once its test ends."""
        assert kind_names()[:3] == ("numeric", "symbolic", "choice")
        assert kind_class("ordered") is None


def test_no_module_branches_on_a_kind_name():
    """Outside bank/kinds and bank/plots no source file or template compares a kind (of answer
    or of figure) to a built-in kind's name."""
    names = "numeric|symbolic|choice|sweep|noise_trace"
    pattern = re.compile(rf"""kind\s*(?:==|!=)\s*["'](?:{names})["']"""
                         rf"""|["'](?:{names})["']\s*(?:==|!=)""")
    offenders = [f"{path.relative_to(SRC)}:{n}"
                 for path in sorted(SRC.rglob("*")) if path.suffix in {".py", ".html", ".js"}
                 and not {"kinds", "plots"} & set(path.relative_to(SRC).parts)
                 for n, line in enumerate(path.read_text(encoding="utf-8",
                                                         errors="replace").splitlines(), 1)
                 if pattern.search(line)]
    assert offenders == []


_KIND_ATTRIBUTE = re.compile(r"answer_kind\.([A-Za-z_]\w*)")


def test_no_module_reads_a_kind_specific_attribute():
    """Outside bank/kinds no source file reads an attribute of a part's answer kind that the
    AnswerKind protocol does not declare (a numeric kind's unit, a choice's aliases...)."""
    from membranelab.bank.protocols import AnswerKind

    offenders = [f"{path.relative_to(SRC)}:{n}: {name}"
                 for path in sorted(SRC.rglob("*.py"))
                 if "kinds" not in path.relative_to(SRC).parts
                 for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                 for name in _KIND_ATTRIBUTE.findall(line)
                 if not (hasattr(AnswerKind, name) or name in AnswerKind.__annotations__)]
    assert offenders == []


def test_the_attribute_check_finds_a_kind_specific_read():
    """The pattern above finds what it must, and the protocol lacks the kinds' own fields (so
    the test above can fail)."""
    from membranelab.bank.protocols import AnswerKind

    found = _KIND_ATTRIBUTE.findall("x = part.answer_kind.unit + part.answer_kind.aliases[c]")
    assert found == ["unit", "aliases"]
    assert not any(hasattr(AnswerKind, n) for n in ("unit", "mistakes", "value", "aliases",
                                                    "why", "tolerance", "sigfigs"))


def test_the_check_finds_a_branch(tmp_path):
    """The pattern of the test above catches the forms it must (so it can fail)."""
    pattern = re.compile(r"""kind\s*(?:==|!=)\s*["'](?:numeric|symbolic|choice)["']""")
    for line in ('if part.kind == "numeric":', "{% if part.kind == 'choice' %}",
                 'if ans.kind != "symbolic"'):
        assert pattern.search(line), line


class TestPhases:
    """Every kind goes through the same phases: parse (text -> reading), grade, describe
    (result -> message ids), examples."""

    def test_describe_gives_the_message_then_each_further_sentence(self):
        """describe lists the result's message id with its parameters, then each ``also``
        sentence (an id, or an id with its own parameters)."""
        from membranelab.grading import PartResult

        params = {"mistake": "log10", "also": ["also.unit", {"msg": "number.x", "n": 2}]}
        result = PartResult(False, 0.0, "", "mistake", part_id="E_K", params=params,
                            message_id="mistake.log10")
        kind = kind_class("numeric")
        assert kind is not None
        assert kind.describe(kind, result) == (("mistake.log10", params), ("also.unit", {}),
                                              ("number.x", {"n": 2}))

    @pytest.mark.parametrize(("part_id", "answer"), [
        ("E_K", "-0.0757 V"), ("E_K", "−75.7 毫伏"), ("E_K", "-75,7 mv"), ("E_K", "about"),
        ("formula", "R*T/(z*F)*ln(c_in/c_out)"), ("direction", "ｏｕｔ ｏｆ ｔｈｅ ｃｅｌｌ"),
        ("direction", "流出细胞"), ("direction", "内流"),
    ])
    def test_every_described_message_is_in_both_catalogs(self, bank, part_id, answer):
        """Answers as students write them (volts, 毫伏, a decimal comma, full-width letters,
        the Chinese choice) are described only with messages the catalog has in English and
        Chinese."""
        from membranelab.messages import has_message, missing_translations

        problem = bank["nernst-potassium"]
        variant = problem.variant("s1", "hw1")
        part = problem.part(part_id)
        described = part.answer_kind.describe(grade_part(problem, variant, part, answer))
        assert described
        untranslated = set(missing_translations("zh"))
        for key, _ in described:
            assert has_message(key) and key not in untranslated, key

    def test_parse_reads_without_grading(self, bank):
        """parse reads a number in the part's unit (volts shown in mV, as written), a choice in
        either language, and refuses a word; read is the same phase."""
        problem = bank["nernst-potassium"]
        numeric, choice = problem.part("E_K"), problem.part("direction")
        reading = numeric.answer_kind.parse(numeric, "-0.0950 V")
        assert (reading.form, reading.values["value"], reading.values["unit"]) == (
            "number_converted", "\u221295.0", "mV")
        assert not numeric.answer_kind.parse(numeric, "about").ok
        zh = problem.localized("zh").part("direction").answer_kind.options[0]
        assert choice.answer_kind.parse(choice, zh, problem).values == {
            "choice": choice.answer_kind.options[0]}
        assert numeric.answer_kind.read(numeric, "5 mV") == numeric.answer_kind.parse(numeric,
                                                                                     "5 mV")
