"""The run-time ``.po`` reader (no Babel on the plain install) reads what Babel reads."""

from __future__ import annotations

from pathlib import Path

import pytest

from membranelab.messages.pofile import PoError, read_po_messages

LOCALE = Path(__file__).resolve().parents[2] / "src" / "membranelab" / "messages" / "locale"
SAMPLE = r'''# a translator's comment
msgid ""
msgstr ""
"Content-Type: text/plain; charset=UTF-8\n"

#. English: Hello %(name)s
#, python-format
msgid "greet"
msgstr "你好，%(name)s"

msgid "long"
msgstr ""
"first line, "
"second part with a \"quote\", a tab\t and a backslash \\ and\n"
"a new line"

msgid "untranslated"
msgstr ""

#~ msgid "gone"
#~ msgstr "obsolete"
'''


class TestReadPoMessages:
    def test_entries_escapes_and_continuations(self):
        """Keys and texts, continuation lines joined, C escapes decoded, header and obsolete
        entries left out, an empty translation kept empty."""
        assert read_po_messages(SAMPLE) == {
            "greet": "你好，%(name)s",
            "long": 'first line, second part with a "quote", a tab\t and a backslash \\ and\n'
                    "a new line",
            "untranslated": ""}

    def test_a_bad_line_is_named(self):
        """A line that is not of the format raises PoError with its number."""
        with pytest.raises(PoError, match=r"line 3: cannot read 'msgstr oops'"):
            read_po_messages('msgid "a"\nmsgstr "b"\nmsgstr oops\n')

    @pytest.mark.parametrize("path", sorted(LOCALE.glob("**/*.po*")), ids=lambda p: p.parent.name)
    def test_same_as_babel_on_the_shipped_catalogs(self, path):
        """Every shipped catalog reads exactly as Babel (the [dev] extra) reads it."""
        pofile = pytest.importorskip("babel.messages.pofile")
        with path.open("rb") as handle:
            babel = {str(m.id): str(m.string) for m in pofile.read_po(handle) if m.id}
        assert read_po_messages(path.read_bytes()) == babel
