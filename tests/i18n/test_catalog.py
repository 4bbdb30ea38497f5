"""The Chinese catalog: every message id the code uses exists in English and in Chinese, every
English message is translated, and each translation uses the same named parameters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from membranelab.messages import catalog, missing_translations, placeholders

SRC = Path(__file__).resolve().parents[2] / "src" / "membranelab"
#: Prefixes of the interface messages (grading results use their own notes; see test_result_ids)
_PREFIXES = ("cli", "practice", "browse", "notebook", "how", "selfstudy", "course", "student",
             "render", "figure", "grade", "demo", "serve")
_ALTERNATIVES = "|".join(_PREFIXES)
_KEY = re.compile(rf"""["']((?:{_ALTERNATIVES})\.[a-z0-9_.:]+)["']""")
_FSTRING_KEY = re.compile(rf"""f["']((?:{_ALTERNATIVES})\.[a-z0-9_.]*)\{{""")
#: The values the f-string keys take.
_EXPANSIONS = {"grade.col_": ("problem", "rows", "correct", "points", "mean")}


def used_keys() -> set[str]:
    """Every interface message id written in the package's source."""
    keys: set[str] = set()
    for path in SRC.rglob("*.py"):
        if path.parent.name == "messages":  # the catalog machinery: keys in its examples
            continue
        text = path.read_text(encoding="utf-8")
        keys.update(_KEY.findall(text))
        for prefix in _FSTRING_KEY.findall(text):
            keys.update(prefix + suffix for suffix in _EXPANSIONS[prefix])
    return keys


def test_scan_finds_keys():
    """The scan sees the catalog keys of several modules (a control for the test below)."""
    keys = used_keys()
    assert {"cli.lang", "practice.help_line", "render.answers", "render.answer_in",
            "course.intro", "figure.density"} <= keys
    assert len(keys) > 80


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_used_key_is_in_the_catalog(lang):
    """No message id of the code is missing from either catalog (it would show as its key)."""
    missing = sorted(k for k in used_keys() if k not in catalog(lang))
    assert missing == []


def test_every_message_translated():
    """Every English message has a Chinese text."""
    assert missing_translations("zh") == []


def test_same_parameters():
    """A translation fills in exactly the English text's named parameters."""
    english, chinese = catalog("en"), catalog("zh")
    wrong = [k for k, text in chinese.items()
             if k in english and placeholders(text) != placeholders(english[k])]
    assert wrong == []


def test_chinese_is_chinese():
    """Chinese texts contain Chinese (or are symbols only, like 'Q = C·V')."""
    english, chinese = catalog("en"), catalog("zh")
    cjk = re.compile(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]")
    not_chinese = [k for k, text in chinese.items()
                   if not cjk.search(text) and re.search(r"[a-z]{3,}", text)
                   and text == english.get(k)]
    assert not_chinese == []
