"""Chinese unit names, as Chinese students type them, read by the unit allow-list."""

from __future__ import annotations

import pytest

from membranelab.grading import check_quantity
from membranelab.grading.units import UnitSuccess, parse_unit
from membranelab.grading.units_zh import CHINESE_UNITS


class TestParseUnit:
    @pytest.mark.parametrize("text, pint_text", [
        ("毫伏", "mV"), ("伏", "V"), ("伏特", "V"), ("微伏", "uV"),
        ("皮安", "pA"), ("纳安", "nA"), ("纳西", "nS"), ("皮西", "pS"), ("西门子", "S"),
        ("皮法", "pF"), ("微法", "uF"), ("皮库", "pC"), ("皮瓦", "pW"), ("千焦/摩尔", "kJ/mol"),
        ("毫摩尔/升", "mmol/L"), ("毫摩尔每升", "mmol/L"), ("摩尔/升", "mol/L"),
        ("微米", "um"), ("毫秒", "ms"), ("开尔文", "K"), ("摄氏度", "degC"),
    ])
    def test_names(self, text, pint_text):
        """Each name is the unit it names (compared with pint's reading of the symbol)."""
        parsed, symbol = parse_unit(text), parse_unit(pint_text)
        assert isinstance(parsed, UnitSuccess) and isinstance(symbol, UnitSuccess)
        assert parsed.unit == symbol.unit

    def test_longest_name_first(self):
        """毫摩尔 is millimole, not milli- and then 摩尔 read apart; 毫 alone is not a unit."""
        assert CHINESE_UNITS["毫摩尔"] == "mmol"
        assert not isinstance(parse_unit("毫"), UnitSuccess)


class TestGrading:
    @pytest.mark.parametrize("answer, expected, unit", [
        ("-80.6毫伏", -80.6, "mV"),
        ("-80.6 毫伏", -80.6, "mV"),
        ("-0.0806伏", -80.6, "mV"),          # 0.0806 V = 80.6 mV
        ("106 皮安", 106.0, "pA"),
        ("0.106 纳安", 106.0, "pA"),          # 0.106 nA = 106 pA
        ("2.84皮法", 2.84, "pF"),
        ("54.8 纳西", 54.8, "nS"),
        ("4 毫摩尔/升", 4.0, "mM"),
        ("4毫摩尔每升", 4.0, "mM"),
        ("4 mmol/L", 4.0, "mM"),
        ("0.004 mol/L", 4.0, "mM"),           # 0.004 mol/L = 4 mmol/L = 4 mM
        ("12 千焦/摩尔", 12.0, "kJ/mol"),
    ])
    def test_right_answers(self, answer, expected, unit):
        """A right value with a Chinese (or clinical) unit name is right."""
        assert check_quantity(answer, expected, unit).correct

    def test_wrong_scale_is_wrong(self):
        """-80.6 伏 for -80.6 mV is a factor 1000 off, as -80.6 V would be."""
        result = check_quantity("-80.6 伏", -80.6, "mV")
        assert not result.correct
        assert result.note == check_quantity("-80.6 V", -80.6, "mV").note

    def test_not_a_unit(self):
        """A Chinese word that is not a unit name is refused with the unit message."""
        result = check_quantity("-80.6 毫", -80.6, "mV")
        assert not result.correct and result.note.startswith("units")
