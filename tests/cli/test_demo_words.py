"""The demo in the words a student reads: mistakes by their catalog names (never internal ids),
Chinese without a stray space, the closing hint in the reader's language."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console

from membranelab.app.commands.demo import mistake_label, next_commands, run_demo
from membranelab.grading.feedback import MISTAKES
from membranelab.messages import gettext
from membranelab.messages.catalog import catalog

#: A space between two CJK characters, or after a placeholder filled with a Chinese name (an
#: equation's), before one: Chinese never writes "能斯特方程 用的是".
_CJK = r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]"
_STRAY = re.compile(rf"(%\(equation\)s|{_CJK}) (?={_CJK})")


def _demo(bank, lang: str) -> str:
    buffer = io.StringIO()
    run_demo(bank, Console(file=buffer, width=200, no_color=True, highlight=False), lang=lang)
    return buffer.getvalue()


class TestMistakeLabel:
    @pytest.mark.parametrize("lang", ["en", "zh"])
    def test_every_mistake_has_a_name(self, lang):
        """Every named mistake of the grader has a short name in the catalog, in each language."""
        names = catalog(lang)
        missing = [m for m in MISTAKES if not names.get(f"mistake_name.{m}")]
        assert missing == []

    def test_label_words_the_mistake(self):
        """The label says what the mistake is, in the reader's language."""
        assert mistake_label("log10", "en") == "typical mistake (log10 in place of ln)"
        assert mistake_label("conductances_unweighted", "zh") == "典型错误（反转电位未按电导加权）"

    def test_unknown_mistake_has_no_id(self):
        """A mistake without a catalog name is called a typical mistake, without its id."""
        assert mistake_label("made_up_id", "en") == "typical mistake"


class TestDemoText:
    def test_english_names_no_ids(self, bank):
        """The English demo names mistakes in words and shows no internal id."""
        out = _demo(bank, "en")
        assert "typical mistake (log10 in place of ln)" in out
        assert not any(f"({m})" in out for m in MISTAKES)
        assert "membranelab practice --student alice" in out

    def test_chinese_words_and_hint(self, bank):
        """The Chinese demo: the log10 feedback has no stray space, the hint keeps --lang zh."""
        out = _demo(bank, "zh")
        assert "能斯特方程用的是 ln" in out and "能斯特方程 用" not in out
        assert "典型错误（用 log10 代替 ln）" in out
        assert not any(m in out for m in MISTAKES if "_" in m)
        assert "membranelab --lang zh practice --student alice" in out
        assert "membranelab --lang zh grade answers.csv" in out

    def test_next_commands_english_without_flag(self):
        """In English the closing commands need no --lang."""
        assert "--lang" not in next_commands("en")["practice"]


def test_no_space_between_chinese_words_in_the_catalog():
    """No Chinese message puts a space between two Chinese words (or an equation's name and one)."""
    stray = {key: text for key, text in catalog("zh").items() if _STRAY.search(text)}
    assert stray == {}, stray


def test_feedback_of_log10_in_chinese():
    """The log10 mistake's Chinese feedback reads as one phrase."""
    text = gettext("mistake.log10", "zh", equation=gettext("equation.nernst_potential", "zh"))
    assert text == "你似乎用了 log10 而不是自然对数：能斯特方程用的是 ln。"
