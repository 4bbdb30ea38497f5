"""Named mistakes and message templates.

A mistake is a named wrong computation over the same solver the answer comes from: it
recomputes a solver call the way a student who made it would (ln -> log10, °C used as K, in and
out swapped...).  The bank evaluates a part's mistakes once per variant
(:func:`evaluate_mistakes`) and passes the values to ``check_quantity``; when a wrong answer
matches one, the student reads that mistake's message and the result carries ``mistake.<name>``.

Message templates are named constants so tests and other rooms can refer to them.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from membranelab.physics.constants import ZERO_CELSIUS, F, R

__all__ = [
    "MISTAKES",
    "Mistake",
    "describe_deviation",
    "evaluate_mistakes",
    "format_value",
]

Solver = Callable[..., Any]
Recompute = Callable[[str, Solver, dict[str, Any]], Any]

# -- message templates ---------------------------------------------------------------------------
CORRECT = "Correct. Exact value: {expected}."
#: Significant figures of the exact value shown with a correct answer.
EXACT_DIGITS = 6
CORRECT_UNITS_MISSING = ("Correct value, but write the unit: {expected}. "
                         "A number without a unit is read in {unit}.")
UNITS_MISSING_WRONG = "Your number has no unit; write it with its unit, e.g. in {unit}."
UNITS_WRONG_SCALE = ("Your number is right but in {student_unit}; the answer is in {unit}. "
                     "Convert: {value} {student_unit} = {converted} {unit}.")
UNITS_CASE = ("{student_unit} is not {unit}: unit symbols are case-sensitive "
              "({student_unit} means {meaning}). Did you mean {unit}?")
UNITS_UNKNOWN_CASE = "{student_unit} is not a unit (symbols are case-sensitive). Did you mean {unit}?"
UNITS_UNKNOWN = "Write the answer with a unit such as {unit}."
UNITS_INCOMPATIBLE = ("Your unit {student_unit} is {student_dimension}, but the answer is "
                      "{dimension} (in {unit}). Check which quantity the question asks for.")
SIGFIGS_WRONG_DIGITS = ("Right value, but give it with {sigfigs} significant figures "
                        "(you wrote {written}): {expected}.")
SIGN_FLIPPED = ("Your value has the right size but the wrong sign. Check the direction "
                "(inside relative to outside) and the sign convention.")
FACTOR_1000 = ("Your value is {factor} the answer: did you mix V and mV (or another factor "
               "of 1000 in the units)?")
VALUE_WRONG = "Not correct: your value is {deviation}. Check the computation."
FORMULA_CORRECT = "Correct: your formula is equivalent to the expected one."
FORMULA_WRONG = "Not equivalent to the expected formula: {detail}."
FORMULA_UNDECIDED = ("I could not decide in the time allowed whether your formula is "
                     "equivalent; it scores 0 for now and is listed for your teacher to review.")

#: Names of the equations behind each solver, for messages.
EQUATIONS: Mapping[str, str] = MappingProxyType({
    "nernst_potential": "the Nernst equation",
    "ghk_voltage": "the GHK equation",
    "chord_conductance_potential": "the chord-conductance equation",
    "pump_contribution": "the pump term",
    "pump_ratio_steady_state": "the steady-state equation with a 3:2 pump",
    "permeability_ratio": "the permeability ratio",
    "delta_delta_g_from_ratio": "the free-energy difference",
    "q10_scale": "the Q10 rule",
    "dissipated_power": "the dissipated power",
    "entropy_production_rate": "the entropy production rate",
    "membrane_charge": "Q = C·V",
    "channel_noise_sd": "the channel-noise formula",
    "pump_current_for_steady_state": "the pump current",
})


def format_value(value: float, digits: int = 4) -> str:
    """A number with ``digits`` significant figures and a typographic minus (−94.97)."""
    if not math.isfinite(value):
        return str(value)
    text = f"{value:.{digits}g}"
    if "e" in text:
        mantissa, exponent = text.split("e")
        text = f"{mantissa}e{int(exponent)}"
    return text.replace("-", "\u2212")


def describe_deviation(student: float, expected: float) -> str:
    """How far off a wrong value is, in words: percentage or factor, and the sign."""
    if expected == 0:
        return f"{format_value(student)} where 0 is expected"
    if student == 0:
        return "zero, which is not the answer"
    ratio = student / expected
    sign = "" if ratio > 0 else " and has the wrong sign"
    size = abs(ratio)
    if 0.5 <= size <= 2:
        percent = (size - 1) * 100
        word = "too large" if percent > 0 else "too small"
        return f"{abs(percent):.3g} % {word} in size{sign}"
    if size > 1:
        return f"about {size:.3g} times too large{sign}"
    return f"about {1 / size:.3g} times too small{sign}"


@dataclass(frozen=True)
class Mistake:
    """A named wrong computation: ``note`` is ``mistake.<name>``; ``message`` a template that may
    use ``{equation}``; ``recompute(solver_name, func, kwargs)`` the wrong value or None."""

    name: str
    note: str
    message: str
    recompute: Recompute | None = None

    def apply(self, solver_name: str, func: Solver, kwargs: Mapping[str, Any]) -> float | None:
        """The value ``func(**kwargs)`` would take under this mistake, or None if it does not
        apply to this solver, fails, is not a finite scalar, or equals the right value."""
        if self.recompute is None:
            return None
        arguments = dict(kwargs)
        try:
            wrong = self.recompute(solver_name, func, arguments)
            if wrong is None:
                return None
            wrong = float(wrong)
            right = float(func(**arguments))
        except (ValueError, TypeError, KeyError, ArithmeticError):
            return None
        if not math.isfinite(wrong) or math.isclose(wrong, right, rel_tol=1e-12, abs_tol=0.0):
            return None
        return wrong

    def message_for(self, solver_name: str = "") -> str:
        """The student's sentence, naming the solver's equation."""
        return self.message.format(equation=EQUATIONS.get(solver_name, "the equation"))


# -- recomputations (each: solver name, solver, keyword arguments -> wrong value or None) --------
_LOG_SOLVERS = ("nernst_potential", "ghk_voltage")


def _negate(values: Any) -> Any:
    if isinstance(values, Mapping):
        return {key: -value for key, value in values.items()}
    return [-value for value in values]


def _values(values: Any) -> list[float]:
    return [float(v) for v in (values.values() if isinstance(values, Mapping) else values)]


def _log10(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name == "delta_delta_g_from_ratio":
        return func(**kw) / math.log(10)
    return func(**kw) / math.log(10) if name in _LOG_SOLVERS else None


def _exp10(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "permeability_ratio":
        return None
    exponent = math.log(func(**kw))
    return 10.0**exponent if abs(exponent) < 300 else None


def _anion_as_cation(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "ghk_voltage" or all(v > 0 for v in _values(kw["valences"])):
        return None
    valences = kw["valences"]
    same = ({k: abs(v) for k, v in valences.items()} if isinstance(valences, Mapping)
            else [abs(v) for v in valences])
    return func(**{**kw, "valences": same})


def _noise_filter_ignored(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "channel_noise_sd":
        return None
    # gating infinitely slow compared with the membrane: the filter factor tau/(tau+tau_m) -> 1
    return func(**{**kw, "tau": float(kw["tau"]) * 1e12})


def _pump_current_per_k(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "pump_current_for_steady_state":
        return None
    return func(**{**kw, "k_per_cycle": 1, "charge_per_cycle": 1})


def _diameter_as_radius(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name not in ("sphere_area", "sphere_volume", "sphere_capacitance"):
        return None
    return func(**{**kw, "radius": 2.0 * float(kw["radius"])})


def _celsius_as_kelvin(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if "temperature" not in kw or float(kw["temperature"]) - ZERO_CELSIUS <= 0:
        return None
    return func(**{**kw, "temperature": float(kw["temperature"]) - ZERO_CELSIUS})


def _swapped_in_out(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if "c_out" not in kw or "c_in" not in kw:
        return None
    return func(**{**kw, "c_out": kw["c_in"], "c_in": kw["c_out"]})


def _valence_sign(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name == "nernst_potential":
        return func(**{**kw, "z": -kw["z"]})
    if name == "ghk_voltage":
        return func(**{**kw, "valences": _negate(kw["valences"])})
    return None


def _valence_omitted(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "nernst_potential" or abs(float(kw["z"])) == 1:
        return None
    return func(**{**kw, "z": math.copysign(1.0, float(kw["z"]))})


def _pump_ignored(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name == "chord_conductance_potential":
        return func(**{**kw, "pump_current": 0.0})
    if name == "pump_ratio_steady_state":
        return func(**{**kw, "ratio": 1.0})
    return None


def _conductances_unweighted(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name == "chord_conductance_potential":
        potentials = _values(kw["reversal_potentials"])
        return sum(potentials) / len(potentials)
    if name == "pump_ratio_steady_state":
        return (float(kw["e_k"]) + float(kw["e_na"])) / 2
    return None


def _ratio_inverted(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name == "pump_ratio_steady_state":
        return func(**{**kw, "ratio": 1.0 / float(kw.get("ratio", 1.5))})
    if name == "permeability_ratio":
        return 1.0 / func(**kw)
    if name == "delta_delta_g_from_ratio":
        return func(**{**kw, "ratio": 1.0 / float(kw["ratio"])})
    return None


def _rt_over_f_dropped(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name not in _LOG_SOLVERS:
        return None
    return func(**kw) * F / (R * float(kw["temperature"]))


def _q10_exponent(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "q10_scale":
        return None
    exponent = float(kw["t_to"]) - float(kw["t_from"])
    log_size = exponent * math.log10(float(kw["q10"]))
    if abs(log_size) > 300:
        return None
    return float(kw["value"]) * float(kw["q10"]) ** exponent


def _power_not_divided_by_t(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "entropy_production_rate":
        return None
    return func(**kw) * float(kw["temperature"])


def _mistake(name: str, message: str, recompute: Recompute | None) -> Mistake:
    return Mistake(name, f"mistake.{name}", message, recompute)


#: Every named mistake, by name.
MISTAKES: Mapping[str, Mistake] = MappingProxyType({m.name: m for m in (
    _mistake("log10", "You seem to have used log10 instead of the natural log: {equation} "
             "uses ln.", _log10),
    _mistake("celsius_as_kelvin", "You seem to have used the temperature in °C as if it were in "
             "kelvin: add 273.15 first.", _celsius_as_kelvin),
    _mistake("swapped_in_out", "You seem to have swapped the outside and inside concentrations: "
             "{equation} has [out]/[in] for a cation.", _swapped_in_out),
    _mistake("valence_sign", "You seem to have used the wrong sign of the valence z: check the "
             "ion's charge.", _valence_sign),
    _mistake("valence_omitted", "You seem to have left out the valence z: this ion carries more "
             "than one charge.", _valence_omitted),
    _mistake("pump_ignored", "You seem to have left out the pump: {equation} includes its "
             "current.", _pump_ignored),
    _mistake("conductances_unweighted", "You seem to have averaged the reversal potentials "
             "without weighting them by their conductances.", _conductances_unweighted),
    _mistake("ratio_inverted", "You seem to have inverted the ratio: check which quantity is in "
             "the numerator.", _ratio_inverted),
    _mistake("rt_over_f_dropped", "You seem to have left out the factor RT/F in {equation}.",
             _rt_over_f_dropped),
    _mistake("q10_exponent", "You seem to have used q10^(T2−T1) instead of q10^((T2−T1)/10): "
             "the Q10 rule divides the temperature step by 10.", _q10_exponent),
    _mistake("power_not_divided_by_t", "You gave the dissipated power; the entropy production "
             "rate is that power divided by the temperature in kelvin.", _power_not_divided_by_t),
    _mistake("exp10", "You seem to have used 10^x instead of e^x: {equation} is an exponential "
             "of ΔΔG/RT with base e.", _exp10),
    _mistake("anion_as_cation", "You seem to have placed Cl⁻ like a cation: in the GHK equation "
             "an anion's inside concentration goes in the numerator and its outside one in the "
             "denominator.", _anion_as_cation),
    _mistake("noise_filter_ignored", "You seem to have left out the membrane's filtering: fast "
             "gating is averaged by the RC membrane, so multiply the variance by "
             "τ/(τ + τ_m).", _noise_filter_ignored),
    _mistake("pump_current_per_k", "You seem to have taken the whole K⁺ leak current as the pump "
             "current: each cycle brings in 2 K⁺ but moves one net charge, so I_pump = I_K/2.",
             _pump_current_per_k),
    _mistake("diameter_as_radius", "You seem to have used the diameter as the radius: halve it "
             "first.", _diameter_as_radius),
    _mistake("volts_for_millivolts", "Your value is off by a factor of 1000: did you write volts "
             "as millivolts (or the reverse)?", None),
)})


def evaluate_mistakes(names: Iterable[str], solver_name: str, func: Solver,
                      kwargs: Mapping[str, Any], *, scale: float = 1.0) -> dict[str, float]:
    """Values of the named mistakes that apply, divided by ``scale`` (e.g. 1e-3 for mV).

    Unknown names raise ``ValueError`` naming them (a problem-file error, not a student's).
    """
    names = list(names)
    unknown = [name for name in names if name not in MISTAKES]
    if unknown:
        raise ValueError(f"unknown mistakes {unknown}; known: {sorted(MISTAKES)}")
    values: dict[str, float] = {}
    for name in names:
        value = MISTAKES[name].apply(solver_name, func, kwargs)
        if value is not None:
            values[name] = value / scale
    return values
