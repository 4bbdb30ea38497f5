"""Tests of membranelab.grading.tokens: normalisation, tokens, caret pointer."""

from __future__ import annotations

import pytest

from membranelab.grading.tokens import Refusal, blank_assignment, normalize, pointer, tokenize


class TestSteps:
    def test_normalize_keeps_offsets(self) -> None:
        """normalize maps characters one for one."""
        text = "\u22122\u00b7x\u00a0"
        assert normalize(text) == "-2*x "

    def test_tokenize_kinds(self) -> None:
        """tokenize gives number, name and op tokens with offsets."""
        kinds = [(t.kind, t.text, t.offset) for t in tokenize("2.5e-3 x**2")]
        assert kinds == [("number", "2.5e-3", 0), ("name", "x", 7), ("op", "**", 8),
                         ("number", "2", 10)]

    def test_pointer_shortens_long_text(self) -> None:
        """pointer shows an excerpt with '...' and a caret under the offset."""
        text = "a" * 100 + "$"
        excerpt, caret = pointer(text, 100).splitlines()
        assert excerpt.startswith("  ...")
        assert excerpt[caret.index("^")] == "$"

    def test_tokenize_refuses_quote_with_column(self) -> None:
        """A quote is refused with a Refusal at its offset."""
        with pytest.raises(Refusal, match="Quotes are not allowed") as raised:
            tokenize("x + 'a'")
        assert raised.value.offset == 4

    def test_blank_assignment_keeps_length(self) -> None:
        """A leading 'name =' becomes spaces of the same length; '==' is left alone."""
        assert blank_assignment("E_K = -95 mV") == "      -95 mV"
        assert blank_assignment("a == b") == "a == b"
