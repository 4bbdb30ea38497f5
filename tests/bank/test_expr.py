"""Bank expressions: quantities with units converted to SI, and units checked at load."""

from __future__ import annotations

import math

import pytest
from bankfixture import MINIMAL, write

from membranelab.bank import BankError, load_bank
from membranelab.bank.dimensions import DIMENSIONLESS, DimensionError, describe, dimension_of
from membranelab.bank.expr import Expr, ExprError
from membranelab.physics.units import dimensionality

R, F = 8.314462618, 96485.33212   # J/(mol K), C/mol (SI 2019)


class TestQuantities:
    @pytest.mark.parametrize(("text", "si"), [
        ("3 mV", 3e-3),                # 3 x 10^-3 V
        ("-5 mV", -5e-3),
        ("55 kJ/mol", 55e3),           # 55 x 10^3 J/mol
        ("10 K", 10.0),
        ("2 pA", 2e-12),
        ("1.5 nS", 1.5e-9),
        ("4 mol/m**3", 4.0),
    ])
    def test_si_value(self, text: str, si: float) -> None:
        """A number followed by a unit is its SI value."""
        assert Expr(text).evaluate({}) == pytest.approx(si, rel=1e-12)

    def test_nernst_potassium_constraint(self) -> None:
        """'+ 3 mV' adds 0.003 V: the constraint holds 3 mV above E_K and fails 2 mV above."""
        constraint = Expr("V_rest > R * T / F * ln(K_out / K_in) + 3 mV")
        e_k = R * 310.15 / F * math.log(4 / 140)          # -0.09498 V by hand
        env = {"R": R, "F": F, "T": 310.15, "K_out": 4.0, "K_in": 140.0}
        assert constraint.evaluate({**env, "V_rest": e_k + 0.0031}) is True
        assert constraint.evaluate({**env, "V_rest": e_k + 0.002}) is False

    def test_unknown_unit_refused(self) -> None:
        """A unit pint does not know is refused with its column."""
        with pytest.raises(ExprError, match="unknown unit 'mQ'.* at column 3"):
            Expr("2 mQ")

    def test_offset_unit_refused(self) -> None:
        """degC is refused: '5 degC' is not a temperature difference."""
        with pytest.raises(ExprError, match="offset"):
            Expr("T - 5 degC")


VOLT, MOLAR = dimensionality("V"), dimensionality("mol/m**3")
DIMS = {"V_rest": VOLT, "E_K": VOLT, "K_out": MOLAR, "K_in": MOLAR, "T": dimensionality("K"),
        "R": dimensionality("J/(mol*K)"), "F": dimensionality("C/mol"),
        "g_K": dimensionality("S"), "q": DIMENSIONLESS}


class TestDimensions:
    @pytest.mark.parametrize(("text", "unit"), [
        ("V_rest - E_K", "V"),
        ("R * T / F * ln(K_out / K_in)", "V"),           # J/(mol K) * K / (C/mol) = J/C = V
        ("g_K * (V_rest - E_K)", "A"),                  # S * V = A
        ("g_K * (V_rest - E_K) ** 2", "W"),             # S * V^2 = W
        ("sqrt(K_out * K_in)", "mol/m**3"),
        ("q ** ((T - 300 K) / 10 K) * 2 pA", "A"),      # a pure exponent: (K - K)/K
    ])
    def test_inferred(self, text: str, unit: str) -> None:
        """The dimension follows from the names' dimensions."""
        assert dimension_of(Expr(text), DIMS) == dimensionality(unit)

    @pytest.mark.parametrize(("text", "message"), [
        ("V_rest + K_out", r"cannot add V \('V_rest'\) and mol/m\*\*3 \('K_out'\)"),
        ("V_rest + 3 mM", r"cannot add V \('V_rest'\) and mol/m\*\*3 \('3 mM'\)"),
        ("V_rest > 0.003", r"cannot compare V \('V_rest'\) and a pure number \('0.003'\)"),
        ("ln(K_out)", r"argument of ln must be a pure number"),
        ("q ** T", r"exponent must be a pure number"),
        ("V_rest ** q", r"needs a constant exponent"),
    ])
    def test_refused(self, text: str, message: str) -> None:
        """Quantities of different dimensions do not add or compare; ln, exp and exponents
        take pure numbers."""
        with pytest.raises(DimensionError, match=message):
            dimension_of(Expr(text), DIMS)

    @pytest.mark.parametrize("text", ["V_rest < 0", "E_K - 0.0 < V_rest", "V_rest > 3 mV",
                                      "q ** ((T - 300 K) / 10 K) < 2.5",
                                      "K_out > 10 * K_in"])
    def test_accepted(self, text: str) -> None:
        """A bare zero fits any dimension; units make numbers fit."""
        assert dimension_of(Expr(text), DIMS) == DIMENSIONLESS

    def test_describe(self) -> None:
        """Dimensions are named by a familiar SI unit, else by SI base units."""
        assert describe(VOLT) == "V"
        assert describe(DIMENSIONLESS) == "a pure number"
        assert describe(dimensionality("V**3")) == "kg^3*m^6/(s^9*A^3)"   # (kg m^2 s^-3 A^-1)^3


