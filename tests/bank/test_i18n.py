"""Translation overlays (problems/<id>.zh.md, solutions/<id>.zh.md): loaded over the original,
checked so that a translation cannot change numbers, placeholders, parts, hints or choices, and
graded by choice id in either language."""

import logging
from pathlib import Path

import pytest

from membranelab.bank import BankError, grade, load_bank
from membranelab.bank.i18n import (
    check_translations,
    is_overlay_file,
    join_lines,
    localize,
)
from membranelab.bank.kinds.choice import choice_index
from membranelab.bank.load import load_problem

PROBLEM = """---
id: demo
title: Potassium demo
topic: nernst
source: "test"
params:
  K_out: {low: 2, high: 8, step: 1, unit: mM, canonical: 4}
  K_in: {low: 120, high: 160, step: 10, unit: mM, canonical: 140}
  T: {value: 310, unit: K}
derived:
  E_K: {solver: nernst_potential, args: {c_out: K_out, c_in: K_in, z: 1, temperature: T}, unit: mV}
parts:
  - id: E_K
    prompt: "Compute $E_K$ at {{T}} K."
    kind: numeric
    value: E_K
    unit: mV
    hints: ["Use ln, not log10.", "E = (RT/zF) ln(c_out/c_in) with T = {{T}} K."]
  - id: sign
    prompt: "The sign of E_K is"
    kind: choice
    choices: [negative, positive]
    answer: {if: "E_K < 0", then: negative, else: positive}
figures:
  - {id: ek, kind: sweep, x: K_out, range: [1, 20], y: [E_K], unit: mV, caption: "E_K against [K+]o"}
---
A cell has [K+]o = {{K_out}} mM and [K+]i = {{K_in}} mM; 2 pumps run.
"""
SOLUTION = "Step 1: E_K = {{E_K}} mV.\n\n{{figure:ek}}\n"
OVERLAY = """---
id: demo
lang: zh
title: 钾离子示例
parts:
  E_K:
    prompt: "计算 {{T}} K 时的 $E_K$。"
    hints: ["用 ln，不要用 log10。", "E = (RT/zF) ln(c_out/c_in)，T = {{T}} K。"]
  sign:
    prompt: "E_K 的符号为"
    choices: {negative: 负, positive: 正}
figures:
  ek: "E_K 随 [K+]o 的变化"
---
某细胞 [K+]o = {{K_out}} mmol/L，[K+]i = {{K_in}} mmol/L；
有 2 个泵在运转。
"""
OVERLAY_SOLUTION = "第 1 步：E_K = {{E_K}} mV。\n\n{{figure:ek}}\n"


def make_bank(root: Path, overlay: str = OVERLAY, solution: str = OVERLAY_SOLUTION) -> Path:
    """A one-problem bank with its Chinese overlay under ``root``."""
    (root / "problems").mkdir(parents=True, exist_ok=True)
    (root / "solutions").mkdir(parents=True, exist_ok=True)
    (root / "problems" / "demo.md").write_text(PROBLEM, encoding="utf-8")
    (root / "solutions" / "demo.md").write_text(SOLUTION, encoding="utf-8")
    (root / "problems" / "demo.zh.md").write_text(overlay, encoding="utf-8")
    (root / "solutions" / "demo.zh.md").write_text(solution, encoding="utf-8")
    return root


def demo(root: Path):
    """The demo problem read from ``root`` (not through load_bank, whose cache the repository's
    bank shares)."""
    return load_problem(root / "problems" / "demo.md")


def strict_error(root: Path) -> BankError:
    """The BankError a strict check of the demo problem's overlay raises."""
    problem = demo(root)
    with pytest.raises(BankError) as info:
        check_translations(problem, strict=True)
    return info.value


