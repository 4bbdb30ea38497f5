"""Argument checks shared by the physics modules: they raise ValueError naming the argument."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = ["FloatOrArray", "IonValues", "positive", "finite", "nonzero", "as_ion_arrays",
           "scalar_or_array"]

#: What a solver returns: a float for scalar arguments, an array when they broadcast to one.
FloatOrArray: TypeAlias = float | np.ndarray
#: Per-ion arguments: by ion name, or in a fixed order (each entry a number or an array).
IonValues: TypeAlias = Mapping[str, npt.ArrayLike] | Sequence[npt.ArrayLike]


def scalar_or_array(x: npt.ArrayLike) -> FloatOrArray:
    """A 0-d result as a plain float, an array result as it is (what every solver returns)."""
    return float(np.asarray(x)) if np.ndim(x) == 0 else np.asarray(x)


def finite(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array; raise ValueError naming ``name`` if any entry is not finite."""
    if type(value) is float or type(value) is int:  # the common scalar case, without reductions
        if not math.isfinite(value):
            raise ValueError(f"{name} must be finite, got {value!r}")
        return np.asarray(float(value))
    try:
        arr = np.asarray(value, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be a number or an array of numbers, got {value!r}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite, got {value!r}")
    return arr


def positive(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array; raise ValueError naming ``name`` unless every entry is > 0."""
    arr = finite(name, value)
    if not (float(arr) > 0 if arr.ndim == 0 else np.all(arr > 0)):
        raise ValueError(f"{name} must be > 0, got {value!r}")
    return arr


def nonzero(name: str, value: Any) -> np.ndarray:
    """Return ``value`` as a float array; raise ValueError naming ``name`` if any entry is 0."""
    arr = finite(name, value)
    if (float(arr) == 0) if arr.ndim == 0 else np.any(arr == 0):
        raise ValueError(f"{name} must not be zero, got {value!r}")
    return arr


def _keys_and_values(name: str, value: IonValues) -> tuple[tuple[str, ...] | None, list[Any]]:
    if isinstance(value, Mapping):
        return tuple(value.keys()), list(value.values())
    if isinstance(value, (str, bytes)):
        raise ValueError(f"{name} must be a mapping or a sequence of numbers, got {value!r}")
    return None, list(value)


def as_ion_arrays(**named: IonValues) -> list[np.ndarray]:
    """Align per-ion arguments given as dicts (same keys) or sequences (same length).

    Returns one float array per argument with the ions on the first axis (extra axes broadcast).
    Raises ValueError naming the argument whose keys or length differ from the first one.
    """
    first_name, first = next(iter(named.items()))
    keys, _ = _keys_and_values(first_name, first)
    out = []
    for name, value in named.items():
        k, vals = _keys_and_values(name, value)
        if (k is None) != (keys is None):
            raise ValueError(f"{name} must be given the same way (mapping or sequence) as {first_name}")
        if keys is not None and k is not None and isinstance(value, Mapping):
            if set(k) != set(keys):
                raise ValueError(f"{name} has ions {sorted(k)}, but {first_name} has {sorted(keys)}")
            vals = [value[key] for key in keys]
        if len(vals) != len(_keys_and_values(first_name, first)[1]):
            raise ValueError(
                f"{name} has {len(vals)} entries, but {first_name} has "
                f"{len(_keys_and_values(first_name, first)[1])}"
            )
        if len(vals) == 0:
            raise ValueError(f"{name} must name at least one ion")
        if all(type(v) is float or type(v) is int for v in vals):  # plain numbers: no broadcasting
            if not all(math.isfinite(v) for v in vals):
                raise ValueError(f"{name} must be finite, got {value!r}")
            out.append(np.array(vals, dtype=float))
            continue
        out.append(finite(name, np.broadcast_arrays(*[np.asarray(v, dtype=float) for v in vals])))
    return out
