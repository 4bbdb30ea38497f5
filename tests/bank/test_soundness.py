"""Problem authors get errors, not tracebacks: unsound problems are refused at load with a
BankError naming the file and the field."""

import pytest
from bankfixture import MINIMAL, write

from membranelab.bank import BankError, load_bank


class TestRefusedAtLoad:
    def test_minimal_loads(self, tmp_path):
        """The fixture itself is sound."""
        assert load_bank(write(tmp_path, MINIMAL))["demo"].uid == "demo"

    def test_impossible_constraint(self, tmp_path):
        """A constraint no draw satisfies is refused, not a RuntimeError at `show --student`."""
        text = MINIMAL.replace("derived:", 'constraints: ["K_out > 100 * K_in"]\nderived:', 1)
        with pytest.raises(BankError, match=r"demo.md: constraints\[0\]: the canonical values"):
            load_bank(write(tmp_path, text))

    def test_constraint_impossible_for_the_grid(self, tmp_path):
        """A constraint the canonical case meets but no other draw can is refused too."""
        text = MINIMAL.replace("derived:", 'constraints: ["abs(K_out - 4 mM) < 0.001 mM", '
                               '"abs(K_in - 140 mM) < 0.01 mM"]\nderived:', 1)
        text = text.replace("step: 0.125, unit: mM", "step: 0.01, unit: mM").replace(
            "step: 0.25, unit: mM", "step: 0.1, unit: mM")   # 1 accepted draw in 361,201

        with pytest.raises(BankError, match=r"demo.md: constraints: no parameter draw"):
            load_bank(write(tmp_path, text))

    def test_mistake_that_cannot_apply(self, tmp_path):
        """A mistake that changes nothing in the part's solver chain is refused."""
        text = MINIMAL.replace("    unit: mV\n", "    unit: mV\n    mistakes: [q10_exponent]\n", 1)
        with pytest.raises(BankError, match=r"demo.md: parts\[0\].mistakes: mistake "
                                            r"'q10_exponent' cannot apply"):
            load_bank(write(tmp_path, text))

    def test_unit_mistake_needs_a_voltage(self, tmp_path):
        """volts_for_millivolts applies to a voltage part only."""
        ok = MINIMAL.replace("    unit: mV\n", "    unit: mV\n    mistakes: [volts_for_millivolts]\n", 1)
        assert load_bank(write(tmp_path, ok))["demo"]
        # the same part asking for E_K/(RT/F), a pure number
        bad = ok.replace("    value: E_K\n    unit: mV\n",
                         '    expr: "E_K * F / (R * T)"\n    unit: dimensionless\n', 1)
        bad = bad.replace("- id: E_K", "- id: ratio", 1)
        with pytest.raises(BankError, match=r"parts\[0\].mistakes: mistake 'volts_for_millivolts'"):
            load_bank(write(tmp_path / "b", bad))

    def test_invariant_names_checked(self, tmp_path):
        """An invariant naming an unknown value is refused."""
        text = MINIMAL.replace("parts:", 'invariants: ["E_X < 0"]\nparts:', 1)
        with pytest.raises(BankError, match=r"demo.md: invariants\[0\]: unknown name 'E_X'"):
            load_bank(write(tmp_path, text))

    def test_choice_why_and_aliases(self, tmp_path):
        """Choices may carry aliases and a 'why'; the right answer takes no 'why'."""
        text = MINIMAL.replace(
            "choices: [negative, positive]",
            'choices: [{text: negative, aliases: ["below zero"]}, '
            '{text: positive, why: "K+ leaves the cell, so the inside turns negative."}]', 1)
        part = load_bank(write(tmp_path, text))["demo"].part("sign")
        assert part.answer_kind.choices == ("negative", "positive")
        assert part.answer_kind.aliases == {"negative": ("below zero",)}
        assert part.answer_kind.why == {"positive": "K+ leaves the cell, so the inside turns negative."}

    def test_why_on_the_literal_answer_refused(self, tmp_path):
        """A 'why' on the answer itself (a literal answer) is an authoring slip."""
        text = MINIMAL.replace(
            "choices: [negative, positive]",
            '[{text: negative, why: "no"}, positive]'.join(["choices: ", ""]), 1).replace(
            'answer: {if: "E_K < 0", then: negative, else: positive}', "answer: negative", 1)
        with pytest.raises(BankError, match=r"parts\[1\].choices: 'negative' is the answer"):
            load_bank(write(tmp_path, text))
