"""Every topic of the bank has a name in the catalog, in every language (never its bare id)."""

from __future__ import annotations

import pytest

from membranelab.bank import load_bank
from membranelab.bank.render.model import topic_name
from membranelab.messages import has_message
from membranelab.messages.catalog import catalog

TOPICS = sorted({p.topic for p in load_bank()})


@pytest.mark.parametrize("topic", TOPICS)
def test_each_topic_is_named_in_english_and_chinese(topic):
    """topic.<id> exists in both catalogs and is not the id itself."""
    assert f"topic.{topic}" in catalog("en") and f"topic.{topic}" in catalog("zh")
    assert topic_name(topic, "en") != topic and topic_name(topic, "zh") != topic


@pytest.mark.parametrize(("topic", "lang", "name"), [
    ("donnan", "en", "Donnan equilibrium"), ("donnan", "zh", "唐南平衡"),
    ("pump", "zh", "钠钾泵"), ("passive", "zh", "被动膜特性：时间常数与输入电阻"),
])
def test_names(topic, lang, name):
    """The names as the catalog gives them."""
    assert topic_name(topic, lang) == name


def test_an_unknown_topic_shows_its_id():
    """A teacher's own topic without a catalog entry is shown as written."""
    assert not has_message("topic.astrology")
    assert topic_name("astrology", "zh") == "astrology"
