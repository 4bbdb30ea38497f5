"""Tests of membranelab.messages: catalogs, rendering, fallback, language choice, levels."""

from __future__ import annotations

import importlib
import logging
import re
from importlib import resources

import pytest

from membranelab import messages
from membranelab.messages import (
    FEEDBACK_LEVELS,
    catalog,
    check_level,
    gettext,
    missing_translations,
    render_message,
    resolve_lang,
)
from membranelab.messages.tool import check_catalogs

CATALOG_MODULE = importlib.import_module("membranelab.messages.catalog")


class TestCatalog:
    def test_all_is_what_it_claims(self) -> None:
        """Every name in __all__ exists in the package."""
        assert all(hasattr(messages, name) for name in messages.__all__)

    def test_english_catalog_has_the_grading_messages(self) -> None:
        """The English catalog holds the result messages by key."""
        english = catalog("en")
        assert english["value.incorrect"] == ("Not correct: your value is %(deviation)s. "
                                              "Check the computation.")
        assert english["result.score"] == "Score: %(score)s / %(max_score)s."

    def test_translations_use_the_english_parameters(self) -> None:
        """No translation uses a parameter its English text lacks, or a key English lacks."""
        errors, _ = check_catalogs()
        assert errors == []

    def test_zh_catalog_lists_every_english_key(self) -> None:
        """The zh_Hans file has an entry (maybe untranslated) for every English key."""
        path = resources.files("membranelab.messages")
        text = (path / "locale" / "zh_Hans" / "LC_MESSAGES" / "membranelab.po").read_text(
            encoding="utf-8")
        ids = set(re.findall(r'^msgid "(.+)"$', text, re.MULTILINE))
        assert set(catalog("en")) <= ids

    def test_untranslated_keys_are_listed(self) -> None:
        """missing_translations names exactly the English keys zh lacks."""
        missing = missing_translations("zh")
        assert set(missing) == set(catalog("en")) - set(catalog("zh"))


class TestRender:
    def test_named_parameters_are_filled(self) -> None:
        """%(name)s placeholders take the given values."""
        assert render_message("answer.too_long", {"length": 250, "limit": 200}) == (
            "The answer is too long (250 characters; at most 200).")

    def test_nested_message_parameter(self) -> None:
        """A parameter {"msg": key, ...} is rendered as a message first."""
        text = render_message("value.incorrect",
                              {"deviation": {"msg": "deviation.percent_large", "percent": "19.6"}})
        assert text == ("Not correct: your value is 19.6 % too large in size. "
                        "Check the computation.")

    def test_missing_parameter_is_logged_and_shown_as_question_mark(self, caplog) -> None:
        """A message rendered without a parameter it needs shows '?' and logs an error."""
        with caplog.at_level(logging.ERROR, logger="membranelab.messages.catalog"):
            text = render_message("answer.missing_part", {})
        assert text == "No answer was given for part ?."
        assert "without parameters ['part']" in caplog.text

    def test_unknown_key_is_its_own_text(self) -> None:
        """gettext of a sentence no catalog has shows that sentence, formatted."""
        assert gettext("Tries left: %(n)s", "en", n=2) == "Tries left: 2"

    def test_gettext_without_params_is_the_raw_text(self) -> None:
        """gettext without parameters leaves %(name)s for the caller, as gettext does."""
        assert gettext("answer.missing_part", "en") == "No answer was given for part %(part)s."
        assert gettext("Score: %(a)s", "en") % {"a": 1} == "Score: 1"

    def test_fallback_to_english_is_logged_once(self, caplog) -> None:
        """An untranslated key in zh shows English and logs the fallback (once per key)."""
        untranslated = missing_translations("zh")
        if not untranslated:  # every key translated: the fallback cannot happen
            assert set(catalog("zh")) >= set(catalog("en"))
            return
        key = untranslated[0]
        CATALOG_MODULE._fallbacks_logged.discard(("zh", key))
        with caplog.at_level(logging.INFO, logger="membranelab.messages.catalog"):
            first = gettext(key, "zh", **dict.fromkeys(messages.placeholders(
                catalog("en")[key]), "x"))
            gettext(key, "zh", **dict.fromkeys(messages.placeholders(catalog("en")[key]), "x"))
        assert first == render_message(key, dict.fromkeys(messages.placeholders(
            catalog("en")[key]), "x"), lang="en")
        assert caplog.text.count(f"message {key!r} has no zh translation") == 1


class TestLevels:
    def test_levels(self) -> None:
        """The three feedback levels, from most to least said."""
        assert FEEDBACK_LEVELS == ("full", "named", "score")

    def test_unknown_level_raises(self) -> None:
        """check_level names the levels when given another."""
        with pytest.raises(ValueError, match="full, named, score"):
            check_level("verbose")


class TestResolveLang:
    @pytest.mark.parametrize(("explicit", "environ", "expected"), [
        ("zh", {"MEMBRANELAB_LANG": "en"}, "zh"),
        ("en", {"LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"MEMBRANELAB_LANG": "zh_Hans", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_ALL": "zh_TW.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {"LANG": "C"}, "en"),
        (None, {}, "en"),
        ("  ", {"MEMBRANELAB_LANG": "zh"}, "zh"),
    ])
    def test_order(self, explicit, environ, expected) -> None:
        """Explicit, then MEMBRANELAB_LANG, then LC_ALL/LC_MESSAGES/LANG, then English."""
        assert resolve_lang(explicit, environ=environ) == expected

    def test_reads_the_process_environment(self, monkeypatch) -> None:
        """Without an environ argument the process environment decides."""
        monkeypatch.setenv("MEMBRANELAB_LANG", "zh")
        assert resolve_lang() == "zh"
        monkeypatch.setenv("MEMBRANELAB_LANG", "en")
        assert resolve_lang() == "en"

