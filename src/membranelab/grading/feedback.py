"""Named mistakes and message templates.

A mistake is a named wrong computation over the same solver the answer comes from: it
recomputes a solver call the way a student who made it would (ln -> log10, °C used as K, in and
out swapped...).  The bank evaluates a part's mistakes once per variant
(:func:`evaluate_mistakes`) and passes the values to ``check_quantity``; when a wrong answer
matches one, the student reads that mistake's message and the result carries ``mistake.<name>``.

Messages are in the catalog (:mod:`membranelab.messages`), keyed by the mistake's note.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Any

from membranelab.messages import has_message, render_message
from membranelab.physics.constants import ZERO_CELSIUS, F, R

from .numformat import feedback_text

__all__ = [
    "MISTAKES",
    "Mistake",
    "BODY_TEMPERATURE",
    "EXACT_DIGITS",
    "ROOM_TEMPERATURE",
    "describe_deviation",
    "equation_param",
    "evaluate_mistakes",
]

#: A physics solver called with scalar arguments: its value is a float (SI).
Solver = Callable[..., float]
Recompute = Callable[[str, Solver, dict[str, Any]], Any]

#: Significant figures of the exact value shown with a correct answer.
EXACT_DIGITS = 6


def equation_param(solver_name: str = "") -> dict[str, str]:
    """The ``equation`` parameter of a message: the catalog name of the solver's equation."""
    key = f"equation.{solver_name}"
    return {"msg": key if solver_name and has_message(key) else "equation.default"}


def describe_deviation(student: float, expected: float) -> dict[str, Any]:
    """How far off a wrong value is, as a message parameter: percentage or factor, and the
    sign (``{"msg": "deviation.percent_large", "percent": "19.6"}``)."""
    if expected == 0:
        return {"msg": "deviation.expected_zero", "value": feedback_text(student)}
    if student == 0:
        return {"msg": "deviation.zero"}
    ratio = student / expected
    sign = "" if ratio > 0 else "_sign"
    size = abs(ratio)
    if 0.5 <= size <= 2:
        percent = (size - 1) * 100
        word = "large" if percent > 0 else "small"
        return {"msg": f"deviation.percent_{word}{sign}", "percent": f"{abs(percent):.3g}"}
    # the factor from logarithms: 1e-300 fV against -95 mV is 10^317 times too small (the
    # ratio itself underflows to a denormal and its inverse to inf)
    orders = math.log10(abs(student)) - math.log10(abs(expected))
    factor = f"{10 ** abs(orders):.3g}" if abs(orders) < 6 else f"10^{round(abs(orders))}"
    word = "large" if orders > 0 else "small"
    return {"msg": f"deviation.times_{word}{sign}", "factor": factor}


@dataclass(frozen=True)
class Mistake:
    """A named wrong computation: ``note`` (``mistake.<name>``) is also its catalog key, whose
    text may use ``%(equation)s``; ``recompute(solver_name, func, kwargs)`` gives the wrong value
    or None."""

    name: str
    note: str
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

    def params_for(self, solver_name: str = "") -> dict[str, Any]:
        """The message's parameters for a solver (the name of its equation)."""
        return {"equation": equation_param(solver_name)}

    def message_for(self, solver_name: str = "", lang: str = "en") -> str:
        """The student's sentence, naming the solver's equation."""
        return render_message(self.note, self.params_for(solver_name), lang=lang)

    @property
    def message(self) -> str:
        """The English sentence with a generic equation name."""
        return self.message_for()


# -- recomputations (each: solver name, solver, keyword arguments -> wrong value or None) --------
_LOG_SOLVERS = ("nernst_potential", "ghk_voltage", "pump_ratio_ghk_potential", "donnan_potential")


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
    if name in ("pump_ratio_steady_state", "pump_ratio_ghk_potential"):
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
    if name in ("pump_ratio_steady_state", "pump_ratio_ghk_potential"):
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
    scaled: float = float(kw["value"]) * float(kw["q10"]) ** exponent
    return scaled


