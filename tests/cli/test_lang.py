"""Choosing the language (the contract of membranelab.messages.resolve_lang): ``--lang``, else
MEMBRANELAB_LANG, else the locale (LC_ALL, LC_MESSAGES, LANG), else English."""

from __future__ import annotations

import pytest

from membranelab.messages import resolve_lang


class TestResolveLang:
    @pytest.mark.parametrize("explicit, environ, expected", [
        ("zh", {}, "zh"),
        ("zh-Hans", {}, "zh"),
        ("zh_CN.UTF-8", {}, "zh"),
        ("en", {"MEMBRANELAB_LANG": "zh", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"MEMBRANELAB_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"MEMBRANELAB_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LANG": "zh_TW.UTF-8"}, "zh"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "C"}, "en"),
        (None, {}, "en"),
    ])
    def test_order(self, explicit, environ, expected):
        """Explicit choice, then the variable, then the locale, then English."""
        assert resolve_lang(explicit, environ=environ) == expected


class TestCommandLine:
    def test_lang_before_and_after_the_command(self, run):
        """--lang works before the command and after it."""
        for argv in (["--lang", "zh", "list"], ["list", "--lang", "zh"], ["list", "--lang=zh"]):
            code, out, _ = run(*argv)
            assert code == 0
            assert "钾离子的平衡电位" in out and "编号" in out, argv

    def test_environment_and_locale(self, run, monkeypatch):
        """MEMBRANELAB_LANG, else the locale, chooses the language; --lang en overrides both."""
        monkeypatch.delenv("MEMBRANELAB_LANG", raising=False)
        monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
        assert "钾离子的平衡电位" in run("list")[1]
        assert "Potassium equilibrium potential" in run("--lang", "en", "list")[1]
        monkeypatch.setenv("MEMBRANELAB_LANG", "en")
        assert "Potassium equilibrium potential" in run("list")[1]

    def test_help_in_chinese(self, run):
        """--help is in Chinese: headings, options and commands."""
        code, out, _ = run("--lang", "zh", "--help")
        assert code == 0
        assert out.startswith("用法：membranelab")
        assert "选项" in out and "显示本帮助信息并退出" in out and "交互式回答自己的题目变体" in out

    def test_unknown_language_is_a_usage_error(self, run):
        """--lang fr is refused in one line, in the language that is in force."""
        code, _, err = run("--lang", "fr", "list")
        assert code == 2
        assert "fr" in err and err.count("\n") == 1

    def test_errors_in_chinese(self, run):
        """A user error is one Chinese line."""
        code, _, err = run("--lang", "zh", "show", "no-such-problem")
        assert code == 2
        assert err.startswith("membranelab：错误：")