class TestRefusedAtLoad:
    def test_mixed_units_name_the_file_and_field(self, tmp_path):
        """An expression adding mV to mM is one line naming the file and the field."""
        text = MINIMAL.replace("parts:", 'invariants: ["E_K + K_out < 0"]\nparts:', 1)
        with pytest.raises(BankError, match=r"^demo\.md: invariants\[0\]: cannot add V "
                                            r"\('E_K'\) and mol/m\*\*3 \('K_out'\)") as raised:
            load_bank(write(tmp_path, text))
        assert "\n" not in str(raised.value)

    def test_bare_si_number_refused(self, tmp_path):
        """A constraint's bare number meant as volts must be written with its unit."""
        text = MINIMAL.replace("derived:", 'constraints: ["K_out > 0.003 * K_in"]\n'
                               'derived:', 1)
        assert load_bank(write(tmp_path / "ok", text))["demo"]
        bad = MINIMAL.replace("derived:", 'constraints: ["K_out > 3"]\nderived:', 1)
        with pytest.raises(BankError, match=r"constraints\[0\]: cannot compare mol/m\*\*3"):
            load_bank(write(tmp_path / "bad", bad))

    def test_derived_expression_unit_must_agree(self, tmp_path):
        """A derived expression shown in a unit of another dimension is refused."""
        text = MINIMAL.replace("parts:", "parts:", 1).replace(
            "derived:\n", 'derived:\n  ratio: {expr: "K_out / K_in", unit: mV}\n', 1)
        with pytest.raises(BankError, match=r"derived\.ratio\.unit: the value is a pure "
                                            r"number but its unit 'mV' is V"):
            load_bank(write(tmp_path, text))

    def test_solver_unit_must_agree(self, tmp_path):
        """A solver's result (nernst_potential: volts) shown in mM is refused."""
        text = MINIMAL.replace("temperature: T}}", "temperature: T}, unit: mM}", 1)
        with pytest.raises(BankError, match=r"derived\.E_K\.unit: the value is V but its unit "
                                            r"'mM' is mol/m\*\*3"):
            load_bank(write(tmp_path, text))

    def test_solver_dimension_reaches_expressions(self, tmp_path):
        """A solver's value has the solver's dimension in later expressions."""
        text = MINIMAL.replace("derived:\n", "derived:\n", 1).replace(
            "temperature: T}}", 'temperature: T}}\n  x: {expr: "E_K * K_out"}', 1)
        text = text.replace("parts:", 'invariants: ["x < 0 mV * 1 mM"]\nparts:', 1)
        assert load_bank(write(tmp_path / "ok", text))["demo"]
        bad = text.replace('"x < 0 mV * 1 mM"', '"x < 1 mV"')
        with pytest.raises(BankError, match=r"invariants\[0\]: cannot compare kg"):
            load_bank(write(tmp_path / "bad", bad))