class TestLoad:
    def test_overlay_files_are_not_problems(self, tmp_path):
        """The loader skips <id>.zh.md: the bank holds one problem, with its translation."""
        bank = load_bank(make_bank(tmp_path))
        assert list(bank.problems) == ["demo"]
        assert is_overlay_file(Path("demo.zh.md")) and not is_overlay_file(Path("demo.md"))

    def test_localized_text_same_numbers(self, tmp_path):
        """The zh problem has the overlay's text and the original's numbers and answers."""
        problem = demo(make_bank(tmp_path))
        zh = problem.localized("zh")
        assert (zh.lang, zh.title, zh.original) == ("zh", "钾离子示例", problem)
        assert zh.part("E_K").hints[1] == "E = (RT/zF) ln(c_out/c_in)，T = {{T}} K。"
        assert zh.part("sign").answer_kind.choices == ("负", "正")
        assert zh.figures[0].caption == "E_K 随 [K+]o 的变化"
        en_variant = problem.variant("alice", "ps1")
        zh_variant = problem.variant("alice", "ps1", lang="zh")
        assert zh_variant.problem is zh
        assert zh_variant.params == en_variant.params
        assert zh_variant.answers()["E_K"] == en_variant.answers()["E_K"]
        assert zh_variant.answers()["sign"].text == "负"  # E_K < 0 for K_out < K_in

    def test_english_is_the_original(self, tmp_path):
        """lang None or 'en' gives the original problem back, also from a translation."""
        problem = demo(make_bank(tmp_path))
        assert problem.localized(None) is problem
        assert problem.localized("zh").localized("en") is problem
        assert problem.variant(lang="en") is problem.variant()

    def test_unknown_language(self, tmp_path):
        """A language the bank has no overlays for is a ValueError naming the known ones."""
        problem = demo(make_bank(tmp_path))
        with pytest.raises(ValueError, match="unknown language 'fr'; known: en, zh"):
            problem.localized("fr")

    def test_missing_overlay_falls_back_and_logs(self, tmp_path, caplog):
        """Without an overlay the original is shown in zh, and the absence is logged."""
        root = make_bank(tmp_path)
        (root / "problems" / "demo.zh.md").unlink()
        problem = demo(root)
        with caplog.at_level(logging.WARNING, logger="membranelab.bank.i18n"):
            assert problem.localized("zh") is problem
        assert "has no zh translation" in caplog.text

    def test_chinese_line_breaks_joined(self, tmp_path):
        """A soft line break inside Chinese text becomes nothing, not a space."""
        zh = demo(make_bank(tmp_path)).localized("zh")
        assert "mmol/L；有 2 个泵在运转。" in zh.body


class TestCheck:
    """Each way a translation could change the problem is a BankError naming file and field."""

    def test_valid_overlay_passes_strict(self, tmp_path):
        """The demo overlay translates without changing anything."""
        assert check_translations(demo(make_bank(tmp_path)), strict=True) == ("zh",)

    def test_changed_number(self, tmp_path):
        """A number in the statement that differs from the original's."""
        err = strict_error(make_bank(tmp_path, OVERLAY.replace("有 2 个泵", "有 3 个泵")))
        assert (Path(err.file).name, err.field) == ("demo.zh.md", "body")
        assert "numbers differ from the original: missing ['2'], extra ['3']" in err.message

    def test_changed_placeholder(self, tmp_path):
        """A prompt that fills in a different value."""
        err = strict_error(make_bank(tmp_path, OVERLAY.replace("计算 {{T}} K", "计算 {{K_in}} K")))
        assert err.field == "parts.E_K.prompt"
        assert "missing ['T'], extra ['K_in']" in err.message

    def test_missing_part(self, tmp_path):
        """A part of the original the translation leaves out."""
        overlay = OVERLAY.replace('  sign:\n    prompt: "E_K 的符号为"\n'
                                  "    choices: {negative: 负, positive: 正}\n", "")
        err = strict_error(make_bank(tmp_path, overlay))
        assert err.field == "parts"
        assert "the original has parts ['E_K', 'sign'], the translation ['E_K']" in err.message

    def test_hint_count(self, tmp_path):
        """A hint ladder one rung short."""
        overlay = OVERLAY.replace('hints: ["用 ln，不要用 log10。", ', "hints: [")
        err = strict_error(make_bank(tmp_path, overlay))
        assert err.field == "parts.E_K.hints"
        assert err.message == "the original has 2 hints, the translation 1"

    def test_unknown_choice_id(self, tmp_path):
        """Choices keyed by something that is not a choice id of the original."""
        err = strict_error(make_bank(tmp_path, OVERLAY.replace("negative: 负", "minus: 负")))
        assert err.field == "parts.sign.choices"
        assert "choice ids ['minus', 'positive'] differ" in err.message

    def test_two_choices_same_text(self, tmp_path):
        """Two choices translated alike could not be told apart."""
        err = strict_error(make_bank(tmp_path, OVERLAY.replace("positive: 正", "positive: 负")))
        assert err.field == "parts.sign.choices"
        assert err.message == "'负' would name two choices ('negative' and 'positive')"

    def test_numbers_field_not_allowed(self, tmp_path):
        """An overlay may not carry parameters (numbers stay in the original)."""
        overlay = OVERLAY.replace("lang: zh\n", "lang: zh\nparams: {K_out: {value: 9}}\n")
        err = strict_error(make_bank(tmp_path, overlay))
        assert err.field == "params"
        assert "an overlay holds only figures, id, lang, parts, title" in err.message

    def test_solution_number(self, tmp_path):
        """The worked solution is checked too, naming the solution overlay."""
        err = strict_error(make_bank(tmp_path, solution=OVERLAY_SOLUTION.replace("第 1 步", "第一步")))
        assert (Path(err.file).parent.name, Path(err.file).name, err.field) == (
            "solutions", "demo.zh.md", "solution")

    def test_missing_solution(self, tmp_path):
        """A statement overlay without its solution overlay."""
        root = make_bank(tmp_path)
        (root / "solutions" / "demo.zh.md").unlink()
        err = strict_error(root)
        assert err.field == "solution" and "no translated solution" in err.message

    def test_load_logs_and_shows_original(self, tmp_path, caplog):
        """Loading never fails on a stale translation: it is logged and never shown."""
        root = make_bank(tmp_path, OVERLAY.replace("有 2 个泵", "有 3 个泵"))
        with caplog.at_level(logging.ERROR, logger="membranelab.bank.i18n"):
            problem = load_bank(root)["demo"]
        assert problem.localized("zh") is problem
        assert "demo.zh.md: body: numbers differ" in caplog.text


