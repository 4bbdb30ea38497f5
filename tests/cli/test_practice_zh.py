"""``membranelab practice --lang zh``, driven end to end in a real pseudo-terminal: Chinese
statement, prompts, hints, feedback and score lines; answers typed as a Chinese student would
(a Chinese unit name, a choice's Chinese text)."""

from __future__ import annotations

import json

import pexpect
import pytest

from .conftest import PROBLEM, REPO, command, subprocess_env

STUDENT = "alice"
TIMEOUT = 30


@pytest.fixture
def variant(bank):
    """Alice's practice variant in Chinese (computed independently of the CLI)."""
    return bank.problems[PROBLEM].variant(STUDENT, "practice", lang="zh")


def spawn(data_dir, *argv: str, env: dict[str, str] | None = None) -> pexpect.spawn:
    full = command() + list(argv)
    return pexpect.spawn(full[0], full[1:], env=env or subprocess_env(data_dir), cwd=str(REPO),
                         encoding="utf-8", timeout=TIMEOUT, dimensions=(50, 120))


def test_session_in_chinese(data_dir, variant):
    """A whole session in Chinese: the log10 mistake named, a hint, the right value typed with
    the unit 毫伏, the formula, the choice by its Chinese text, the final score."""
    child = spawn(data_dir, "practice", "--lang", "zh", "--student", STUDENT,
                  "--problem", PROBLEM)
    child.expect("输入答案")                                # the help line
    child.expect("钾离子的平衡电位")                        # the Chinese title
    child.expect(r"E_K（还可以答 3 次）> ")
    log10_value = variant.mistake_values("E_K")["log10"]
    child.sendline(f"{log10_value:.4g} mV")
    child.expect("你似乎用了 log10 而不是自然对数")
    child.expect(r"E_K（还可以答 2 次）> ")
    child.sendline("h")
    child.expect(r"提示 1/\d")
    child.expect(r"E_K（还可以答 2 次）> ")
    child.sendline(f"{variant.answers()['E_K'].text}毫伏")
    child.expect("正确")
    child.expect(r"当前得分：1 / 1 分")
    child.expect(r"formula（还可以答 3 次）> ")
    child.sendline("R*T/(z*F)*ln(c_out/c_in)")
    child.expect("正确")
    child.expect(r"direction（还可以答 1 次）> ")  # a choice: the first try counts
    child.sendline(variant.answers()["direction"].text)     # 流出细胞 (or 流入细胞)
    child.expect("正确")
    child.expect(r"当前得分：3 / 3 分")
    child.expect(r"显示详细解答吗？\[y/N\] ")
    child.sendline("是")                                      # yes, in Chinese
    child.expect("详细解答")
    child.expect("第 1 步——公式")
    child.expect(r"全部完成！当前得分：3 / 3 分")
    child.expect(pexpect.EOF)
    output = child.before
    child.close()
    assert child.exitstatus == 0
    assert "tries left" not in output and "Running score" not in output
    saved = json.loads((data_dir / "progress.json").read_text())["students"][STUDENT]
    assert saved["problems"][PROBLEM]["scores"] == {"E_K": 1.0, "formula": 1.0, "direction": 1.0}


def test_language_from_environment(data_dir):
    """Without --lang, MEMBRANELAB_LANG=zh chooses Chinese; q saves and quits in Chinese."""
    env = subprocess_env(data_dir)
    env["MEMBRANELAB_LANG"] = "zh"
    child = spawn(data_dir, "practice", "--student", STUDENT, "--problem", PROBLEM, env=env)
    child.expect(r"E_K（还可以答 3 次）> ")
    child.sendline("q")
    child.expect("进度已保存")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_explicit_lang_beats_locale(data_dir):
    """--lang en wins over a Chinese locale."""
    env = subprocess_env(data_dir)
    env.update(LANG="zh_CN.UTF-8", LC_ALL="zh_CN.UTF-8")
    env.pop("MEMBRANELAB_LANG", None)
    child = spawn(data_dir, "--lang", "en", "practice", "--student", STUDENT,
                  "--problem", PROBLEM, env=env)
    child.expect(r"E_K \(3 tries left\)> ")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