def _power_not_divided_by_t(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    if name != "entropy_production_rate":
        return None
    return func(**kw) * float(kw["temperature"])


#: Temperatures students put in by habit: body (37 °C) and room (25 °C), kelvin.
BODY_TEMPERATURE = ZERO_CELSIUS + 37.0
ROOM_TEMPERATURE = ZERO_CELSIUS + 25.0


def _items(values: Any) -> list[tuple[Any, float]]:
    pairs = values.items() if isinstance(values, Mapping) else enumerate(values)
    return [(key, float(value)) for key, value in pairs]


def _single_ion_nernst(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    """The dominant ion's equilibrium potential given for a multi-ion membrane potential."""
    if name == "chord_conductance_potential":
        key = max(_items(kw["conductances"]), key=lambda pair: pair[1])[0]
        potentials: dict[Any, float] = dict(_items(kw["reversal_potentials"]))
        return potentials[key]
    if name == "pump_ratio_steady_state":
        k_weight = float(kw.get("ratio", 1.5)) * float(kw["g_k"])
        return float(kw["e_k"]) if k_weight >= float(kw["g_na"]) else float(kw["e_na"])
    if name == "ghk_voltage":
        key = max(_items(kw["permeabilities"]), key=lambda pair: pair[1])[0]
        outside: dict[Any, float] = dict(_items(kw["c_out"]))
        inside: dict[Any, float] = dict(_items(kw["c_in"]))
        valences: dict[Any, float] = dict(_items(kw["valences"]))
        c_out, c_in, z = outside[key], inside[key], valences[key]
        return R * float(kw["temperature"]) / (z * F) * math.log(c_out / c_in)
    return None


def _temperature(kelvin: float) -> Recompute:
    def recompute(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
        if "temperature" not in kw or math.isclose(float(kw["temperature"]), kelvin,
                                                    abs_tol=0.01):
            return None
        return func(**{**kw, "temperature": kelvin})
    return recompute


def _without(values: Any, key: str) -> Any:
    return {k: v for k, v in values.items() if k != key}


def _chloride_omitted(name: str, func: Solver, kw: dict[str, Any]) -> float | None:
    """Cl⁻ left out of the chord-conductance or GHK equation (ions given by name)."""
    if name == "chord_conductance_potential":
        if not isinstance(kw["conductances"], Mapping) or "Cl" not in kw["conductances"]:
            return None
        return func(**{**kw, "conductances": _without(kw["conductances"], "Cl"),
                       "reversal_potentials": _without(kw["reversal_potentials"], "Cl")})
    if name == "ghk_voltage":
        if not isinstance(kw["permeabilities"], Mapping) or "Cl" not in kw["permeabilities"]:
            return None
        return func(**{**kw, **{field: _without(kw[field], "Cl") for field in
                                ("permeabilities", "c_out", "c_in", "valences")}})
    return None


def _mistake(name: str, recompute: Recompute | None) -> Mistake:
    return Mistake(name, f"mistake.{name}", recompute)


#: Every named mistake, by name (messages: ``mistake.<name>`` in the catalog).
MISTAKES: Mapping[str, Mistake] = MappingProxyType({m.name: m for m in (
    _mistake("log10", _log10),
    _mistake("celsius_as_kelvin", _celsius_as_kelvin),
    _mistake("swapped_in_out", _swapped_in_out),
    _mistake("valence_sign", _valence_sign),
    _mistake("valence_omitted", _valence_omitted),
    _mistake("pump_ignored", _pump_ignored),
    _mistake("conductances_unweighted", _conductances_unweighted),
    _mistake("ratio_inverted", _ratio_inverted),
    _mistake("rt_over_f_dropped", _rt_over_f_dropped),
    _mistake("q10_exponent", _q10_exponent),
    _mistake("power_not_divided_by_t", _power_not_divided_by_t),
    _mistake("exp10", _exp10),
    _mistake("anion_as_cation", _anion_as_cation),
    _mistake("noise_filter_ignored", _noise_filter_ignored),
    _mistake("pump_current_per_k", _pump_current_per_k),
    _mistake("diameter_as_radius", _diameter_as_radius),
    _mistake("single_ion_nernst", _single_ion_nernst),
    _mistake("temperature_37", _temperature(BODY_TEMPERATURE)),
    _mistake("temperature_room", _temperature(ROOM_TEMPERATURE)),
    _mistake("chloride_omitted", _chloride_omitted),
    _mistake("volts_for_millivolts", None),
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