class TestChoiceById:
    """A choice is the same choice in every language: text, letter or number."""

    @pytest.mark.parametrize("lang", [None, "zh"])
    @pytest.mark.parametrize("answer", ["负", "negative", "NEGATIVE", "ａ", "a", "1", " 负。"])
    def test_right_choice_any_language(self, tmp_path, lang, answer):
        """The right choice typed in Chinese, English, by letter or number (any width) scores 1."""
        problem = demo(make_bank(tmp_path))
        variant = problem.variant("bob", "ps1", lang=lang)
        result = grade(problem, variant, {"sign": answer}).parts[1]
        assert (result.correct, result.score, result.answer) == (True, 1.0, answer)

    @pytest.mark.parametrize("answer", ["正", "positive", "b", "2"])
    def test_wrong_choice_any_language(self, tmp_path, answer):
        """The wrong choice is wrong in either language."""
        problem = demo(make_bank(tmp_path))
        variant = problem.variant("bob", "ps1", lang="zh")
        result = grade(problem, variant, {"sign": answer}).parts[1]
        assert (result.correct, result.note) == (False, "choice.wrong")

    def test_choice_index(self, tmp_path):
        """choice_index finds a choice from its text in any language, nothing else."""
        problem = demo(make_bank(tmp_path))
        assert choice_index(problem, "sign", "正") == 1
        assert choice_index(problem.localized("zh"), "sign", "Negative") == 0
        assert choice_index(problem, "sign", "b") is None


class TestJoinLines:
    @pytest.mark.parametrize("text, joined", [
        ("细胞膜\n对钾离子", "细胞膜对钾离子"),
        ("需要\nT = 269 K", "需要 T = 269 K"),
        ("26.71 mV\n所以", "26.71 mV 所以"),
        ("算出：\n- 第一条", "算出：\n- 第一条"),
        ("第一段。\n\n第二段", "第一段。\n\n第二段"),
        ("$$ x $$\n氯离子", "$$ x $$\n氯离子"),
        ("line one\nline two", "line one\nline two"),
        ("表格：\n| a | b |", "表格：\n| a | b |"),
    ])
    def test_cases(self, text, joined):
        """Breaks inside Chinese paragraphs go; block starts, paragraphs and English stay."""
        assert join_lines(text) == joined


def test_localize_is_cached(tmp_path):
    """The translation is built once per problem and language."""
    problem = demo(make_bank(tmp_path))
    assert localize(problem, "zh") is localize(problem, "zh")


class TestAliases:
    """Further spellings of a translated choice name that choice, never two."""

    ALIASED = OVERLAY.replace("    choices: {negative: 负, positive: 正}\n",
                              "    choices: {negative: 负, positive: 正}\n"
                              "    aliases: {negative: [负号, 小于零]}\n")

    def test_alias_grades_as_its_choice(self, tmp_path):
        """负号 and 小于零 are the choice 'negative' in either language's variant."""
        problem = demo(make_bank(tmp_path, self.ALIASED))
        for lang in (None, "zh"):
            variant = problem.variant("bob", "ps1", lang=lang)
            for answer in ("负号", "小于零"):
                assert grade(problem, variant, {"sign": answer}).parts[1].correct

    def test_alias_naming_another_choice(self, tmp_path):
        """An alias equal to another choice's text would make the answer ambiguous."""
        overlay = self.ALIASED.replace("[负号, 小于零]", "[负号, 正]")
        err = strict_error(make_bank(tmp_path, overlay))
        assert err.field == "parts.sign.choices"
        assert "'正' would name two choices ('negative' and 'positive')" in err.message

    def test_alias_of_unknown_choice(self, tmp_path):
        """Aliases are keyed by choice id too."""
        err = strict_error(make_bank(tmp_path, self.ALIASED.replace("{negative: [", "{minus: [")))
        assert err.field == "parts.sign.aliases"


class TestRepositoryBank:
    """The repository's own translations: complete and faithful."""

    def test_every_problem_has_a_checked_translation(self, bank):
        """All problems load in Chinese with every overlay check passing (strict)."""
        translated = [p.id for p in bank if check_translations(p, strict=True) == ("zh",)]
        assert translated == sorted(bank.problems) and len(translated) == 26

    def test_every_erratum_has_chinese_text(self):
        """errata.zh.yaml translates every erratum, with the English numbers."""
        from membranelab.bank.errata_text import check_errata_text, errata_texts
        from membranelab.physics.errata import source_errata

        check_errata_text("zh")
        assert set(errata_texts("zh")) == set(source_errata())
